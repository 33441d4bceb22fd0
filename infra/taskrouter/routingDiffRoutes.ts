// One routing definition as the routing diff reads it: filters and targets by name, which workers
// a queue's targetWorkers match, and a task's route in words. Pure.
import { evaluateExpression } from "./expression";
import type { ContactCentreSpec, FilterSpec, TargetSpec } from "./model";

/** Does the expression hold? An expression that does not parse holds for nobody. */
export function holds(source: string, context: Record<string, unknown>): boolean {
  try {
    return evaluateExpression(source, context);
  } catch {
    return false;
  }
}

/** Filters by name (a repeated name gets ` #2`…), so a reorder is a position change, not a rewrite. */
export function keyedFilters(
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
export function keyedTargets(
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

/** A target in words: `hindi (priority 10, 60 s, skip if workers.available == 0)`. */
export function describeTarget(target: TargetSpec): string {
  const notes: string[] = [];
  if (target.priority !== undefined) notes.push(`priority ${target.priority}`);
  if (target.timeout !== undefined) notes.push(`${target.timeout} s`);
  if (target.expression !== undefined) notes.push(`where ${target.expression}`);
  if (target.orderBy !== undefined) notes.push(`order by ${target.orderBy}`);
  if (target.skipIf !== undefined) notes.push(`skip if ${target.skipIf}`);
  if (target.knownWorker !== undefined) notes.push(knownWorkerWords(target.knownWorker));
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

/** `only the worker with sid task.last_agent_sid` / `... named task.requested_agent`. */
export function knownWorkerWords(known: NonNullable<TargetSpec["knownWorker"]>): string {
  return known.sid !== undefined
    ? `only the worker with sid ${known.sid}`
    : `only the worker named ${known.friendlyName ?? ""}`;
}
