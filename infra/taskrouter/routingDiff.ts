// What a change to a routing definition does, for a pull-request comment: field-level changes per
// object (workers, queues, filters, targets, activities, settings, IVR), who is affected (workers that
// start or stop matching a queue; kinds of caller whose route changes) and a Mermaid flowchart of the
// routing after the change with the changed parts marked. Pure: no I/O.
import { canonicalJson } from "./canonicalJson";
import type { ContactCentreSpec, FilterSpec, TargetSpec } from "./model";
import { evaluateExpression, formatExpression, parseExpression, type Expr } from "./expression";

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

/** A kind of caller (an IVR option, the no-input default, or a filter's attribute set) and its route. */
export interface CallerRoute {
  caller: string;
  /** Task attributes on each side (differ when an IVR option's attributes changed). */
  attributesBefore?: Record<string, unknown>;
  attributesAfter?: Record<string, unknown>;
  /** The route as text: `Filter: queue (60 s) → queue`; `—` when the caller kind does not exist. */
  before: string;
  after: string;
}

export interface RoutingDiff {
  base: string;
  head: string;
  workers: Change[];
  queues: Change[];
  filters: Change[];
  targets: Change[];
  activities: Change[];
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

export const NO_CHANGES = "No routing changes.";

// ---------------------------------------------------------------------------------------------
// Values

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

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

/** Does the expression hold? An expression that does not parse holds for nobody. */
function holds(source: string, context: Record<string, unknown>): boolean {
  try {
    return evaluateExpression(source, context);
  } catch {
    return false;
  }
}

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
const TARGET_FIELDS = ["priority", "timeout", "expression", "orderBy", "skipIf"] as const;

function diffWorkers(base: ContactCentreSpec, head: ContactCentreSpec): Change[] {
  return compareMaps(
    base.workers,
    head.workers,
    (w) => ({ activity: w.activity, attributes: w.attributes }),
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

/** Filters by name (a repeated name gets ` #2`…), so a reorder is a position change, not a rewrite. */
function keyedFilters(
  filters: FilterSpec[],
): Map<string, { filter: FilterSpec; position: number }> {
  const out = new Map<string, { filter: FilterSpec; position: number }>();
  filters.forEach((filter, index) => {
    let key = filter.name;
    for (let n = 2; out.has(key); n++) key = `${filter.name} #${n}`;
    out.set(key, { filter, position: index + 1 });
  });
  return out;
}

/** Targets by queue key (a repeated queue gets ` #2`…). */
function keyedTargets(
  targets: TargetSpec[],
): Map<string, { target: TargetSpec; position: number }> {
  const out = new Map<string, { target: TargetSpec; position: number }>();
  targets.forEach((target, index) => {
    let key = target.queue;
    for (let n = 2; out.has(key); n++) key = `${target.queue} #${n}`;
    out.set(key, { target, position: index + 1 });
  });
  return out;
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

function diffIvr(base: ContactCentreSpec, head: ContactCentreSpec): Change[] {
  const menu = (s: ContactCentreSpec): Record<string, unknown> => ({
    number: s.phone.number,
    greeting: s.phone.ivr.greeting,
    voice: s.phone.ivr.voice,
    language: s.phone.ivr.language,
    defaultAttributes: s.phone.ivr.defaultAttributes,
    holdMusicUrl: s.phone.holdMusicUrl,
  });
  const a = menu(base);
  const b = menu(head);
  const changes = compareFields("menu", a, b, Object.keys(b));
  changes.push(
    ...compareMaps(
      base.phone.ivr.options,
      head.phone.ivr.options,
      (o) => o,
      (digit, x, y) => compareFields(digit, x, y, ["label", "attributes"]),
    ),
  );
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Who is affected

/** (worker, queue) pairs where the worker matches the queue's `targetWorkers`. */
export function queueMembership(spec: ContactCentreSpec): Set<string> {
  const pairs = new Set<string>();
  for (const [worker, w] of Object.entries(spec.workers)) {
    for (const [queue, q] of Object.entries(spec.queues)) {
      if (holds(q.targetWorkers, w.attributes)) pairs.add(JSON.stringify([worker, queue]));
    }
  }
  return pairs;
}

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

/** A target in words: `hindi (priority 10, 60 s, skip if workers.available == 0)`. */
export function describeTarget(target: TargetSpec): string {
  const notes: string[] = [];
  if (target.priority !== undefined) notes.push(`priority ${target.priority}`);
  if (target.timeout !== undefined) notes.push(`${target.timeout} s`);
  if (target.expression !== undefined) notes.push(`where ${target.expression}`);
  if (target.orderBy !== undefined) notes.push(`order by ${target.orderBy}`);
  if (target.skipIf !== undefined) notes.push(`skip if ${target.skipIf}`);
  return notes.length ? `${target.queue} (${notes.join(", ")})` : target.queue;
}

/**
 * Where a task with these attributes goes: the first matching filter's targets in order; when its
 * last target has a timeout, the next matching filter's; when none is left, the task is canceled.
 * No matching filter: the default queue.
 */
export function describeRoute(
  spec: ContactCentreSpec,
  attributes: Record<string, unknown>,
): string {
  const matching = spec.workflow.filters.filter((f) => holds(f.expression, attributes));
  if (matching.length === 0) return `default: ${spec.workflow.defaultTarget.queue}`;
  const parts: string[] = [];
  for (const filter of matching) {
    parts.push(`${filter.name}: ${filter.targets.map(describeTarget).join(" → ")}`);
    if (filter.targets[filter.targets.length - 1]?.timeout === undefined) return parts.join(" ⇒ ");
  }
  return `${parts.join(" ⇒ ")} ⇒ canceled`;
}

/** Set `path` (from a parsed key) in a nested object, creating objects and arrays on the way. */
function setPath(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    if (typeof node[segment] !== "object" || node[segment] === null) {
      node[segment] = typeof path[index + 1] === "number" ? [] : {};
    }
    node = node[segment] as Record<string | number, unknown>;
  });
}

type Witness = Array<{ path: (string | number)[]; value: unknown }>;
const MAX_WITNESSES = 8;

/** Candidate attribute sets that may satisfy an expression (checked by the caller). */
function witnesses(expr: Expr): Witness[] {
  if (expr.kind === "or")
    return [...witnesses(expr.left), ...witnesses(expr.right)].slice(0, MAX_WITNESSES);
  if (expr.kind === "and") {
    const out: Witness[] = [];
    for (const l of witnesses(expr.left)) {
      for (const r of witnesses(expr.right)) out.push([...l, ...r]);
    }
    return out.slice(0, MAX_WITNESSES);
  }
  if (expr.kind !== "compare") return [[]];
  const { op } = expr;
  let key = expr.left;
  let other = expr.right;
  if (key.kind !== "key" && other.kind === "key" && (op === "==" || op === "!=")) {
    [key, other] = [other, key];
  }
  if (key.kind !== "key") return [[]];
  const constant = other.kind === "literal" ? other.value : undefined;
  const list = other.kind === "list" ? other.items : undefined;
  const path = key.path;
  switch (op) {
    case "==":
    case "CONTAINS":
    case ">=":
    case "<=":
      return constant === undefined ? [[]] : [[{ path, value: constant }]];
    case ">":
    case "<":
      if (typeof constant === "number")
        return [[{ path, value: constant + (op === ">" ? 1 : -1) }]];
      return [[]];
    case "HAS":
      return constant === undefined ? [[]] : [[{ path, value: [constant] }]];
    case "IN":
      return (list ?? [])
        .filter((item) => item.kind === "literal")
        .map((item) => [{ path, value: (item as { value: unknown }).value }]);
    default:
      return [[]];
  }
}

/** Attribute sets, each satisfying `expression` (with all assignments applied), de-duplicated. */
export function attributeSetsFor(expression: string): Record<string, unknown>[] {
  let expr: Expr;
  try {
    expr = parseExpression(expression);
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const witness of witnesses(expr)) {
    const attributes: Record<string, unknown> = {};
    for (const { path, value } of witness) setPath(attributes, path, value);
    const text = canonicalJson(attributes);
    if (seen.has(text) || !holds(expression, attributes)) continue;
    seen.add(text);
    out.push(attributes);
  }
  return out;
}

function diffCallers(
  base: ContactCentreSpec,
  head: ContactCentreSpec,
): { callers: CallerRoute[]; kinds: number } {
  type Kind = { caller: string; before?: Record<string, unknown>; after?: Record<string, unknown> };
  const kinds: Kind[] = [];
  const seen = new Set<string>();
  const remember = (attrs: Record<string, unknown> | undefined): void => {
    if (attrs !== undefined) seen.add(canonicalJson(attrs));
  };
  const digits = [
    ...new Set([...Object.keys(head.phone.ivr.options), ...Object.keys(base.phone.ivr.options)]),
  ];
  for (const digit of digits) {
    const a = base.phone.ivr.options[digit];
    const b = head.phone.ivr.options[digit];
    kinds.push({
      caller: `IVR ${digit} "${(b ?? a)?.label ?? ""}"`,
      before: a?.attributes,
      after: b?.attributes,
    });
    remember(a?.attributes);
    remember(b?.attributes);
  }
  kinds.push({
    caller: "IVR no input",
    before: base.phone.ivr.defaultAttributes,
    after: head.phone.ivr.defaultAttributes,
  });
  remember(base.phone.ivr.defaultAttributes);
  remember(head.phone.ivr.defaultAttributes);
  const headNames = new Set(head.workflow.filters.map((f) => f.name));
  const baseNames = new Set(base.workflow.filters.map((f) => f.name));
  const filters = [
    ...head.workflow.filters,
    ...base.workflow.filters.filter((f) => !headNames.has(f.name)),
  ];
  for (const filter of filters) {
    const sets = [
      ...(headNames.has(filter.name) ? attributeSetsFor(filter.expression) : []),
      ...(baseNames.has(filter.name)
        ? attributeSetsFor(
            base.workflow.filters.find((f) => f.name === filter.name)?.expression ?? "",
          )
        : []),
    ];
    for (const attrs of sets) {
      const text = canonicalJson(attrs);
      if (seen.has(text)) continue;
      seen.add(text);
      kinds.push({ caller: `filter "${filter.name}"`, before: attrs, after: attrs });
    }
  }
  const callers: CallerRoute[] = [];
  for (const kind of kinds) {
    const before = kind.before === undefined ? "—" : describeRoute(base, kind.before);
    const after = kind.after === undefined ? "—" : describeRoute(head, kind.after);
    if (before === after && same(kind.before, kind.after)) continue;
    callers.push({
      caller: kind.caller,
      ...(kind.before !== undefined && { attributesBefore: kind.before }),
      ...(kind.after !== undefined && { attributesAfter: kind.after }),
      before,
      after,
    });
  }
  return { callers, kinds: kinds.length };
}

// ---------------------------------------------------------------------------------------------
// Flowchart

/** Text inside a quoted Mermaid label: entity codes for what the grammar would read. */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;")
    .replace(/`/g, "#96;")
    .replace(/\r?\n/g, "<br/>");
}

interface Edge {
  from: string;
  to: string;
  label: string;
  /** Stable identity for "did this edge exist before", independent of node ids. */
  identity: string;
}

/** The routing's edges: task → filters in order; filter → first queue; queue → next queue. */
function routingEdges(spec: ContactCentreSpec, filterId: (name: string) => string): Edge[] {
  const edges: Edge[] = [];
  const filters = [...keyedFilters(spec.workflow.filters)];
  const queue = (key: string): string => `q_${key}`;
  const first = filters.length
    ? filterId(filters[0]![0])
    : queue(spec.workflow.defaultTarget.queue);
  edges.push({ from: "task", to: first, label: "", identity: `task→${first}` });
  filters.forEach(([name, { filter }], index) => {
    const id = filterId(name);
    const next = filters[index + 1];
    const noMatch =
      next === undefined ? queue(spec.workflow.defaultTarget.queue) : filterId(next[0]);
    edges.push({
      from: id,
      to: noMatch,
      label: next === undefined ? "no match: default" : "no match",
      identity: `${name}→nomatch→${next === undefined ? `default:${spec.workflow.defaultTarget.queue}` : next[0]}`,
    });
    let from = id;
    let fromKey = `filter:${name}`;
    filter.targets.forEach((target, t) => {
      const notes: string[] = [];
      if (t === 0) notes.push("match");
      else {
        const previous = filter.targets[t - 1]!.timeout;
        notes.push(`${name}: ${previous === undefined ? "when skipped" : `after ${previous} s`}`);
      }
      if (target.priority !== undefined) notes.push(`priority ${target.priority}`);
      if (target.expression !== undefined) notes.push(`where ${target.expression}`);
      if (target.skipIf !== undefined) notes.push(`skip if ${target.skipIf}`);
      if (target.orderBy !== undefined) notes.push(`order by ${target.orderBy}`);
      const label = notes.join(", ");
      edges.push({
        from,
        to: queue(target.queue),
        label,
        identity: `${fromKey}→${target.queue}:${label}`,
      });
      from = queue(target.queue);
      fromKey = `queue:${target.queue}`;
    });
    const last = filter.targets[filter.targets.length - 1];
    if (last?.timeout !== undefined) {
      const to = next === undefined ? "canceled" : filterId(next[0]);
      const label = `${name}: after ${last.timeout} s, next matching filter`;
      edges.push({
        from,
        to,
        label,
        identity: `${fromKey}→${next === undefined ? "canceled" : `filter:${next[0]}`}:${label}`,
      });
    }
  });
  return edges;
}

function flowchart(base: ContactCentreSpec, head: ContactCentreSpec, diff: RoutingDiff): string {
  const headFilters = [...keyedFilters(head.workflow.filters).keys()];
  const baseFilters = [...keyedFilters(base.workflow.filters).keys()];
  const removedFilters = baseFilters.filter((name) => !headFilters.includes(name));
  const filterIds = new Map<string, string>();
  headFilters.forEach((name, i) => filterIds.set(name, `f${i + 1}`));
  removedFilters.forEach((name, i) => filterIds.set(name, `fx${i + 1}`));
  const filterId = (name: string): string => filterIds.get(name) as string;

  const members = (spec: ContactCentreSpec, key: string): number =>
    Object.values(spec.workers).filter((w) => holds(spec.queues[key]!.targetWorkers, w.attributes))
      .length;
  const changedQueues = new Set(
    diff.queues.filter((c) => c.kind === "changed").map((c) => c.subject),
  );
  for (const m of diff.membership) changedQueues.add(m.queue);
  const changedFilters = new Set(
    [...diff.filters, ...diff.targets].filter((c) => c.kind !== "added").map((c) => c.subject),
  );

  const lines = ["flowchart LR", '  task(["Incoming task"])'];
  const classes: Record<"added" | "changed" | "removed", string[]> = {
    added: [],
    changed: [],
    removed: [],
  };
  const mark = (id: string, kind: "added" | "changed" | "removed" | undefined): void => {
    if (kind) classes[kind].push(id);
  };
  for (const name of headFilters) {
    const filter = keyedFilters(head.workflow.filters).get(name)!.filter;
    lines.push(`  ${filterId(name)}{"${mermaidText(`${name}\n${filter.expression}`)}"}`);
    mark(
      filterId(name),
      !baseFilters.includes(name) ? "added" : changedFilters.has(name) ? "changed" : undefined,
    );
  }
  for (const name of removedFilters) {
    const filter = keyedFilters(base.workflow.filters).get(name)!.filter;
    lines.push(`  ${filterId(name)}{"${mermaidText(`${name} (removed)\n${filter.expression}`)}"}`);
    mark(filterId(name), "removed");
  }
  for (const [key, q] of Object.entries(head.queues)) {
    const n = members(head, key);
    const label = `${key}: ${q.friendlyName}\n${q.targetWorkers}\n${n} worker${n === 1 ? "" : "s"}`;
    lines.push(`  q_${key}["${mermaidText(label)}"]`);
    mark(
      `q_${key}`,
      !(key in base.queues) ? "added" : changedQueues.has(key) ? "changed" : undefined,
    );
  }
  for (const [key, q] of Object.entries(base.queues)) {
    if (key in head.queues) continue;
    lines.push(`  q_${key}["${mermaidText(`${key}: ${q.friendlyName} (removed)`)}"]`);
    mark(`q_${key}`, "removed");
  }
  const headEdges = routingEdges(head, filterId);
  const baseEdges = routingEdges(base, filterId);
  const baseIds = new Set(baseEdges.map((e) => e.identity));
  const headIds = new Set(headEdges.map((e) => e.identity));
  if ([...headEdges, ...baseEdges].some((e) => e.to === "canceled")) {
    lines.push('  canceled(["canceled"])');
  }
  const newLinks: number[] = [];
  const goneLinks: number[] = [];
  let index = 0;
  for (const e of headEdges) {
    const label = e.label ? `|"${mermaidText(e.label)}"|` : "";
    lines.push(`  ${e.from} -->${label} ${e.to}`);
    if (!baseIds.has(e.identity)) newLinks.push(index);
    index++;
  }
  for (const e of baseEdges) {
    if (headIds.has(e.identity)) continue;
    lines.push(`  ${e.from} -.->|"${mermaidText(`removed: ${e.label || "entry"}`)}"| ${e.to}`);
    goneLinks.push(index);
    index++;
  }
  lines.push(
    "  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "  classDef changed fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
    "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 4",
  );
  for (const kind of ["added", "changed", "removed"] as const) {
    if (classes[kind].length) lines.push(`  class ${classes[kind].join(",")} ${kind}`);
  }
  if (newLinks.length)
    lines.push(`  linkStyle ${newLinks.join(",")} stroke:#1a7f37,stroke-width:3px`);
  if (goneLinks.length) {
    lines.push(`  linkStyle ${goneLinks.join(",")} stroke:#cf222e,stroke-dasharray:4 4`);
  }
  return lines.join("\n");
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
    settings: diffSettings(base, head),
    ivr: diffIvr(base, head),
    membership: diffMembership(base, head),
    callers,
    callerKinds: kinds,
    flowchart: "",
  };
  if (hasChanges(diff)) diff.flowchart = flowchart(base, head, diff);
  return diff;
}

export function hasChanges(diff: RoutingDiff): boolean {
  return (
    diff.workers.length +
      diff.queues.length +
      diff.filters.length +
      diff.targets.length +
      diff.activities.length +
      diff.settings.length +
      diff.ivr.length >
    0
  );
}

/** A table cell: values as inline code (JSON unless a plain string), `—` when absent. */
function cell(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}\``;
}

/** Plain text in a cell (names), with pipes escaped. */
const plain = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** `["a","b"]` → `["a","b","c"]` reads better with `(+ "c")`. */
function arrayDelta(before: unknown, after: unknown): string {
  if (!Array.isArray(before) || !Array.isArray(after)) return "";
  const key = (v: unknown): string => canonicalJson(v);
  const added = after.filter((v) => !before.some((b) => key(b) === key(v)));
  const removed = before.filter((v) => !after.some((a) => key(a) === key(v)));
  const parts = [
    ...added.map((v) => `+${JSON.stringify(v)}`),
    ...removed.map((v) => `−${JSON.stringify(v)}`),
  ];
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function changeTable(
  title: string,
  subject: string,
  changes: Change[],
  withTarget = false,
): string[] {
  if (changes.length === 0) return [];
  const head = withTarget
    ? [`| ${subject} | target | change | before | after |`, "|---|---|---|---|---|"]
    : [`| ${subject} | change | before | after |`, "|---|---|---|---|"];
  const rows = changes.map((c) => {
    const what = c.kind === "changed" ? (c.field ?? "changed") : c.kind;
    const after = cell(c.after) + (c.kind === "changed" ? arrayDelta(c.before, c.after) : "");
    const cells = [plain(c.subject), ...(withTarget ? [plain(c.target ?? "")] : [])];
    return `| ${cells.join(" | ")} | ${what} | ${cell(c.before)} | ${after} |`;
  });
  return [`### ${title}`, "", ...head, ...rows, ""];
}

/** Markdown for a pull-request comment. */
export function renderDiffMarkdown(diff: RoutingDiff): string {
  const out = ["## Routing diff", "", `Base \`${diff.base}\` → head \`${diff.head}\``, ""];
  if (!hasChanges(diff)) return [...out, NO_CHANGES, ""].join("\n");

  out.push("### Who is affected", "");
  if (diff.membership.length === 0) out.push("No worker starts or stops matching a queue.", "");
  else {
    out.push("| worker | queue | change |", "|---|---|---|");
    for (const m of diff.membership)
      out.push(`| ${plain(m.worker)} | ${plain(m.queue)} | ${m.change} |`);
    out.push("");
  }
  out.push(`${diff.callers.length} of ${diff.callerKinds} kinds of caller route differently.`, "");
  if (diff.callers.length) {
    out.push("| caller | task attributes | route before | route after |", "|---|---|---|---|");
    for (const c of diff.callers) {
      const attrs =
        c.attributesBefore !== undefined &&
        c.attributesAfter !== undefined &&
        !same(c.attributesBefore, c.attributesAfter)
          ? `${cell(c.attributesBefore)} → ${cell(c.attributesAfter)}`
          : cell(c.attributesAfter ?? c.attributesBefore);
      out.push(`| ${plain(c.caller)} | ${attrs} | ${cell(c.before)} | ${cell(c.after)} |`);
    }
    out.push("");
  }
  out.push(
    ...changeTable("Workers", "worker", diff.workers),
    ...changeTable("Queues", "queue", diff.queues),
    ...changeTable("Filters", "filter", diff.filters),
    ...changeTable("Targets", "filter", diff.targets, true),
    ...changeTable("Activities", "activity", diff.activities),
    ...changeTable("Workspace and workflow", "setting", diff.settings),
    ...changeTable("IVR", "option", diff.ivr),
  );
  out.push(
    "### Routing after the change",
    "",
    "Green: added; amber: changed; red, dashed: removed.",
    "",
    "```mermaid",
    diff.flowchart,
    "```",
    "",
  );
  return out.join("\n");
}
