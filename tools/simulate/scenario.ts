// What-if scenarios (`stacks/scenarios/*.yaml`): who calls when, how long calls and wrap-up take,
// who works when and how long callers wait before hanging up. Parsed and checked here with every
// problem reported at once as `file: path: reason`; the stack-dependent checks (IVR digits, worker
// names) run in `checkAgainstStack`. Pure except `readScenario`.
import * as fs from "node:fs";
import { parse } from "yaml";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";

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

export interface ArrivalStream {
  caller: Caller;
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
}

export interface Scenario {
  file: string;
  name: string;
  /** Seconds since midnight. */
  start: number;
  end: number;
  arrivals: ArrivalStream[];
  handleTime: Distribution;
  wrapUpTime: Distribution;
  /** Absent: callers never hang up. */
  patience?: Distribution;
  /** Worker → on-shift windows (seconds since midnight); workers not listed keep their stack activity. */
  shifts: Record<string, Array<[number, number]>>;
}

/** Every problem with a scenario, each `file: path: reason`. */
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ScenarioError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

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

const KEYS = ["name", "start", "end", "arrivals", "handleTime", "wrapUpTime", "patience", "shifts"];
const ARRIVAL_KEYS = [
  "window",
  "perHour",
  "every",
  "at",
  "caller",
  "handleTime",
  "wrapUpTime",
  "patience",
];

/** Parse and check a scenario's data (already read from YAML). */
export function parseScenario(file: string, data: unknown): Scenario {
  const problems: string[] = [];
  const problem = (path: string, reason: string): undefined => {
    problems.push(`${file}: ${path === "" ? "" : `${path}: `}${reason}`);
    return undefined;
  };
  const time = (path: string, v: unknown): number | undefined => {
    const t = typeof v === "string" ? parseTime(v) : undefined;
    return t === undefined
      ? problem(path, `expected a time of day "HH:MM" or "HH:MM:SS", got ${JSON.stringify(v)}`)
      : t;
  };
  const positive = (path: string, v: unknown, allowZero = false): number | undefined =>
    typeof v === "number" && Number.isFinite(v) && (allowZero ? v >= 0 : v > 0)
      ? v
      : problem(
          path,
          `expected a ${allowZero ? "non-negative" : "positive"} number, got ${JSON.stringify(v)}`,
        );
  const unknownKeys = (path: string, o: Obj, allowed: string[]): void => {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key))
        problem(
          path === "" ? key : `${path}.${key}`,
          `unknown key (expected one of ${allowed.join(", ")})`,
        );
    }
  };
  const distribution = (path: string, v: unknown): Distribution | undefined => {
    if (typeof v === "number") {
      const value = positive(path, v, true);
      return value === undefined ? undefined : { kind: "fixed", value };
    }
    if (!isObj(v) || Object.keys(v).length !== 1) {
      return problem(
        path,
        `expected seconds, or one of {fixed: s}, {exponential: mean}, {uniform: [min, max]}, {normal: {mean, sd}}; got ${JSON.stringify(v)}`,
      );
    }
    const [kind, arg] = Object.entries(v)[0] as [string, unknown];
    switch (kind) {
      case "fixed": {
        const value = positive(`${path}.fixed`, arg, true);
        return value === undefined ? undefined : { kind: "fixed", value };
      }
      case "exponential": {
        const mean = positive(`${path}.exponential`, arg);
        return mean === undefined ? undefined : { kind: "exponential", mean };
      }
      case "uniform": {
        if (!Array.isArray(arg) || arg.length !== 2)
          return problem(`${path}.uniform`, `expected [min, max], got ${JSON.stringify(arg)}`);
        const min = positive(`${path}.uniform[0]`, arg[0], true);
        const max = positive(`${path}.uniform[1]`, arg[1], true);
        if (min === undefined || max === undefined) return undefined;
        if (max < min) return problem(`${path}.uniform`, `max ${max} is below min ${min}`);
        return { kind: "uniform", min, max };
      }
      case "normal": {
        if (!isObj(arg))
          return problem(`${path}.normal`, `expected {mean, sd}, got ${JSON.stringify(arg)}`);
        unknownKeys(`${path}.normal`, arg, ["mean", "sd"]);
        const mean = positive(`${path}.normal.mean`, arg.mean);
        const sd = positive(`${path}.normal.sd`, arg.sd, true);
        return mean === undefined || sd === undefined ? undefined : { kind: "normal", mean, sd };
      }
      default:
        return problem(
          path,
          `unknown distribution "${kind}" (expected fixed, exponential, uniform or normal)`,
        );
    }
  };
  const window = (path: string, v: unknown): [number, number] | undefined => {
    if (!Array.isArray(v) || v.length !== 2)
      return problem(path, `expected ["HH:MM", "HH:MM"], got ${JSON.stringify(v)}`);
    const from = time(`${path}[0]`, v[0]);
    const to = time(`${path}[1]`, v[1]);
    if (from === undefined || to === undefined) return undefined;
    if (to <= from)
      return problem(path, `ends at ${formatTime(to)}, not after it starts at ${formatTime(from)}`);
    return [from, to];
  };

  if (!isObj(data)) throw new ScenarioError([`${file}: expected a mapping at the top level`]);
  unknownKeys("", data, KEYS);
  const name =
    typeof data.name === "string" && data.name !== ""
      ? data.name
      : problem("name", "expected a non-empty string");
  const start = data.start === undefined ? 0 : time("start", data.start);
  const end = data.end === undefined ? 86400 : time("end", data.end);
  if (start !== undefined && end !== undefined && end <= start)
    problem("end", `${formatTime(end)} is not after start ${formatTime(start)}`);
  const handleTime = distribution("handleTime", data.handleTime);
  const wrapUpTime =
    data.wrapUpTime === undefined
      ? { kind: "fixed" as const, value: 0 }
      : distribution("wrapUpTime", data.wrapUpTime);
  const patience =
    data.patience === undefined ? undefined : distribution("patience", data.patience);

  const arrivals: ArrivalStream[] = [];
  if (!Array.isArray(data.arrivals) || data.arrivals.length === 0)
    problem("arrivals", "expected a non-empty list");
  else {
    data.arrivals.forEach((a: unknown, i: number) => {
      const at = `arrivals[${i}]`;
      if (!isObj(a)) return problem(at, "expected a mapping");
      unknownKeys(at, a, ARRIVAL_KEYS);
      let caller: Caller | undefined;
      const c = a.caller;
      if (isObj(c) && Object.keys(c).length === 1 && typeof c.ivr === "string") {
        caller = c.ivr === "default" ? { kind: "default" } : { kind: "ivr", digit: c.ivr };
      } else if (isObj(c) && Object.keys(c).length === 1 && isObj(c.attributes)) {
        caller = { kind: "attributes", attributes: c.attributes };
      } else
        problem(
          `${at}.caller`,
          `expected {ivr: "<digit>"}, {ivr: default} or {attributes: {...}}, got ${JSON.stringify(c)}`,
        );
      const patterns = ["perHour", "every", "at"].filter((k) => a[k] !== undefined);
      if (patterns.length !== 1) {
        problem(
          at,
          `expected exactly one of perHour, every, at (got ${patterns.length ? patterns.join(", ") : "none"})`,
        );
        return;
      }
      let pattern: ArrivalStream["pattern"] | undefined;
      let range: [number, number] | undefined;
      if (a.at !== undefined) {
        if (!Array.isArray(a.at) || a.at.length === 0)
          return problem(`${at}.at`, "expected a non-empty list of times");
        const times = a.at.map((t: unknown, j: number) => time(`${at}.at[${j}]`, t));
        if (times.some((t) => t === undefined)) return;
        if (a.window !== undefined) problem(`${at}.window`, "not used with at");
        pattern = { kind: "at", times: times as number[] };
        range = [Math.min(...(times as number[])), Math.max(...(times as number[])) + 1];
      } else {
        range =
          a.window === undefined
            ? problem(`${at}.window`, "required with perHour or every")
            : window(`${at}.window`, a.window);
        if (a.perHour !== undefined) {
          const perHour = positive(`${at}.perHour`, a.perHour);
          if (perHour !== undefined) pattern = { kind: "poisson", perHour };
        } else {
          const seconds = positive(`${at}.every`, a.every);
          if (seconds !== undefined) pattern = { kind: "every", seconds };
        }
      }
      const ht =
        a.handleTime === undefined ? undefined : distribution(`${at}.handleTime`, a.handleTime);
      const wt =
        a.wrapUpTime === undefined ? undefined : distribution(`${at}.wrapUpTime`, a.wrapUpTime);
      const pt = a.patience === undefined ? undefined : distribution(`${at}.patience`, a.patience);
      if (caller && pattern && range) {
        arrivals.push({
          caller,
          from: range[0],
          to: range[1],
          pattern,
          ...(ht && { handleTime: ht }),
          ...(wt && { wrapUpTime: wt }),
          ...(pt && { patience: pt }),
        });
      }
      return undefined;
    });
  }

  const shifts: Scenario["shifts"] = {};
  if (data.shifts !== undefined) {
    if (!isObj(data.shifts))
      problem("shifts", "expected a mapping of worker name to a list of windows");
    else {
      for (const [worker, list] of Object.entries(data.shifts)) {
        const at = `shifts.${worker}`;
        if (!Array.isArray(list)) {
          problem(at, `expected a list of ["HH:MM", "HH:MM"] windows, got ${JSON.stringify(list)}`);
          continue;
        }
        const windows = list.map((w: unknown, j: number) => window(`${at}[${j}]`, w));
        if (windows.some((w) => w === undefined)) continue;
        const sorted = (windows as Array<[number, number]>).sort((x, y) => x[0] - y[0]);
        sorted.slice(1).forEach((w, j) => {
          if (w[0] < sorted[j]![1]) problem(at, `windows overlap at ${formatTime(w[0])}`);
        });
        shifts[worker] = sorted;
      }
    }
  }
  if (
    problems.length > 0 ||
    name === undefined ||
    start === undefined ||
    end === undefined ||
    handleTime === undefined ||
    wrapUpTime === undefined
  ) {
    throw new ScenarioError(problems);
  }
  return {
    file,
    name,
    start,
    end,
    arrivals,
    handleTime,
    wrapUpTime,
    ...(patience && { patience }),
    shifts,
  };
}

/** Read and parse a scenario file; YAML errors are reported like the other problems. */
export function readScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ScenarioError([`${file}: cannot read: ${(err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new ScenarioError([`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`]);
  }
  return parseScenario(file, data);
}

/** The checks that need the stack: IVR digits exist, shift workers exist. */
export function checkAgainstStack(scenario: Scenario, spec: ContactCentreSpec): void {
  const problems: string[] = [];
  const digits = Object.keys(spec.phone.ivr.options);
  scenario.arrivals.forEach((a, i) => {
    if (a.caller.kind === "ivr" && !digits.includes(a.caller.digit)) {
      problems.push(
        `${scenario.file}: arrivals[${i}].caller.ivr: ${spec.source} has no IVR option "${a.caller.digit}" (options: ${digits.join(", ")})`,
      );
    }
  });
  for (const worker of Object.keys(scenario.shifts)) {
    if (!(worker in spec.workers)) {
      problems.push(
        `${scenario.file}: shifts.${worker}: ${spec.source} has no worker "${worker}" (workers: ${Object.keys(spec.workers).join(", ")})`,
      );
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
}
