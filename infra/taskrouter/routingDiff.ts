// What a change to a routing definition does, as data: field-level changes per object (workers,
// queues, filters, targets, activities, settings, IVR), who is affected (workers that start or stop
// matching a queue; kinds of caller whose route changes: routingDiffCallers.ts) and a Mermaid
// flowchart of the routing after the change (routingDiffFlowchart.ts). The Markdown for a
// pull-request comment: routingDiffMarkdown.ts. Pure: no I/O.
import { sameJson as same } from "./canonicalJson";
import { formatExpression, parseExpression } from "./expression";
import type { ContactCentreSpec, FilterSpec, LineSpec } from "./model";
import { diffCallers, type CallerRoute } from "./routingDiffCallers";
import { routingFlowchart } from "./routingDiffFlowchart";
import { describeTarget, keyedFilters, keyedTargets, queueMembership } from "./routingDiffRoutes";

/** One changed field of one object, or a whole object added or removed. */
export interface Change {
  kind: "added" | "removed" | "changed";
  /** The object: a worker's name, a queue key, a filter's name, an IVR digit… */
  subject: string;
  /** For targets: the target within the filter (queue key, `#2` for a repeat). */
  target?: string;
  /** The changed field (YAML name, dotted for attributes); absent for added/removed objects. */
  field?: string;
  before?: unknown;
  after?: unknown;
}

/** A worker that starts or stops matching a queue's `targetWorkers`. */
export interface MembershipChange {
  worker: string;
  queue: string;
  change: "starts matching" | "stops matching";
}

export interface RoutingDiff {
  base: string;
  head: string;
  workers: Change[];
  queues: Change[];
  filters: Change[];
  targets: Change[];
  activities: Change[];
  /** Declared task channels (the stack file's `channels:`). */
  channels: Change[];
  settings: Change[];
  ivr: Change[];
  membership: MembershipChange[];
  /** Only the caller kinds whose route differs. */
  callers: CallerRoute[];
  /** How many caller kinds were compared. */
  callerKinds: number;
  /** Mermaid flowchart of the head routing with changes marked; empty when nothing changed. */
  flowchart: string;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Two expressions are the same when their canonical forms are (whitespace, quotes, keyword case). */
function canonicalExpression(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  try {
    return formatExpression(parseExpression(source));
  } catch {
    return source;
  }
}

const sameExpression = (a: string | undefined, b: string | undefined): boolean =>
  canonicalExpression(a) === canonicalExpression(b);

const EXPRESSION_FIELDS = new Set(["targetWorkers", "expression", "skipIf"]);

/** Field-by-field comparison of two flat records (by canonical value). */
function compareFields(
  subject: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
  extra: Partial<Change> = {},
): Change[] {
  const changes: Change[] = [];
  for (const field of fields) {
    const a = before[field];
    const b = after[field];
    const equal = EXPRESSION_FIELDS.has(field)
      ? sameExpression(a as string | undefined, b as string | undefined)
      : same(a, b);
    if (!equal) changes.push({ kind: "changed", subject, ...extra, field, before: a, after: b });
  }
  return changes;
}

/** Added, removed and changed entries of two keyed maps, in head order then removed ones. */
function compareMaps<T>(
  before: Record<string, T>,
  after: Record<string, T>,
  summary: (value: T) => unknown,
  fields: (subject: string, a: T, b: T) => Change[],
): Change[] {
  const changes: Change[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!Object.prototype.hasOwnProperty.call(before, key)) {
      changes.push({ kind: "added", subject: key, after: summary(value) });
    } else changes.push(...fields(key, before[key] as T, value));
  }
  for (const [key, value] of Object.entries(before)) {
    if (!Object.prototype.hasOwnProperty.call(after, key)) {
      changes.push({ kind: "removed", subject: key, before: summary(value) });
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Objects

const QUEUE_FIELDS = [
  "friendlyName",
  "targetWorkers",
  "taskOrder",
  "maxReservedWorkers",
  "reservationActivity",
  "assignmentActivity",
] as const;
const TARGET_FIELDS = [
  "priority",
  "timeout",
  "expression",
  "orderBy",
  "skipIf",
  "knownWorker",
] as const;

function diffWorkers(base: ContactCentreSpec, head: ContactCentreSpec): Change[] {
  return compareMaps(
    base.workers,
    head.workers,
    (w) => ({
      activity: w.activity,
      attributes: w.attributes,
      ...(w.channels !== undefined && { channels: w.channels }),
    }),
    (name, a, b) => {
      const changes = compareFields(name, a, b, ["activity"]);
      const keys = [...new Set([...Object.keys(b.attributes), ...Object.keys(a.attributes)])];
      for (const key of keys) {
        if (!same(a.attributes[key], b.attributes[key])) {
          changes.push({
            kind: "changed",
            subject: name,
            field: `attributes.${key}`,
            before: a.attributes[key],
            after: b.attributes[key],
          });
        }
      }
      const channels = [
        ...new Set([...Object.keys(b.channels ?? {}), ...Object.keys(a.channels ?? {})]),
      ];
      for (const key of channels) {
        const before = a.channels?.[key];
        const after = b.channels?.[key];
        if (before !== after) {
          changes.push({ kind: "changed", subject: name, field: `channels.${key}`, before, after });
        }
      }
      return changes;
    },
  );
}

function diffQueues(base: ContactCentreSpec, head: ContactCentreSpec): Change[] {
  return compareMaps(
    base.queues,
    head.queues,
    (q) => q,
    (key, a, b) => compareFields(key, a, b, QUEUE_FIELDS),
  );
}

function diffFilters(
  base: ContactCentreSpec,
  head: ContactCentreSpec,
): { filters: Change[]; targets: Change[] } {
  const before = keyedFilters(base.workflow.filters);
  const after = keyedFilters(head.workflow.filters);
  const filters: Change[] = [];
  const targets: Change[] = [];
  const summary = (f: FilterSpec): unknown => ({
    expression: f.expression,
    targets: f.targets.map(describeTarget).join(" → "),
  });
  for (const [name, { filter, position }] of after) {
    const old = before.get(name);
    if (old === undefined) {
      filters.push({
        kind: "added",
        subject: name,
        after: { position, ...(summary(filter) as object) },
      });
      continue;
    }
    filters.push(
      ...compareFields(
        name,
        { position: old.position, expression: old.filter.expression },
        { position, expression: filter.expression },
        ["position", "expression"],
      ),
    );
    const ta = keyedTargets(old.filter.targets);
    const tb = keyedTargets(filter.targets);
    for (const [key, t] of tb) {
      const o = ta.get(key);
      if (o === undefined) {
        targets.push({
          kind: "added",
          subject: name,
          target: key,
          after: describeTarget(t.target),
        });
        continue;
      }
      targets.push(
        ...compareFields(
          name,
          { position: o.position, ...o.target },
          { position: t.position, ...t.target },
          ["position", ...TARGET_FIELDS],
          { target: key },
        ),
      );
    }
    for (const [key, o] of ta) {
      if (!tb.has(key)) {
        targets.push({
          kind: "removed",
          subject: name,
          target: key,
          before: describeTarget(o.target),
        });
      }
    }
  }
  for (const [name, { filter, position }] of before) {
    if (!after.has(name)) {
      filters.push({
        kind: "removed",
        subject: name,
        before: { position, ...(summary(filter) as object) },
      });
    }
  }
  return { filters, targets };
}

function diffSettings(base: ContactCentreSpec, head: ContactCentreSpec): Change[] {
  const flat = (s: ContactCentreSpec): Record<string, unknown> => ({
    "workspace.friendlyName": s.workspace.friendlyName,
    "workspace.multitasking": s.workspace.multitasking,
    "workspace.queueOrder": s.workspace.queueOrder,
    "workspace.events": s.workspace.events,
    "workspace.eventsFilter": s.workspace.eventsFilter,
    defaultActivity: s.defaultActivity,
    timeoutActivity: s.timeoutActivity,
    postWorkActivity: s.postWorkActivity,
    "workflow.friendlyName": s.workflow.friendlyName,
    "workflow.reservationTimeout": s.workflow.reservationTimeout,
    "workflow.defaultTarget.queue": s.workflow.defaultTarget.queue,
  });
  const a = flat(base);
  const b = flat(head);
  return compareFields("settings", a, b, Object.keys(b)).map((c) => ({
    ...c,
    subject: c.field as string,
    field: undefined,
  }));
}

/** The lines' IVRs and call flows; subjects carry the line's key once there is more than one line. */
function diffIvr(base: ContactCentreSpec, head: ContactCentreSpec): Change[] {
  const keys = (s: ContactCentreSpec) => Object.keys(s.lines).join("\n");
  const oneLine = Object.keys(head.lines).length === 1 && keys(base) === keys(head);
  const changes: Change[] = [];
  for (const [key, line] of Object.entries(head.lines)) {
    const before = Object.hasOwn(base.lines, key) ? base.lines[key] : undefined;
    if (before === undefined)
      changes.push({ kind: "added", subject: `line ${key}`, after: line.number });
    else changes.push(...diffLine(oneLine ? "" : `${key} `, before, line));
  }
  for (const [key, line] of Object.entries(base.lines)) {
    if (!Object.hasOwn(head.lines, key)) {
      changes.push({ kind: "removed", subject: `line ${key}`, before: line.number });
    }
  }
  return changes;
}

/** Hours key by key (`hours.weekly.mon`, `hours.closures`, …) when both sides have them, else whole. */
function hoursFields(line: LineSpec, split: boolean): Record<string, unknown> {
  const hours = line.hours;
  if (!split || hours === undefined) return { hours };
  const weekly = hours.weekly as Record<string, unknown>;
  return {
    "hours.timeZone": hours.timeZone,
    ...Object.fromEntries(WEEKDAYS.map((day) => [`hours.weekly.${day}`, weekly[day]])),
    "hours.closures": hours.closures,
    "hours.closedMessage": hours.closedMessage,
  };
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

function diffLine(prefix: string, base: LineSpec, head: LineSpec): Change[] {
  const split = base.hours !== undefined && head.hours !== undefined;
  const menu = (line: LineSpec): Record<string, unknown> => ({
    number: line.number,
    greeting: line.ivr.greeting,
    voice: line.ivr.voice,
    language: line.ivr.language,
    defaultAttributes: line.ivr.defaultAttributes,
    holdMusicUrl: line.holdMusicUrl,
    taskAttributes: line.taskAttributes,
    ...hoursFields(line, split),
    whenClosed: line.whenClosed,
    maxWait: line.maxWait,
    whenNobodyAnswers: line.whenNobodyAnswers,
    recordCalls: line.recordCalls,
  });
  const b = menu(head);
  const changes = compareFields(`${prefix}menu`, menu(base), b, Object.keys(b));
  changes.push(
    ...compareMaps(
      base.ivr.options,
      head.ivr.options,
      (o) => o,
      (digit, x, y) => compareFields(digit, x, y, ["label", "attributes", "maxWait"]),
    ).map((c) => ({ ...c, subject: `${prefix}${c.subject}` })),
  );
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Who is affected

function diffMembership(base: ContactCentreSpec, head: ContactCentreSpec): MembershipChange[] {
  const a = queueMembership(base);
  const b = queueMembership(head);
  const out: MembershipChange[] = [];
  const add = (pair: string, change: MembershipChange["change"]): void => {
    const [worker, queue] = JSON.parse(pair) as [string, string];
    out.push({ worker, queue, change });
  };
  for (const pair of b) if (!a.has(pair)) add(pair, "starts matching");
  for (const pair of a) if (!b.has(pair)) add(pair, "stops matching");
  return out.sort((x, y) =>
    x.worker === y.worker ? (x.queue < y.queue ? -1 : 1) : x.worker < y.worker ? -1 : 1,
  );
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Compare two validated routing definitions. */
export function diffRouting(base: ContactCentreSpec, head: ContactCentreSpec): RoutingDiff {
  const { filters, targets } = diffFilters(base, head);
  const { callers, kinds } = diffCallers(base, head);
  const diff: RoutingDiff = {
    base: base.source,
    head: head.source,
    workers: diffWorkers(base, head),
    queues: diffQueues(base, head),
    filters,
    targets,
    activities: compareMaps(
      base.activities,
      head.activities,
      (a) => a,
      (name, a, b) => compareFields(name, a, b, ["available"]),
    ),
    channels: compareMaps(
      base.channels ?? {},
      head.channels ?? {},
      (c) => c,
      (key, a, b) => compareFields(key, a, b, ["friendlyName", "channelOptimizedRouting"]),
    ),
    settings: diffSettings(base, head),
    ivr: diffIvr(base, head),
    membership: diffMembership(base, head),
    callers,
    callerKinds: kinds,
    flowchart: "",
  };
  if (hasChanges(diff)) diff.flowchart = routingFlowchart(base, head, diff);
  return diff;
}

export function hasChanges(diff: RoutingDiff): boolean {
  return (
    diff.workers.length +
      diff.queues.length +
      diff.filters.length +
      diff.targets.length +
      diff.activities.length +
      diff.channels.length +
      diff.settings.length +
      diff.ivr.length >
    0
  );
}
