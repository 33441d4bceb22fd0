/**
 * Which free worker a task goes to first, after `order_by`: the task channel decides.
 * `chooseWorkers` (infra/taskrouter/routing.ts) sorts candidates by the key returned here, ascending.
 */
import type { TaskRec } from "../state/store";
import type { Engine } from "./engine";

/** Sorts after every idle worker: ahead of any clock reading, real or virtual. */
const BUSY = 1e15;

/**
 * Without `channel_optimized_routing`: round robin, the worker reserved longest ago first. With it:
 * "When `true`, Workers that have been idle the longest are prioritized" (TaskChannel resource,
 * https://www.twilio.com/docs/taskrouter/api/task-channel). Idle = holding no pending, accepted or
 * wrapping reservation on any channel; idle since the later of the end of their last reservation and
 * their last activity change (a worker who has just come back to an available activity has not been
 * idle long). Workers still busy on some channel come after every idle one, round robin among
 * themselves.
 */
export function workerOrder(engine: Engine, t: TaskRec): (sid: string) => number | undefined {
  if (!engine.store.taskChannels.get(t.taskChannelSid)?.channelOptimizedRouting)
    return (sid) => engine.lastReservedAt.get(sid);
  return (sid) => {
    if (engine.busy.has(sid)) return BUSY + (engine.lastReservedAt.get(sid) ?? 0);
    const w = engine.store.workers.get(sid);
    const activitySince = w ? Date.parse(w.dateStatusChanged) : -Infinity;
    return Math.max(engine.idleSince.get(sid) ?? -Infinity, activitySince);
  };
}
