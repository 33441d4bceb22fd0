// Load a routing definition: read stacks/<stack>.yaml and the files it extends, parse YAML keeping
// node positions (stackYaml.ts), merge overlays (overlay.ts), check the schema (ajv, every error),
// then the cross-reference rules (validate.ts), and apply defaults. Every problem names file, line:column, path and reason.
// `loadStackText` is the pure core (files are read through an injected function); `loadStack` adds fs.
import { isUtf8 } from "node:buffer";
import * as fs from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import {
  ADOPTABLE_KINDS,
  DEFAULTS,
  SEEDED_CHANNELS,
  StackSpec,
  type ContactCentreSpec,
  type LineSpec,
  type PhoneSpec,
} from "./model";
import { collectChain, isPlainObject, mergeLayers, mergeOverlay, missingRemovals } from "./overlay";
import { locate, parseLayer, STACK_FILE_MAX_BYTES, type Layer } from "./stackYaml";
import { formatPath, parsePath, type PathSegment, type Severity } from "./validate";
import { validateSpec } from "./validateSpec";

/** One problem, located in the file that contains the offending node. Lines and columns are 1-based. */
export interface Problem {
  severity: Severity;
  file: string;
  line: number;
  column: number;
  /** e.g. `workflow.filters[0].targets[1].queue`; empty for YAML syntax errors. */
  path: string;
  message: string;
}

/** `stacks/dev.yaml:42:17 error workflow.filters[0].targets[0].queue: unknown queue "hindii" (…)` */
export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.line}:${p.column} ${p.severity}`;
  return p.path === "" ? `${where} ${p.message}` : `${where} ${p.path}: ${p.message}`;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Thrown by `loadStack` when a stack has at least one error; `problems` holds warnings too. */
export class StackValidationError extends Error {
  readonly problems: Problem[];

  constructor(file: string, problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === "error").length;
    const warnings = problems.length - errors;
    super(
      `${file}: ${count(errors, "error")}, ${count(warnings, "warning")}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.name = "StackValidationError";
    this.problems = problems;
  }
}

export interface LoadedStack {
  spec: ContactCentreSpec;
  warnings: Problem[];
}

/** Reads a file named by `extends` (a path already resolved against the extending file). */
export type ReadFile = (file: string) => string;

// ---------------------------------------------------------------------------------------------
// Schema

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(stackSchemaJson());
  return compiled;
}

let schemaJson: object | undefined;

/** The JSON form of the schema (TypeBox's symbol keys dropped): exactly what stacks/schema.json holds. */
function stackSchemaJson(): object {
  schemaJson ??= JSON.parse(JSON.stringify(StackSpec)) as object;
  return schemaJson;
}

/** The sub-schema at an ajv `schemaPath` such as `#/properties/workspace`. */
function schemaAt(at: string, root: object): { properties?: Record<string, unknown> } {
  let current: unknown = root;
  for (const raw of at.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    current = isPlainObject(current) ? current[segment] : undefined;
  }
  return isPlainObject(current) ? current : {};
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a map";
  return JSON.stringify(value) ?? String(value);
}

function valueAt(data: unknown, path: PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isPlainObject(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

/** JSON pointer → segments, with array indexes as numbers (they format as `[n]`). */
function pointerToPath(data: unknown, pointer: string): PathSegment[] {
  const path: PathSegment[] = [];
  if (pointer === "") return path;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path.push(Array.isArray(valueAt(data, path)) ? Number(segment) : segment);
  }
  return path;
}

export function schemaIssue(
  data: unknown,
  e: ErrorObject,
  schema: object = stackSchemaJson(),
): { path: PathSegment[]; message: string; atKey?: boolean } | undefined {
  const path = pointerToPath(data, e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "propertyNames") return undefined; // its inner errors carry `propertyName`
  if (e.propertyName !== undefined) {
    return {
      path: [...path, e.propertyName],
      atKey: true,
      message: `key ${JSON.stringify(e.propertyName)} ${e.message}`,
    };
  }
  switch (e.keyword) {
    case "additionalProperties": {
      const property = String(params.additionalProperty);
      const allowed = Object.keys(
        schemaAt(e.schemaPath.replace(/\/additionalProperties$/, ""), schema).properties ?? {},
      );
      return {
        path: [...path, property],
        atKey: true,
        message: `unknown property ${JSON.stringify(property)} (allowed: ${allowed.join(", ")})`,
      };
    }
    case "required": {
      const property = String(params.missingProperty);
      return {
        path: [...path, property],
        message: `required property ${JSON.stringify(property)} is missing`,
      };
    }
    case "enum":
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).join(", ")} (got ${describe(valueAt(data, path))})`,
      };
    default:
      return { path, message: `${e.message ?? e.keyword} (got ${describe(valueAt(data, path))})` };
  }
}

// ---------------------------------------------------------------------------------------------
// Defaults

/** Apply Twilio's defaults (model.ts DEFAULTS) to a schema-valid stack. */
export function resolveSpec(stack: StackSpec, source: string): ContactCentreSpec {
  const workers: ContactCentreSpec["workers"] = {};
  for (const [name, worker] of Object.entries(stack.workers)) {
    workers[name] = {
      activity: worker.activity ?? stack.defaultActivity,
      attributes: worker.attributes ?? {},
      ...(worker.channels !== undefined && { channels: worker.channels }),
    };
  }
  const channels: NonNullable<ContactCentreSpec["channels"]> = {};
  for (const [key, channel] of Object.entries(stack.channels ?? {})) {
    channels[key] = {
      friendlyName: channel.friendlyName ?? SEEDED_CHANNELS[key] ?? key,
      channelOptimizedRouting: channel.channelOptimizedRouting ?? false,
    };
  }
  const queues: ContactCentreSpec["queues"] = {};
  for (const [key, queue] of Object.entries(stack.queues)) {
    queues[key] = {
      friendlyName: queue.friendlyName,
      targetWorkers: queue.targetWorkers ?? DEFAULTS.targetWorkers,
      taskOrder: queue.taskOrder ?? DEFAULTS.taskOrder,
      maxReservedWorkers: queue.maxReservedWorkers ?? DEFAULTS.maxReservedWorkers,
      ...(queue.reservationActivity !== undefined && {
        reservationActivity: queue.reservationActivity,
      }),
      ...(queue.assignmentActivity !== undefined && {
        assignmentActivity: queue.assignmentActivity,
      }),
    };
  }
  const { workspace, workflow } = stack;
  return {
    source,
    ...(stack.adopt !== undefined && {
      adopt: {
        kinds: ADOPTABLE_KINDS.filter(
          (kind) => stack.adopt!.objects.includes("all") || stack.adopt!.objects.includes(kind),
        ),
        onDestroy: stack.adopt.onDestroy ?? "restore",
      },
    }),
    workspace: {
      friendlyName: workspace.friendlyName,
      multitasking: workspace.multitasking ?? DEFAULTS.multitasking,
      queueOrder: workspace.queueOrder ?? DEFAULTS.queueOrder,
      events: workspace.events ?? DEFAULTS.events,
      ...(workspace.eventsFilter !== undefined && { eventsFilter: workspace.eventsFilter }),
    },
    activities: stack.activities,
    defaultActivity: stack.defaultActivity,
    timeoutActivity: stack.timeoutActivity,
    postWorkActivity: stack.postWorkActivity,
    ...(stack.channels !== undefined && { channels }),
    workers,
    queues,
    workflow: {
      friendlyName: workflow.friendlyName,
      reservationTimeout: workflow.reservationTimeout ?? DEFAULTS.reservationTimeout,
      filters: workflow.filters ?? [],
      defaultTarget: workflow.defaultTarget,
      ...(workflow.allowWaitingForever !== undefined && {
        allowWaitingForever: workflow.allowWaitingForever,
      }),
    },
    ...resolveCallFlow(stack),
  };
}

type CallFlowKeys = "phone" | "lines" | "linesAt" | "voicemail" | "callback" | "agentLeg";

/** The lines and the call-flow settings of a stack with defaults applied (also for hand-built specs). */
export function resolveCallFlow(
  stack: Pick<StackSpec, "phone" | "lines" | "voicemail" | "callback" | "agentLeg">,
): Pick<ContactCentreSpec, CallFlowKeys> {
  return {
    ...resolveLines(stack),
    voicemail: { ...DEFAULTS.voicemail, ...stack.voicemail },
    callback: { ...DEFAULTS.callback, ...stack.callback },
    agentLeg: { ...DEFAULTS.agentLeg, ...stack.agentLeg },
  };
}

function resolveLines(
  stack: Pick<StackSpec, "phone" | "lines">,
): Pick<ContactCentreSpec, "phone" | "lines" | "linesAt"> {
  const written: Record<string, PhoneSpec> = stack.lines ?? {
    [DEFAULTS.mainLine]: stack.phone as PhoneSpec,
  };
  const lines: Record<string, LineSpec> = {};
  for (const [key, line] of Object.entries(written)) {
    lines[key] = {
      number: line.number,
      ivr: {
        greeting: line.ivr.greeting,
        voice: line.ivr.voice ?? DEFAULTS.voice,
        language: line.ivr.language ?? DEFAULTS.language,
        options: line.ivr.options,
        defaultAttributes: line.ivr.defaultAttributes ?? {},
      },
      ...(line.holdMusicUrl !== undefined && { holdMusicUrl: line.holdMusicUrl }),
      taskAttributes: line.taskAttributes ?? {},
      ...(line.hours !== undefined && { hours: line.hours }),
      whenClosed: line.whenClosed ?? [...DEFAULTS.exits],
      ...(line.maxWait !== undefined && { maxWait: line.maxWait }),
      whenNobodyAnswers: line.whenNobodyAnswers ?? [...DEFAULTS.exits],
      recordCalls: line.recordCalls ?? false,
    };
  }
  return {
    phone: Object.values(lines)[0],
    lines,
    linesAt: stack.lines === undefined ? "phone" : "lines",
  };
}

// ---------------------------------------------------------------------------------------------
// Entry points

export interface StackCheck {
  /** Present when there is no error. */
  spec?: ContactCentreSpec;
  /** Errors and warnings, by file (the stack first, then what it extends), line and column. */
  problems: Problem[];
}

const noRead: ReadFile = (file) => {
  throw new Error(`no reader given for ${file}`);
};

/**
 * Check a stack given as text, reading the files it extends with `read`, and never throw for bad
 * input. Semantic rules (validate.ts) run once the merged document matches the schema.
 */
export function checkStackText(file: string, text: string, read: ReadFile = noRead): StackCheck {
  const problems: Problem[] = [];
  let unparsable = false;
  const { layers, problem } = collectChain(file, (f) => {
    const layer = parseLayer(f, f === file ? text : read(f), problems);
    unparsable ||= layer === undefined;
    return layer;
  });
  const done = (spec?: ContactCentreSpec): StackCheck => ({
    spec,
    problems: sortProblems(layers, problems),
  });
  if (problem !== undefined) {
    const layer = layers.find((l) => l.file === problem.file) as Layer;
    problems.push({
      severity: "error",
      ...locate([layer], ["extends"]),
      path: "extends",
      message: problem.message,
    });
  }
  // Without every layer there is nothing sound to merge; the reasons are already collected.
  if (problem !== undefined || unparsable) return done();

  // A `null` in an overlay removes an entry; one that removes nothing is a misspelt name.
  let older: unknown = undefined;
  [...layers].reverse().forEach((layer, index) => {
    if (index > 0) {
      for (const path of missingRemovals(older, layer.data)) {
        problems.push({
          severity: "error",
          ...locate([layer], path, true),
          path: formatPath(path),
          message: `removes nothing: ${layers[layers.length - index].file} (with what it extends) has no such entry`,
        });
      }
    }
    older = index === 0 ? layer.data : mergeOverlay(older, layer.data);
  });
  if (problems.some((p) => p.severity === "error")) return done();

  const merged = mergeLayers([...layers].reverse().map((layer) => layer.data));
  const validate = schemaValidator();
  if (!validate(merged)) {
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      const issue = schemaIssue(merged, e);
      if (issue === undefined) continue;
      const path = formatPath(issue.path);
      if (seen.has(`${path}\n${issue.message}`)) continue;
      seen.add(`${path}\n${issue.message}`);
      problems.push({
        severity: "error",
        ...locate(layers, issue.path, issue.atKey),
        path,
        message: issue.message,
      });
    }
    return done();
  }
  const written = merged as Partial<StackSpec>;
  const lineKeys = ["phone", "lines"].filter((key) => Object.hasOwn(written, key));
  if (
    lineKeys.length !== 1 ||
    (lineKeys[0] === "lines" && Object.keys(written.lines ?? {}).length === 0)
  ) {
    const path = lineKeys.length === 2 ? ["lines"] : lineKeys;
    problems.push({
      severity: "error",
      ...locate(layers, path, lineKeys.length === 2),
      path: formatPath(path),
      message:
        lineKeys.length === 2
          ? "give phone (one line) or lines (several), not both"
          : lineKeys.length === 0
            ? "the centre has no line: give phone (one line) or lines (several)"
            : "lines is empty: give at least one line",
    });
    return done();
  }
  const spec = resolveSpec(merged as StackSpec, file);
  for (const issue of validateSpec(spec)) {
    problems.push({ ...issue, ...locate(layers, parsePath(issue.path)) });
  }
  return done(problems.some((p) => p.severity === "error") ? undefined : spec);
}

function sortProblems(layers: Layer[], problems: Problem[]): Problem[] {
  const order = (file: string): number => {
    const index = layers.findIndex((l) => l.file === file);
    return index === -1 ? layers.length : index;
  };
  return [...problems].sort(
    (a, b) => order(a.file) - order(b.file) || a.line - b.line || a.column - b.column,
  );
}

/** Like `checkStackText`, but throws `StackValidationError` when there is any error. */
export function loadStackText(file: string, text: string, read: ReadFile = noRead): LoadedStack {
  const { spec, problems } = checkStackText(file, text, read);
  if (spec === undefined) throw new StackValidationError(file, problems);
  return { spec, warnings: problems };
}

/** A stack file that is not text the loader can take; `line` and `column` say where, when known. */
export class UnreadableStackError extends Error {
  constructor(
    message: string,
    readonly line = 1,
    readonly column = 1,
  ) {
    super(message);
    this.name = "UnreadableStackError";
  }
}

/**
 * Where the first byte that is not UTF-8 sits (the start of the bad sequence), or undefined when
 * `bytes` is valid UTF-8 throughout (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] ?? 0) >> 6 !== 0b10) return i;
    const second = bytes[i + 1];
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return i;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return undefined;
}

const readUtf8: ReadFile = (file) => {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > STACK_FILE_MAX_BYTES) {
      throw new UnreadableStackError(`the file is larger than ${STACK_FILE_MAX_BYTES} bytes`);
    }
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === "ENOENT" ? new Error("no such file") : err;
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== undefined) {
    const before = bytes.subarray(0, invalid);
    const lineStart = before.lastIndexOf(0x0a) + 1;
    const line = before.filter((b) => b === 0x0a).length + 1;
    const column = before.subarray(lineStart).toString("utf8").length + 1;
    const hex = bytes[invalid].toString(16).toUpperCase().padStart(2, "0");
    throw new UnreadableStackError(
      `not valid UTF-8: byte 0x${hex} at line ${line}, column ${column}`,
      line,
      column,
    );
  }
  return bytes.toString("utf8");
};

/** Check a stack file and what it extends; an unreadable file is reported as a problem. */
export function checkStack(file: string): StackCheck {
  let text: string;
  try {
    text = readUtf8(file);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const at = err instanceof UnreadableStackError ? err : { line: 1, column: 1 };
    return {
      problems: [
        {
          severity: "error",
          file,
          line: at.line,
          column: at.column,
          path: "",
          message: `cannot read: ${reason}`,
        },
      ],
    };
  }
  return checkStackText(file, text, readUtf8);
}

/** Load `stacks/<stack>.yaml` (or any stack file): the validated spec and its warnings, or a throw. */
export function loadStack(file: string): LoadedStack {
  const { spec, problems } = checkStack(file);
  if (spec === undefined) throw new StackValidationError(file, problems);
  return { spec, warnings: problems };
}
