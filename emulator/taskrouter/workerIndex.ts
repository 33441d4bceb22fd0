/**
 * Indexes that let dispatch find free queue members without scanning or sorting every worker:
 * - each worker's queues, evaluated once per (attributes, friendly name, activity) while the
 *   workspace's queues are unchanged (TargetWorkers can read the activity, so it is part of the key);
 * - per queue, and per workspace, the SIDs of its idle workers in creation order, kept sorted by
 *   insertion as workers become idle or not (`refreshIdle` in assignment.ts decides "idle").
 * A queue or activity change marks everything stale; the next read rebuilds from `engine.idle`.
 */
import { inQueue, type WorkerView } from "../../infra/taskrouter/routing";
import type { TaskQueueRec, WorkerRec } from "../state/store";
import type { Engine } from "./engine";

interface Membership {
  attributes: string;
  friendlyName: string;
  /** Activity SID → the queues the worker is a member of in that activity. */
  byActivity: Map<string, ReadonlySet<string>>;
}

export class WorkerIndex {
  /** Workspace → its task queues, in store order. */
  readonly queuesByWs = new Map<string, TaskQueueRec[]>();
  readonly membership = new Map<string, Membership>();
  /** Queue or workspace SID → its idle (member) workers' SIDs in creation order. */
  readonly idleIn = new Map<string, string[]>();
  /** Worker → the keys of `idleIn` whose lists hold them. */
  readonly listedIn = new Map<string, ReadonlySet<string>>();
  stale = false;

  /** Forget everything that depends on queues or activities. */
  queuesChanged(): void {
    this.queuesByWs.clear();
    this.membership.clear();
    this.idleIn.clear();
    this.listedIn.clear();
    this.stale = true;
  }
}

function queuesIn(engine: Engine, ws: string): TaskQueueRec[] {
  let list = engine.index.queuesByWs.get(ws);
  if (!list) {
    list = [];
    for (const q of engine.store.taskQueues.values()) if (q.workspaceSid === ws) list.push(q);
    engine.index.queuesByWs.set(ws, list);
  }
  return list;
}

/**
 * The worker's workspace SID and the SIDs of the queues (of that workspace) whose TargetWorkers match
 * the worker: the keys of `idleIn` an idle worker is listed under.
 */
export function queuesOf(
  engine: Engine,
  w: WorkerRec,
  view: (engine: Engine, w: WorkerRec) => WorkerView,
): ReadonlySet<string> {
  const index = engine.index;
  let m = index.membership.get(w.sid);
  if (!m || m.attributes !== w.attributes || m.friendlyName !== w.friendlyName) {
    m = { attributes: w.attributes, friendlyName: w.friendlyName, byActivity: new Map() };
    index.membership.set(w.sid, m);
  }
  let queues = m.byActivity.get(w.activitySid);
  if (!queues) {
    const set = new Set<string>([w.workspaceSid]);
    for (const q of queuesIn(engine, w.workspaceSid)) {
      if (inQueue(q.targetWorkers, view(engine, w))) set.add(q.sid);
    }
    m.byActivity.set(w.activitySid, (queues = set));
  }
  return queues;
}

/** Where the worker should be listed: nowhere, or their workspace and each of their queues. */
export function relist(engine: Engine, sid: string, where: ReadonlySet<string>): void {
  const index = engine.index;
  if (index.stale) return; // the rebuild lists everyone
  const before = index.listedIn.get(sid);
  if (before) for (const key of before) if (!where.has(key)) remove(engine, key, sid);
  for (const key of where) if (!before?.has(key)) insert(engine, key, sid);
  if (where.size > 0) index.listedIn.set(sid, where);
  else index.listedIn.delete(sid);
}

const seqOf = (engine: Engine, sid: string) => engine.workerSeq.get(sid) ?? 0;

/** First position whose worker was created at or after `sid`'s. */
function position(engine: Engine, list: string[], sid: string): number {
  const seq = seqOf(engine, sid);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqOf(engine, list[mid]) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(engine: Engine, key: string, sid: string): void {
  let list = engine.index.idleIn.get(key);
  if (!list) engine.index.idleIn.set(key, (list = []));
  const i = position(engine, list, sid);
  if (list[i] !== sid) list.splice(i, 0, sid);
}

function remove(engine: Engine, key: string, sid: string): void {
  const list = engine.index.idleIn.get(key);
  if (!list) return;
  const i = position(engine, list, sid);
  if (list[i] === sid) list.splice(i, 1);
}

/**
 * The idle workers of a queue (or, given a workspace SID, of the workspace) in creation order. The
 * list is live: copy it before changing who is idle.
 */
export function idleIn(
  engine: Engine,
  key: string,
  listFor: (engine: Engine, sid: string) => ReadonlySet<string>,
): readonly string[] {
  const index = engine.index;
  if (index.stale) {
    index.stale = false;
    for (const set of engine.idle.values())
      for (const sid of set) relist(engine, sid, listFor(engine, sid));
  }
  return index.idleIn.get(key) ?? [];
}
