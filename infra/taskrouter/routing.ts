/**
 * Workflow evaluation as TaskRouter documents it (https://www.twilio.com/docs/taskrouter/workflow-configuration
 * and https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment), pure: no I/O,
 * no clock. The emulator's routing engine and the what-if simulator share these functions.
 *
 * Model: a task's route is a list of steps, the targets of every filter whose expression matches the
 * task (first matching filter first), then the default filter's single step (entered when none
 * matches, or after a filter whose every target was skipped, "as if the Task didn't match"). A task
 * sits on one step; it moves to the next when the step's timeout expires or, on entering a step,
 * when its `skip_if` holds and no worker could be reserved at once. Past the last step it falls out
 * of the workflow (the engine cancels it).
 *
 * Choices where Twilio's documentation is silent:
 * - A step's deadline is the task age at which it was entered plus its timeout. Without skips this is
 *   Twilio's cumulative rule (Q1 timeout 10, Q2 timeout 10 → Q2 ends at age 20); a skipped step
 *   spends no time, so the next step starts counting from the age at which the skip happened.
 * - A target's `priority` may be an integer or a numeric string (examples use "10").
 * - `order_by` is a comma-separated list of `worker.<path> [ASC|DESC]` (ASC when omitted); numbers
 *   sort numerically, strings by code units; a missing or non-scalar value sorts last either way.
 * - A `timeout` on a filter (the filter-level form Twilio's samples use) is the timeout of each of
 *   its targets that names none of its own.
 * - A `timeout` in `default_filter` ends the default step like any target's: the task then falls
 *   out of the workflow (canceled "Task canceled on Workflow timeout"); without one it waits there.
 */
import { evaluate, parseExpression, type Expr } from "./expression";

export interface WorkflowTarget {
  queue?: string;
  priority?: number | string;
  timeout?: number | string;
  expression?: string;
  order_by?: string;
  skip_if?: string;
  known_worker_sid?: string;
  known_worker_friendly_name?: string;
}

export interface WorkflowFilter {
  filter_friendly_name?: string;
  expression: string;
  targets: WorkflowTarget[];
  /** Seconds; the timeout of each target that has none. */
  timeout?: number | string;
}

export interface WorkflowConfiguration {
  task_routing: {
    filters?: WorkflowFilter[];
    default_filter?: WorkflowTarget & { queue: string };
  };
}

/** One target of the route, with the queue inherited from earlier targets of its filter. */
export interface RoutingStep {
  /** Index into `filters`, or null for the default filter. */
  filterIndex: number | null;
  /** The filter's friendly name; "Default Filter" for the default filter (Twilio's wording). */
  filterName: string;
  targetIndex: number;
  queue: string;
  priority?: number;
  /** Seconds. */
  timeout?: number;
  expression?: string;
  orderBy?: string;
  skipIf?: string;
  /** `known_worker_sid` / `known_worker_friendly_name`: a `task.<attribute>` reference or a literal. */
  knownWorker?: { by: "sid" | "friendlyName"; value: string };
  /**
   * The default filter after matching filters: entered only when every target of the filter before
   * it was skipped ("If a Task skips a filter, it's evaluated as if the Task didn't match the filter
   * expression", https://www.twilio.com/docs/taskrouter/worker-presence); a task whose last filter
   * timed out falls out of the workflow instead.
   */
  afterSkipOnly?: boolean;
}

/** Where a task is on its route, in seconds of task age. */
export interface RoutePosition {
  index: number;
  enteredAt: number;
}

export type Placement =
  | { kind: "step"; index: number; step: RoutingStep; enteredAt: number; deadline: number | null }
  | { kind: "fell-out"; at: number };

export const DEFAULT_FILTER_NAME = "Default Filter";

const parsed = new Map<string, Expr>();

/** Parses once per distinct source text; the engine evaluates the same few expressions many times. */
export function compiled(source: string): Expr {
  let expr = parsed.get(source);
  if (!expr) {
    expr = parseExpression(source);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(source, expr);
  }
  return expr;
}

/** Parses a stored configuration string (validated by the store on write), once per distinct text. */
export function parseConfiguration(configuration: string): WorkflowConfiguration {
  let config = configurations.get(configuration);
  if (!config) {
    config = JSON.parse(configuration) as WorkflowConfiguration;
    if (configurations.size > 100) configurations.clear();
    configurations.set(configuration, config);
  }
  return config;
}

/** Parsed configurations by their text; callers must not modify what they get. */
const configurations = new Map<string, WorkflowConfiguration>();

/** `priority` and `timeout` may be numbers or numeric strings (the documented structure quotes them). */
function numberOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === "number" ? value : Number(value);
}

/** Indexes of the filters whose expression matches the task attributes, in order. */
export function matchingFilters(
  config: WorkflowConfiguration,
  attributes: Record<string, unknown>,
): number[] {
  const out: number[] = [];
  (config.task_routing.filters ?? []).forEach((f, i) => {
    if (evaluate(compiled(f.expression), attributes)) out.push(i);
  });
  return out;
}

/** The filter a task is routed by: the first that matches, else the default filter (null = neither). */
export function matchFilter(
  config: WorkflowConfiguration,
  attributes: Record<string, unknown>,
): { filterIndex: number | null; filterName: string } | null {
  const [first] = matchingFilters(config, attributes);
  if (first !== undefined) {
    return { filterIndex: first, filterName: filterName(config, first) };
  }
  if (config.task_routing.default_filter) {
    return { filterIndex: null, filterName: DEFAULT_FILTER_NAME };
  }
  return null;
}

function filterName(config: WorkflowConfiguration, index: number): string {
  return config.task_routing.filters?.[index]?.filter_friendly_name ?? `filter ${index + 1}`;
}

/**
 * The task's whole route: the targets of every matching filter in order (a task whose last target
 * times out continues with the next matching filter), then the default filter (entered directly
 * when no filter matches, else only after a filter whose every target was skipped).
 */
export function routingSteps(
  config: WorkflowConfiguration,
  attributes: Record<string, unknown>,
): RoutingStep[] {
  const steps: RoutingStep[] = [];
  for (const filterIndex of matchingFilters(config, attributes)) {
    const filter = (config.task_routing.filters ?? [])[filterIndex];
    let queue = "";
    filter.targets.forEach((t, targetIndex) => {
      queue = t.queue ?? queue;
      const name = filterName(config, filterIndex);
      steps.push(stepOf(t, filterIndex, name, targetIndex, queue, filter.timeout));
    });
  }
  const fallback = config.task_routing.default_filter;
  if (fallback) {
    const step = stepOf(fallback, null, DEFAULT_FILTER_NAME, 0, fallback.queue, undefined);
    if (steps.length > 0) step.afterSkipOnly = true;
    steps.push(step);
  }
  return steps;
}

function stepOf(
  t: WorkflowTarget,
  filterIndex: number | null,
  filterName: string,
  targetIndex: number,
  queue: string,
  filterTimeout: number | string | undefined,
): RoutingStep {
  const step: RoutingStep = { filterIndex, filterName, targetIndex, queue };
  const priority = numberOf(t.priority);
  if (priority !== undefined) step.priority = priority;
  const timeout = numberOf(t.timeout ?? filterTimeout);
  if (timeout !== undefined) step.timeout = timeout;
  if (t.expression !== undefined) step.expression = t.expression;
  if (t.order_by !== undefined) step.orderBy = t.order_by;
  if (t.skip_if !== undefined) step.skipIf = t.skip_if;
  if (t.known_worker_sid !== undefined) step.knownWorker = { by: "sid", value: t.known_worker_sid };
  else if (t.known_worker_friendly_name !== undefined) {
    step.knownWorker = { by: "friendlyName", value: t.known_worker_friendly_name };
  }
  return step;
}

/**
 * The worker SID or friendly name a known-worker target names for a task: `task.<path>` reads the
 * task's attributes (Twilio's examples: "task.requested_agent"), anything else is the literal name.
 * Undefined when the attribute is missing or not a string (the step then matches no worker).
 */
export function knownWorkerName(value: string, taskAttributes: Record<string, unknown>) {
  if (!value.startsWith("task.")) return value;
  const found = lookup(taskAttributes, value.slice("task.".length).split("."));
  return typeof found === "string" ? found : undefined;
}

/**
 * Where a task of `age` seconds is on its route. Starts from `from` (default: the first step,
 * entered at age 0) and moves past every step whose deadline is at or before `age`. `skip` is asked
 * about each step as it is entered (not about `from` itself, which was entered earlier); a skipped
 * step is left at the age it was entered.
 */
export function placeTask(
  steps: RoutingStep[],
  age: number,
  options: { from?: RoutePosition; skip?: (step: RoutingStep, index: number) => boolean } = {},
): Placement {
  let index = options.from?.index ?? 0;
  let enteredAt = options.from?.enteredAt ?? 0;
  let entering = options.from === undefined;
  // Whether the task spent time on a target of the filter it is in (`from` was entered earlier).
  let filterEntered = !entering;
  let filter = steps[index]?.filterIndex;
  for (;;) {
    const step = steps[index];
    if (!step) return { kind: "fell-out", at: enteredAt };
    if (step.filterIndex !== filter) {
      if (step.afterSkipOnly && filterEntered) return { kind: "fell-out", at: enteredAt };
      filter = step.filterIndex;
      filterEntered = false;
    }
    if (entering && options.skip?.(step, index)) {
      index++;
      continue;
    }
    filterEntered = true;
    const deadline = step.timeout === undefined ? null : enteredAt + step.timeout;
    if (deadline !== null && age >= deadline) {
      index++;
      enteredAt = deadline;
      entering = true;
      continue;
    }
    return { kind: "step", index, step, enteredAt, deadline };
  }
}

/** Convenience for reports: the step a task of `age` seconds is on, ignoring `skip_if`. */
export function targetAtAge(
  config: WorkflowConfiguration,
  attributes: Record<string, unknown>,
  age: number,
): Placement {
  return placeTask(routingSteps(config, attributes), age);
}

// ---------------------------------------------------------------------------------------------
// Workers

/** What routing needs to know about a worker. */
export interface WorkerView {
  sid: string;
  friendlyName: string;
  activitySid: string;
  activityName: string;
  /** Whether the worker's activity is an available one. */
  available: boolean;
  attributes: Record<string, unknown>;
}

/** The worker as queue `TargetWorkers` and `worker.` keys see it: attributes plus worker fields. */
export function workerContext(worker: WorkerView): Record<string, unknown> {
  return {
    ...worker.attributes,
    sid: worker.sid,
    friendly_name: worker.friendlyName,
    activity_sid: worker.activitySid,
    activity_name: worker.activityName,
  };
}

/**
 * An empty `TargetWorkers`: "If this value is empty, Tasks will wait in the TaskQueue until they are
 * deleted or moved to another TaskQueue" (Twilio's TaskQueue API reference). No worker is a member.
 */
export function isParkingQueue(targetWorkers: string): boolean {
  return targetWorkers.trim() === "";
}

/** Queue membership: the queue's `target_workers` over the worker (availability not considered). */
export function inQueue(targetWorkers: string, worker: WorkerView): boolean {
  if (isParkingQueue(targetWorkers)) return false;
  return evaluate(compiled(targetWorkers), workerContext(worker));
}

/** A target `expression` over `{ task, worker }`; no expression admits every queue member. */
export function targetAdmits(
  expression: string | undefined,
  taskAttributes: Record<string, unknown>,
  worker: WorkerView,
): boolean {
  if (expression === undefined) return true;
  return evaluate(compiled(expression), { task: taskAttributes, worker: workerContext(worker) });
}

/**
 * Whether a worker may be reserved for a task on a step: in the queue, in an available activity,
 * admitted by the target expression. (Capacity is the engine's concern.)
 */
export function isEligible(
  step: Pick<RoutingStep, "expression">,
  targetWorkers: string,
  taskAttributes: Record<string, unknown>,
  worker: WorkerView,
): boolean {
  return (
    worker.available &&
    inQueue(targetWorkers, worker) &&
    targetAdmits(step.expression, taskAttributes, worker)
  );
}

/** Counts `skip_if` sees for a queue: `workers.available`, `workers.unavailable`, `workers.<WA…>`. */
export interface WorkerCounts {
  available: number;
  unavailable: number;
  byActivity: Record<string, number>;
}

export function countWorkers(members: WorkerView[]): WorkerCounts {
  const counts: WorkerCounts = { available: 0, unavailable: 0, byActivity: {} };
  for (const w of members) {
    if (w.available) counts.available++;
    else counts.unavailable++;
    counts.byActivity[w.activitySid] = (counts.byActivity[w.activitySid] ?? 0) + 1;
  }
  return counts;
}

export function skipIfHolds(skipIf: string | undefined, counts: WorkerCounts): boolean {
  if (skipIf === undefined) return false;
  const workers = {
    ...counts.byActivity,
    available: counts.available,
    unavailable: counts.unavailable,
  };
  return evaluate(compiled(skipIf), { workers });
}

export interface OrderKey {
  path: string[];
  descending: boolean;
}

/** An `order_by` that is not Twilio's documented form; the message names the value and the bad part. */
export class OrderByError extends Error {
  constructor(orderBy: string, part: string) {
    super(
      `order_by ${JSON.stringify(orderBy)}: cannot read ${JSON.stringify(part.trim())} ` +
        `(expected worker.<attribute> [ASC|DESC], comma-separated)`,
    );
    this.name = "OrderByError";
  }
}

/**
 * Parses `worker.level DESC, worker.name` into keys (the form of Twilio's workflow docs:
 * "worker.english_level ASC, worker.spanish_level DESC"); throws `OrderByError` naming the bad part.
 */
export function parseOrderBy(orderBy: string): OrderKey[] {
  return orderBy.split(",").map((part) => {
    const match =
      /^\s*worker\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?:\s+(ASC|DESC))?\s*$/i.exec(
        part,
      );
    if (!match) throw new OrderByError(orderBy, part);
    return { path: match[1].split("."), descending: (match[2] ?? "ASC").toUpperCase() === "DESC" };
  });
}

function lookup(context: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = context;
  for (const segment of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Comparator for `order_by`; 0 when the keys do not decide (the caller breaks ties). */
export function compareByOrder(keys: OrderKey[], a: WorkerView, b: WorkerView): number {
  if (keys.length === 0) return 0;
  const ca = workerContext(a);
  const cb = workerContext(b);
  for (const key of keys) {
    const va = lookup(ca, key.path);
    const vb = lookup(cb, key.path);
    const sortable = (v: unknown) => typeof v === "number" || typeof v === "string";
    if (!sortable(va) || !sortable(vb)) {
      if (sortable(va)) return -1;
      if (sortable(vb)) return 1;
      continue;
    }
    let c = 0;
    if (typeof va === typeof vb) c = va! < vb! ? -1 : va! > vb! ? 1 : 0;
    else c = typeof va === "number" ? -1 : 1; // numbers before strings
    if (c !== 0) return key.descending ? -c : c;
  }
  return 0;
}

/**
 * Chooses up to `count` workers from eligible candidates: by `order_by` when given, otherwise (and
 * on ties) round robin, i.e. the worker reserved longest ago first, never-reserved workers first of
 * all, then in the order given (creation order).
 */
export function chooseWorkers(
  candidates: WorkerView[],
  count: number,
  options: { orderBy?: string; lastReservedAt?: (sid: string) => number | undefined } = {},
): WorkerView[] {
  const keys = options.orderBy ? parseOrderBy(options.orderBy) : [];
  const last = (w: WorkerView) => options.lastReservedAt?.(w.sid) ?? -Infinity;
  const before = (x: WorkerView, xi: number, y: WorkerView, yi: number) =>
    compareByOrder(keys, x, y) || last(x) - last(y) || xi - yi;
  if (count === 1) {
    // The usual case (one reservation per task): the first in that order, without sorting them all.
    let best = 0;
    for (let i = 1; i < candidates.length; i++)
      if (before(candidates[i], i, candidates[best], best) < 0) best = i;
    return candidates.length > 0 ? [candidates[best]] : [];
  }
  const ranked = candidates.map((w, i) => ({ w, i }));
  ranked.sort((x, y) => before(x.w, x.i, y.w, y.i));
  return ranked.slice(0, count).map((r) => r.w);
}

// ---------------------------------------------------------------------------------------------
// Tasks

/** What queue ordering needs to know about a task. */
export interface QueuedTask {
  sid: string;
  priority: number;
  /** When the task started waiting (virtual start time), ms or any monotonic unit. */
  since: number;
  /** Creation order, the last tie-breaker. */
  seq: number;
}

/**
 * Queue order: FIFO = higher priority first, then the longest waiting; LIFO = the newest first,
 * priority ignored (https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment).
 */
export function compareTasks(order: "FIFO" | "LIFO", a: QueuedTask, b: QueuedTask): number {
  if (order === "LIFO") return b.since - a.since || b.seq - a.seq;
  return b.priority - a.priority || a.since - b.since || a.seq - b.seq;
}
