// What-if scenarios (`stacks/scenarios/*.yaml`): which day, who calls which line when, how long
// calls and wrap-up take, who works when, how long callers wait before hanging up and what they
// choose when offered voicemail or a callback. Checked like stack files: YAML with
// positions, the schema below (ajv, every error; stacks/scenarios/schema.json is generated from it),
// then the rules a schema cannot say; every problem as `file:line:col error path: reason`. The
// stack-dependent checks (lines, IVR digits, worker names, a date for lines with hours) run in
// `checkAgainstStack`. Pure except
// `readScenario`.
import * as fs from "node:fs";
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import Ajv, { type ErrorObject } from "ajv";
import { stringify } from "yaml";
import { formatProblem, schemaIssue, type Problem } from "../../infra/taskrouter/loadStack";
import { locate, parseLayer, type Layer } from "../../infra/taskrouter/stackYaml";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";
import { isPlainObject } from "../../infra/taskrouter/overlay";
import { isTimeZone } from "../../infra/taskrouter/hours";
import { formatPath, parsePath } from "../../infra/taskrouter/validate";

/** A duration in seconds drawn per call. */
export type Distribution =
  | { kind: "fixed"; value: number }
  | { kind: "exponential"; mean: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "normal"; mean: number; sd: number };

/** Who calls: an IVR option of the stack (digit), the no-input default, or explicit attributes. */
export type Caller =
  | { kind: "ivr"; digit: string }
  | { kind: "default" }
  | { kind: "attributes"; attributes: Record<string, unknown> };

/**
 * What callers do when offered the exits (voicemail, callback): relative weights. A caller picks
 * among the exits on offer and hanging up, in proportion to their weights (an exit not on offer
 * cannot be picked). Absent: every caller takes the first exit on offer.
 */
export interface ExitWeights {
  voicemail: number;
  callback: number;
  hangUp: number;
}

export interface ArrivalStream {
  caller: Caller;
  /** The line's key in the stack; absent: the main line. */
  line?: string;
  /** Seconds since midnight, [from, to). */
  from: number;
  to: number;
  /** Poisson arrivals at this rate, or one every `every` seconds from `from`, or at fixed times. */
  pattern:
    | { kind: "poisson"; perHour: number }
    | { kind: "every"; seconds: number }
    | { kind: "at"; times: number[] };
  handleTime?: Distribution;
  wrapUpTime?: Distribution;
  patience?: Distribution;
  exits?: ExitWeights;
}

export interface Scenario {
  file: string;
  name: string;
  /** The local date "YYYY-MM-DD" the day is, so the lines' hours can be judged; absent: none. */
  date?: string;
  /** The IANA zone of every time of day in the scenario; absent: the main line's, else UTC. */
  timeZone?: string;
  /** Seconds since midnight. */
  start: number;
  end: number;
  arrivals: ArrivalStream[];
  handleTime: Distribution;
  wrapUpTime: Distribution;
  /** Absent: callers never hang up. */
  patience?: Distribution;
  exits?: ExitWeights;
  /** Worker → on-shift windows (seconds since midnight); workers not listed keep their stack activity. */
  shifts: Record<string, Array<[number, number]>>;
}

/** Every problem with a scenario, each located (`file:line:col error path: reason`). */
export class ScenarioError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ScenarioError";
  }
}

// ---------------------------------------------------------------------------------------------
// The schema (the file's shape; the rules between fields are in scenarioOf)

const TimeOfDay = Type.String({
  pattern: "^\\d{2}:\\d{2}(:\\d{2})?$",
  description: 'a time of day "HH:MM" or "HH:MM:SS"',
});
const Window = Type.Tuple([TimeOfDay, TimeOfDay]);
const Seconds = Type.Number({ minimum: 0 });
const Positive = Type.Number({ exclusiveMinimum: 0 });
const only = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });
const Distribution = Type.Union(
  [
    Seconds,
    only({ fixed: Seconds }),
    only({ exponential: Positive }),
    only({ uniform: Type.Tuple([Seconds, Seconds]) }),
    only({ normal: only({ mean: Positive, sd: Seconds }) }),
  ],
  {
    description:
      "seconds, or one of {fixed: s}, {exponential: mean}, {uniform: [min, max]}, {normal: {mean, sd}}",
  },
);
const Caller = Type.Union(
  [only({ ivr: Type.String() }), only({ attributes: Type.Record(Type.String(), Type.Unknown()) })],
  { description: '{ivr: "<digit>"}, {ivr: default} or {attributes: {...}}' },
);
const Weight = Type.Number({ minimum: 0 });
const ExitWeights = only({
  voicemail: Type.Optional(Weight),
  callback: Type.Optional(Weight),
  hangUp: Type.Optional(Weight),
});
const Arrival = only({
  caller: Caller,
  line: Type.Optional(Type.String({ minLength: 1 })),
  window: Type.Optional(Window),
  perHour: Type.Optional(Positive),
  every: Type.Optional(Positive),
  at: Type.Optional(Type.Array(TimeOfDay, { minItems: 1 })),
  handleTime: Type.Optional(Distribution),
  wrapUpTime: Type.Optional(Distribution),
  patience: Type.Optional(Distribution),
  exits: Type.Optional(ExitWeights),
});

/** A scenario file as written (`npm run schema` writes its JSON Schema for editors). */
export const ScenarioFile = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    date: Type.Optional(
      Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: 'a date "YYYY-MM-DD"' }),
    ),
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
    start: Type.Optional(TimeOfDay),
    end: Type.Optional(TimeOfDay),
    arrivals: Type.Array(Arrival, { minItems: 1 }),
    handleTime: Distribution,
    wrapUpTime: Type.Optional(Distribution),
    patience: Type.Optional(Distribution),
    exits: Type.Optional(ExitWeights),
    shifts: Type.Optional(Type.Record(Type.String(), Type.Array(Window))),
  },
  {
    additionalProperties: false,
    $id: "https://contact-centre-as-code.invalid/scenario.schema.json",
  },
);

/** The schema as JSON (TypeBox's symbol keys dropped): what stacks/scenarios/schema.json holds. */
export const scenarioSchemaJson = (): object => JSON.parse(JSON.stringify(ScenarioFile)) as object;

let compiled: ReturnType<Ajv["compile"]> | undefined;
let schemaJson: object | undefined;

/** Schema errors as located problems; a union or a pattern is named by its description. */
function schemaProblems(layer: Layer): Problem[] {
  schemaJson ??= scenarioSchemaJson();
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(schemaJson);
  if (compiled(layer.data)) return [];
  const errors = compiled.errors ?? [];
  // A value that matches no branch of a union is one problem, not one per branch: the union's, or,
  // when its one key names a branch (`{exponential: -1}`), that branch's own.
  const skipped: string[] = [];
  const kept: string[] = [];
  const resolved: string[] = [];
  for (const e of errors.filter((x) => x.keyword === "anyOf")) {
    const keys = isPlainObject(e.data) ? Object.keys(e.data) : [];
    const branch = (e.schema as { properties?: object }[]).findIndex(
      (b) => keys.length === 1 && b.properties !== undefined && keys[0]! in b.properties,
    );
    skipped.push(`${e.schemaPath}/`);
    if (branch >= 0) {
      kept.push(`${e.schemaPath}/${branch}/`);
      resolved.push(e.schemaPath);
    }
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const under = (prefix: string) => e.schemaPath.startsWith(prefix);
    if (skipped.some(under) && !kept.some(under)) continue;
    if (resolved.includes(e.schemaPath)) continue; // the union's own error: its branch says why
    const issue = schemaIssue(layer.data, e, schemaJson);
    if (issue === undefined) continue;
    const message = describedMessage(e) ?? issue.message;
    const problem: Problem = {
      severity: "error",
      ...locate([layer], issue.path, issue.atKey),
      path: formatPath(issue.path),
      message,
    };
    const key = formatProblem(problem);
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

function describedMessage(e: ErrorObject): string | undefined {
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  if ((e.keyword !== "anyOf" && e.keyword !== "pattern") || description === undefined)
    return undefined;
  return `expected ${description}, got ${JSON.stringify(e.data)}`;
}

/** "HH:MM" or "HH:MM:SS" → seconds since midnight; "24:00" is the end of the day. */
export function parseTime(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (min > 59 || s > 59 || h * 3600 + min * 60 + s > 86400) return undefined;
  return h * 3600 + min * 60 + s;
}

/** Seconds since midnight → "HH:MM" (or "HH:MM:SS" when seconds are not zero). */
export function formatTime(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return s === 0 ? `${two(h)}:${two(m)}` : `${two(h)}:${two(m)}:${two(s)}`;
}

type FileData = Static<typeof ScenarioFile>;
type DistributionData = Static<typeof Distribution>;
type ExitWeightsData = Static<typeof ExitWeights>;

/** A real date "YYYY-MM-DD" (2026-02-30 is not). */
function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function distribution(d: DistributionData): Distribution {
  if (typeof d === "number") return { kind: "fixed", value: d };
  if ("fixed" in d) return { kind: "fixed", value: d.fixed };
  if ("exponential" in d) return { kind: "exponential", mean: d.exponential };
  if ("uniform" in d) return { kind: "uniform", min: d.uniform[0], max: d.uniform[1] };
  return { kind: "normal", mean: d.normal.mean, sd: d.normal.sd };
}

/**
 * The rules between fields, on schema-valid data: real times, windows that end after they start,
 * one arrival pattern each, shifts that do not overlap. `problem` gets each `path` and reason.
 */
function scenarioOf(
  file: string,
  data: FileData,
  problem: (path: string, reason: string) => undefined,
): Scenario | undefined {
  const time = (path: string, text: string): number | undefined =>
    parseTime(text) ??
    problem(path, `expected a time of day "HH:MM" or "HH:MM:SS", got ${JSON.stringify(text)}`);
  const window = (path: string, w: [string, string]): [number, number] | undefined => {
    const from = time(`${path}[0]`, w[0]);
    const to = time(`${path}[1]`, w[1]);
    if (from === undefined || to === undefined) return undefined;
    if (to <= from)
      return problem(path, `ends at ${formatTime(to)}, not after it starts at ${formatTime(from)}`);
    return [from, to];
  };
  const dist = (path: string, d: DistributionData | undefined): Distribution | undefined => {
    if (d !== undefined && typeof d !== "number" && "uniform" in d && d.uniform[1] < d.uniform[0])
      return problem(`${path}.uniform`, `max ${d.uniform[1]} is below min ${d.uniform[0]}`);
    return d === undefined ? undefined : distribution(d);
  };

  if (data.date !== undefined && !isCalendarDate(data.date))
    problem("date", `${JSON.stringify(data.date)} is not a calendar date`);
  if (data.timeZone !== undefined && !isTimeZone(data.timeZone))
    problem(
      "timeZone",
      `unknown time zone ${JSON.stringify(data.timeZone)}: use an IANA name such as Europe/London`,
    );
  const weights = (path: string, w: ExitWeightsData | undefined): ExitWeights | undefined => {
    if (w === undefined) return undefined;
    const out = { voicemail: w.voicemail ?? 0, callback: w.callback ?? 0, hangUp: w.hangUp ?? 0 };
    if (out.voicemail + out.callback + out.hangUp > 0) return out;
    return problem(path, "give at least one of voicemail, callback, hangUp a weight above 0");
  };
  const exits = weights("exits", data.exits);
  const start = data.start === undefined ? 0 : time("start", data.start);
  const end = data.end === undefined ? 86400 : time("end", data.end);
  if (start !== undefined && end !== undefined && end <= start)
    problem("end", `${formatTime(end)} is not after start ${formatTime(start)}`);
  const handleTime = dist("handleTime", data.handleTime);
  const wrapUpTime = dist("wrapUpTime", data.wrapUpTime) ?? { kind: "fixed", value: 0 };
  const patience = dist("patience", data.patience);

  const arrivals: ArrivalStream[] = [];
  data.arrivals.forEach((a, i) => {
    const at = `arrivals[${i}]`;
    const c = a.caller;
    const caller: Caller =
      "ivr" in c
        ? c.ivr === "default"
          ? { kind: "default" }
          : { kind: "ivr", digit: c.ivr }
        : { kind: "attributes", attributes: c.attributes };
    const patterns = (["perHour", "every", "at"] as const).filter((k) => a[k] !== undefined);
    if (patterns.length !== 1) {
      const got = patterns.length ? patterns.join(", ") : "none";
      return problem(at, `expected exactly one of perHour, every, at (got ${got})`);
    }
    let pattern: ArrivalStream["pattern"];
    let range: [number, number] | undefined;
    if (a.at !== undefined) {
      const times = a.at.map((t, j) => time(`${at}.at[${j}]`, t));
      if (a.window !== undefined) problem(`${at}.window`, "not used with at");
      if (times.some((t) => t === undefined)) return;
      pattern = { kind: "at", times: times as number[] };
      range = [Math.min(...(times as number[])), Math.max(...(times as number[])) + 1];
    } else {
      range =
        a.window === undefined
          ? problem(`${at}.window`, "required with perHour or every")
          : window(`${at}.window`, a.window);
      pattern =
        a.perHour !== undefined
          ? { kind: "poisson", perHour: a.perHour }
          : { kind: "every", seconds: a.every as number };
    }
    const ht = dist(`${at}.handleTime`, a.handleTime);
    const wt = dist(`${at}.wrapUpTime`, a.wrapUpTime);
    const pt = dist(`${at}.patience`, a.patience);
    const ex = weights(`${at}.exits`, a.exits);
    if (range) {
      arrivals.push({
        caller,
        ...(a.line !== undefined && { line: a.line }),
        from: range[0],
        to: range[1],
        pattern,
        ...(ht && { handleTime: ht }),
        ...(wt && { wrapUpTime: wt }),
        ...(pt && { patience: pt }),
        ...(ex && { exits: ex }),
      });
    }
    return undefined;
  });

  const shifts: Scenario["shifts"] = {};
  for (const [worker, list] of Object.entries(data.shifts ?? {})) {
    const at = formatPath(["shifts", worker]);
    const windows = list.map((w, j) => window(`${at}[${j}]`, w));
    if (windows.some((w) => w === undefined)) continue;
    const sorted = (windows as Array<[number, number]>).sort((x, y) => x[0] - y[0]);
    sorted.slice(1).forEach((w, j) => {
      if (w[0] < sorted[j]![1]) problem(at, `windows overlap at ${formatTime(w[0])}`);
    });
    shifts[worker] = sorted;
  }
  if (start === undefined || end === undefined || handleTime === undefined) return undefined;
  return {
    file,
    name: data.name,
    ...(data.date !== undefined && { date: data.date }),
    ...(data.timeZone !== undefined && { timeZone: data.timeZone }),
    start,
    end,
    arrivals,
    handleTime,
    wrapUpTime,
    ...(patience && { patience }),
    ...(exits && { exits }),
    shifts,
  };
}

const byPosition = (a: Problem, b: Problem) => a.line - b.line || a.column - b.column;

/** Where each parsed scenario was written, for the stack checks' positions. */
const sources = new WeakMap<Scenario, Layer>();

/** Parse and check a scenario file's text; every problem at once, located. */
export function parseScenarioText(file: string, text: string): Scenario {
  const problems: Problem[] = [];
  const layer = parseLayer(file, text, problems);
  const errors = () => problems.filter((p) => p.severity === "error");
  if (layer === undefined) throw new ScenarioError(errors());
  problems.push(...schemaProblems(layer).sort(byPosition));
  if (errors().length > 0) throw new ScenarioError(errors());
  const scenario = scenarioOf(file, layer.data as FileData, (path, message) => {
    problems.push({ severity: "error", ...locate([layer], parsePath(path)), path, message });
    return undefined;
  });
  if (scenario === undefined || errors().length > 0) {
    throw new ScenarioError(errors().sort(byPosition));
  }
  sources.set(scenario, layer);
  return scenario;
}

/** Parse and check a scenario given as data (positions are those of its YAML form). */
export function parseScenario(file: string, data: unknown): Scenario {
  return parseScenarioText(file, stringify(data));
}

/** Read and parse a scenario file. */
export function readScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err);
    throw new ScenarioError([
      { severity: "error", file, line: 1, column: 1, path: "", message: `cannot read: ${reason}` },
    ]);
  }
  return parseScenarioText(file, text);
}

/** The checks that need the stack: lines and IVR digits exist, shift workers exist, a date when a line has hours. */
export function checkAgainstStack(scenario: Scenario, spec: ContactCentreSpec): void {
  const problems: Problem[] = [];
  const layer = sources.get(scenario);
  const problem = (path: string, message: string) =>
    problems.push({
      severity: "error",
      ...(layer ? locate([layer], parsePath(path)) : { file: scenario.file, line: 1, column: 1 }),
      path,
      message,
    });
  const lineKeys = Object.keys(spec.lines);
  scenario.arrivals.forEach((a, i) => {
    const line = spec.lines[a.line ?? (lineKeys[0] as string)];
    if (line === undefined) {
      problem(
        `arrivals[${i}].line`,
        `${spec.source} has no line "${a.line}" (lines: ${lineKeys.join(", ")})`,
      );
      return;
    }
    const digits = Object.keys(line.ivr.options);
    if (a.caller.kind === "ivr" && !digits.includes(a.caller.digit)) {
      const which = a.line === undefined ? "" : ` on line "${a.line}"`;
      problem(
        `arrivals[${i}].caller.ivr`,
        `${spec.source} has no IVR option "${a.caller.digit}"${which} (options: ${digits.join(", ")})`,
      );
    }
  });
  const withHours = lineKeys.filter((k) => spec.lines[k]!.hours !== undefined);
  if (scenario.date === undefined && withHours.length > 0) {
    problem(
      "date",
      `${spec.source} has opening hours on line ${withHours.join(", ")}: give the scenario a date ("YYYY-MM-DD") so they can be judged`,
    );
  }
  for (const worker of Object.keys(scenario.shifts)) {
    if (!(worker in spec.workers)) {
      problem(
        formatPath(["shifts", worker]),
        `${spec.source} has no worker "${worker}" (workers: ${Object.keys(spec.workers).join(", ")})`,
      );
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems.sort(byPosition));
}
