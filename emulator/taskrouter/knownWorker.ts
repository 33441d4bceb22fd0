/**
 * Tasks created with `RoutingTarget=WK…`: reserved for that worker directly, with or without a
 * workflow. Twilio's Task API reference, IgnoreCapacity: "By setting `IgnoreCapacity` to a value of
 * `true`, `1`, or `yes`, the Task will be routed to the Worker without respecting their capacity
 * and availability. [...] The default value of `IgnoreCapacity` is `true` when the `RoutingTarget`
 * is set to a Worker SID." The queue-based dispatch cannot see these tasks when the worker is busy
 * or unavailable, or when the task has no queue at all, so they are offered here.
 */
import type { WorkerRec } from "../state/store";
import { hasCapacity, reserve, routing, viewOf } from "./assignment";
import type { Routed } from "./context";
import type { Engine } from "./engine";

const watched = new WeakMap<Engine, Set<Routed>>();

export function watchKnownWorker(engine: Engine, r: Routed): void {
  let set = watched.get(engine);
  if (!set) watched.set(engine, (set = new Set()));
  set.add(r);
}

/** Offers each waiting worker-targeted task to its worker (one reservation at a time). */
export function offerKnownWorkers(engine: Engine): void {
  const set = watched.get(engine);
  if (!set) return;
  for (const r of set) {
    const t = engine.store.tasks.get(r.sid);
    if (
      engine.routed.get(r.sid) !== r ||
      !t ||
      !["pending", "reserved"].includes(t.assignmentStatus)
    ) {
      set.delete(r);
      continue;
    }
    if (t.assignmentStatus !== "pending" || r.pos === null || r.needsPlacement) continue;
    if ((engine.pendingByTask.get(t.sid) ?? 0) > 0) continue;
    const w = r.knownWorker ? engine.store.workers.get(r.knownWorker) : undefined;
    const ws = engine.store.workspaces.get(t.workspaceSid);
    if (!w || !ws || r.rejectedBy.has(w.sid)) continue;
    const step = r.steps[r.pos.index];
    const q = step?.queue ? engine.store.taskQueues.get(step.queue) : undefined;
    // With a queue and capacity respected, the queue dispatch offers the task like any other.
    if (!t.ignoreCapacity && (q || !respectsCapacity(engine, w, t))) continue;
    routing(engine, r.sid, () => reserve(engine, r, t, q, ws, w));
  }
}

function respectsCapacity(engine: Engine, w: WorkerRec, t: Parameters<typeof hasCapacity>[2]) {
  const ws = engine.store.workspaces.get(t.workspaceSid);
  return !!ws && viewOf(engine, w).available && hasCapacity(engine, w, t, ws);
}
