/**
 * The assignment loop: matching pending tasks to free workers in queue order, workflow steps and
 * target timeouts, TTL, reservations and their timers. Functions over the engine's state.
 */
import {
  chooseWorkers,
  compareTasks,
  countWorkers,
  inQueue,
  knownWorkerName,
  placeTask,
  skipIfHolds,
  targetAdmits,
  type QueuedTask,
  type RoutingStep,
  type WorkerView,
} from "../../infra/taskrouter/routing";
import type {
  ReservationRec,
  TaskQueueRec,
  TaskRec,
  WorkerRec,
  WorkflowRec,
  WorkspaceRec,
} from "../state/store";
import type { Engine } from "./engine";
import {
  WORKFLOW_TIMEOUT_REASON,
  MAX_ASSIGNMENTS_REASON,
  MAX_ASSIGNMENTS,
  DEFAULT_RESERVATION_TIMEOUT,
  RoutingFailure,
  Routed,
  ReservationState,
  nowIso,
  parseAttributes,
  ACTIVE_RESERVATION,
} from "./context";
import { assign } from "./instructions";
import { taskEvent } from "./events";
import { offerKnownWorkers } from "./knownWorker";
import { idleIn, queuesOf, relist } from "./workerIndex";
import { workerOrder } from "./channelRouting";

/**
 * Keeps `idle` up to date for one worker: in an available activity and, single-tasking, without an
 * active reservation; and the worker index (workerIndex.ts) with it, so that dispatch reads the idle
 * members of each queue instead of scanning every worker.
 */
export function refreshIdle(engine: Engine, workerSid: string): void {
  const w = engine.store.workers.get(workerSid);
  if (!w) {
    for (const set of engine.idle.values()) set.delete(workerSid);
    relist(engine, workerSid, NOWHERE);
    return;
  }
  if (!engine.workerSeq.has(w.sid)) engine.workerSeq.set(w.sid, engine.seq++);
  const ws = engine.store.workspaces.get(w.workspaceSid);
  const active = engine.busy.get(w.sid);
  const idle =
    !!engine.store.activities.get(w.activitySid)?.available &&
    (!!ws?.multiTaskEnabled || !active || active.size === 0);
  let set = engine.idle.get(w.workspaceSid);
  if (!set) engine.idle.set(w.workspaceSid, (set = new Set()));
  if (idle) set.add(w.sid);
  else set.delete(w.sid);
  relist(engine, w.sid, idle ? listingOf(engine, w) : NOWHERE);
}

const NOWHERE: ReadonlySet<string> = new Set();

/** The worker's workspace SID and the SIDs of the queues they are a member of. */
function listingOf(engine: Engine, w: WorkerRec): ReadonlySet<string> {
  return queuesOf(engine, w, viewOf);
}

const listingOfSid = (engine: Engine, sid: string) => {
  const w = engine.store.workers.get(sid);
  return w ? listingOf(engine, w) : NOWHERE;
};

function recordsOf(engine: Engine, sids: readonly string[]): WorkerRec[] {
  const out: WorkerRec[] = [];
  for (const sid of sids) {
    const w = engine.store.workers.get(sid);
    if (w) out.push(w);
  }
  return out;
}

/** The workspace's idle workers in creation order (round robin's last tie-breaker). */
export function freeWorkers(engine: Engine, ws: WorkspaceRec): WorkerRec[] {
  return recordsOf(engine, idleIn(engine, ws.sid, listingOfSid));
}

/** The queue's idle members in creation order. */
export function freeMembers(engine: Engine, q: TaskQueueRec): WorkerRec[] {
  return recordsOf(engine, idleIn(engine, q.sid, listingOfSid));
}

export function markBusy(engine: Engine, r: ReservationRec): void {
  let set = engine.busy.get(r.workerSid);
  if (ACTIVE_RESERVATION.has(r.reservationStatus)) {
    if (!set) engine.busy.set(r.workerSid, (set = new Set()));
    set.add(r.sid);
  } else if (set) {
    set.delete(r.sid);
    if (set.size === 0) {
      engine.busy.delete(r.workerSid);
      engine.idleSince.set(r.workerSid, engine.clock.now());
    }
  }
  refreshIdle(engine, r.workerSid);
}

export function schedule(engine: Engine): void {
  if (engine.pumpScheduled || engine.stopped) return;
  engine.pumpScheduled = true;
  queueMicrotask(() => pump(engine));
}

export function fromTimer(engine: Engine, work: () => void): void {
  if (engine.stopped) return;
  work();
  schedule(engine);
  engine.onChange?.();
}

export function pump(engine: Engine): void {
  engine.pumpScheduled = false;
  if (engine.stopped) return;
  try {
    let rounds = 0;
    while (engine.intents.length > 0 && rounds++ < 1000) {
      const intents = engine.intents;
      engine.intents = [];
      for (const intent of intents) {
        if (intent.kind === "place")
          routing(engine, intent.taskSid, () => place(engine, intent.taskSid));
        else engine.reservationChanged(intent.reservation, intent.previous);
      }
    }
    dispatch(engine);
    offerKnownWorkers(engine);
  } catch (err) {
    process.stderr.write(`emulator engine: ${(err as Error).stack ?? String(err)}\n`);
  }
}

/** Runs one task's routing step; a throw is recorded against the task (and logged), not lost. */
export function routing(engine: Engine, taskSid: string, work: () => void): void {
  try {
    work();
  } catch (err) {
    const r = engine.routed.get(taskSid);
    const step = r?.pos ? r.steps[r.pos.index] : undefined;
    const failure: RoutingFailure = {
      at: nowIso(engine.clock),
      taskSid,
      step: step ? `filter ${JSON.stringify(step.filterName)}, target ${step.targetIndex}` : null,
      message: err instanceof Error ? err.message : String(err),
    };
    const key = `${taskSid}\n${failure.message}`;
    if (engine.routingFailureKeys.has(key)) return; // the same step fails again on every pass
    engine.routingFailureKeys.add(key);
    engine.routingFailures.push(failure);
    const where = failure.step ? ` (${failure.step})` : "";
    process.stderr.write(`emulator engine: task ${taskSid}${where}: ${failure.message}\n`);
  }
}

export function ageOf(engine: Engine, t: TaskRec): number {
  return (engine.clock.now() - startOf(t)) / 1000;
}

// A task's events ask for its age several times in a row: the last parse is kept.
let lastStart = "";
let lastStartMs = NaN;
function startOf(t: TaskRec): number {
  if (t.virtualStartTime !== lastStart) {
    lastStartMs = Date.parse(t.virtualStartTime);
    lastStart = t.virtualStartTime;
  }
  return lastStartMs;
}

export function place(engine: Engine, taskSid: string): void {
  const r = engine.routed.get(taskSid);
  const t = engine.store.tasks.get(taskSid);
  if (!r || !t || !r.needsPlacement) return;
  if (t.assignmentStatus !== "pending") return;
  r.needsPlacement = false;
  const first = r.pos === null;
  const skipped: RoutingStep[] = [];
  const placement = placeTask(r.steps, ageOf(engine, t), {
    from: r.pos ?? undefined,
    skip: (step) => {
      if (step.skipIf === undefined) return false;
      const queue = engine.store.taskQueues.get(step.queue);
      if (!queue || candidatesFor(engine, t, r, step, queue).length > 0) return false;
      const members = workersOf(engine, t.workspaceSid).filter((w) => isMember(engine, w, queue));
      const skip = skipIfHolds(step.skipIf, countWorkers(members.map((w) => viewOf(engine, w))));
      if (skip) skipped.push(step);
      return skip;
    },
  });
  for (const step of skipped) {
    taskEvent(
      engine,
      "workflow.skipped",
      t,
      `Task ${t.sid} skipped a target of ${step.filterName}`,
      {
        WorkflowFilterName: step.filterName,
        WorkflowFilterTargetIndex: String(step.targetIndex),
      },
    );
  }
  engine.clock.cancel(r.stepTimer);
  if (placement.kind === "fell-out") {
    if (r.steps.length > 0)
      taskEvent(engine, "workflow.timeout", t, `Task ${t.sid} fell out of the workflow`);
    unlist(engine, r);
    engine.store.setTaskStatus(t, "canceled", WORKFLOW_TIMEOUT_REASON);
    return;
  }
  const changedStep = first || r.pos?.index !== placement.index;
  r.pos = { index: placement.index, enteredAt: placement.enteredAt };
  const step = placement.step;
  r.knownWorker = knownWorkerFor(engine, t, step);
  if (first && r.workflowSid) {
    taskEvent(engine, "workflow.entered", t, `Task ${t.sid} entered the workflow`);
  }
  if (changedStep && r.workflowSid) {
    taskEvent(
      engine,
      "workflow.target-matched",
      t,
      `Task ${t.sid} matched a target of ${step.filterName}`,
      {
        WorkflowFilterName: step.filterName,
        WorkflowFilterTargetIndex: String(step.targetIndex),
      },
    );
  }
  const priority =
    step.priority !== undefined && step.priority !== t.priority ? step.priority : undefined;
  if (step.queue !== "" && (t.taskQueueSid !== step.queue || priority !== undefined)) {
    const moved = t.taskQueueSid !== null && t.taskQueueSid !== step.queue;
    engine.store.moveTask(t, step.queue, priority);
    if (moved)
      taskEvent(engine, "task-queue.moved", t, `Task ${t.sid} moved to queue ${step.queue}`);
  }
  if (changedStep && step.queue !== "" && (first || r.queue !== step.queue)) {
    taskEvent(engine, "task-queue.entered", t, `Task ${t.sid} entered queue ${step.queue}`);
  }
  list(engine, r, step.queue);
  if (placement.deadline !== null) {
    const at = Date.parse(t.virtualStartTime) + placement.deadline * 1000;
    r.stepTimer = engine.clock.setTimer(at, () =>
      fromTimer(engine, () => {
        r.needsPlacement = true;
        engine.intents.push({ kind: "place", taskSid: r.sid });
      }),
    );
  }
}

/**
 * The one worker a task may be offered to on a step: its `RoutingTarget=WK…`, else the step's
 * known-worker target resolved against the task ("" when it names no worker of the workspace, so
 * no one matches; https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing).
 */
function knownWorkerFor(engine: Engine, t: TaskRec, step: RoutingStep): string | undefined {
  if (t.routingTarget?.startsWith("WK")) return t.routingTarget;
  if (!step.knownWorker) return undefined;
  const name = knownWorkerName(step.knownWorker.value, parseAttributes(t.attributes));
  if (name === undefined) return "";
  const w =
    step.knownWorker.by === "sid"
      ? engine.store.workers.get(name)
      : workersOf(engine, t.workspaceSid).find((x) => x.friendlyName === name);
  return w && w.workspaceSid === t.workspaceSid ? w.sid : "";
}

export function list(engine: Engine, r: Routed, queue: string): void {
  if (r.queue === queue) return;
  unlist(engine, r);
  r.queue = queue;
  let set = engine.byQueue.get(queue);
  if (!set) engine.byQueue.set(queue, (set = new Set()));
  set.add(r);
  engine.sortedQueues.delete(queue);
}

export function unlist(engine: Engine, r: Routed): void {
  if (r.queue === null) return;
  engine.byQueue.get(r.queue)?.delete(r);
  engine.sortedQueues.delete(r.queue);
  r.queue = null;
}

export function dirtyQueue(engine: Engine, queue: string | null): void {
  if (queue) engine.sortedQueues.delete(queue);
}

export function workersOf(engine: Engine, ws: string): WorkerRec[] {
  const out: WorkerRec[] = [];
  for (const w of engine.store.workers.values()) if (w.workspaceSid === ws) out.push(w);
  return out;
}

export function viewOf(engine: Engine, w: WorkerRec): WorkerView {
  // Parsing attributes for every candidate of every task is the hot path; cache per revision.
  const cached = engine.views.get(w.sid);
  if (cached && cached.revision === w.revision && cached.view.activitySid === w.activitySid) {
    return cached.view;
  }
  const view = makeView(engine, w);
  engine.views.set(w.sid, { revision: w.revision, view });
  return view;
}

export function makeView(engine: Engine, w: WorkerRec): WorkerView {
  const activity = engine.store.activities.get(w.activitySid);
  return {
    sid: w.sid,
    friendlyName: w.friendlyName,
    activitySid: w.activitySid,
    activityName: activity?.friendlyName ?? "",
    available: activity?.available ?? false,
    attributes: parseAttributes(w.attributes),
  };
}

export function isMember(engine: Engine, w: WorkerRec, q: TaskQueueRec): boolean {
  if (q.workspaceSid !== w.workspaceSid) return inQueue(q.targetWorkers, viewOf(engine, w));
  return listingOf(engine, w).has(q.sid);
}

/**
 * Single-tasking: a worker takes one task at a time. Multitasking: reservations on the task's channel
 * up to the worker channel's capacity, none while it is unavailable (state/taskChannels.ts).
 */
export function hasCapacity(engine: Engine, w: WorkerRec, t: TaskRec, ws: WorkspaceRec): boolean {
  const active = engine.busy.get(w.sid);
  if (!ws.multiTaskEnabled) return !active || active.size === 0;
  const channel = engine.store.channelCapacity(w.sid, t.taskChannelSid);
  if (!channel.available) return false;
  let used = 0;
  for (const sid of active ?? []) {
    const other = engine.store.reservations.get(sid);
    const otherTask = other && engine.store.tasks.get(other.taskSid);
    if (otherTask?.taskChannelSid === t.taskChannelSid) used++;
  }
  return used < channel.capacity;
}

/**
 * Whom `candidatesFor` looks at when dispatch gave no pool: the known worker, else the queue's idle
 * members (a reservable worker is idle: available, and single-tasking without an active reservation).
 */
function poolFor(engine: Engine, t: TaskRec, r: Routed, q: TaskQueueRec): WorkerRec[] {
  if (r.knownWorker !== undefined) {
    const w = engine.store.workers.get(r.knownWorker);
    return w && w.workspaceSid === t.workspaceSid ? [w] : [];
  }
  if (q.workspaceSid !== t.workspaceSid) return workersOf(engine, t.workspaceSid);
  return freeMembers(engine, q);
}

/** Workers who could be reserved for the task on engine step right now. */
export function candidatesFor(
  engine: Engine,
  t: TaskRec,
  r: Routed,
  step: RoutingStep,
  q: TaskQueueRec,
  pool?: WorkerRec[],
): WorkerView[] {
  const ws = engine.store.workspaces.get(t.workspaceSid);
  if (!ws) return [];
  let attrs: Record<string, unknown> | undefined; // parsed only for a target expression
  const out: WorkerView[] = [];
  for (const w of pool ?? poolFor(engine, t, r, q)) {
    if (r.knownWorker !== undefined && w.sid !== r.knownWorker) continue;
    if (r.rejectedBy.has(w.sid)) continue;
    const view = viewOf(engine, w);
    if (!view.available || !hasCapacity(engine, w, t, ws)) continue;
    // A RoutingTarget worker need not be a queue member; a workflow's known worker must be (40152).
    if ((r.knownWorker === undefined || step.knownWorker) && !isMember(engine, w, q)) continue;
    if (step.expression !== undefined) {
      attrs ??= parseAttributes(t.attributes);
      if (!targetAdmits(step.expression, attrs, view)) continue;
    }
    out.push(view);
  }
  return out;
}

export function queued(engine: Engine, r: Routed, t: TaskRec): QueuedTask {
  return { sid: r.sid, priority: t.priority, since: r.since, seq: r.seq };
}

export function sortedQueue(engine: Engine, q: TaskQueueRec): Routed[] {
  let list = engine.sortedQueues.get(q.sid);
  if (!list) {
    const entries = [...(engine.byQueue.get(q.sid) ?? [])]
      .map((r) => ({ r, t: engine.store.tasks.get(r.sid) }))
      .filter((e): e is { r: Routed; t: TaskRec } => e.t !== undefined);
    entries.sort((a, b) =>
      compareTasks(q.taskOrder, queued(engine, a.r, a.t), queued(engine, b.r, b.t)),
    );
    list = entries.map((e) => e.r);
    engine.sortedQueues.set(q.sid, list);
  }
  return list;
}

/**
 * Reserves workers for waiting tasks. Per workspace: the free workers (available activity, spare
 * capacity); the queues with a free member; then tasks are taken across those queues in queue order
 * (FIFO before LIFO queues unless the workspace prioritises LIFO) and each gets its worker(s).
 */
export function dispatch(engine: Engine): void {
  for (const ws of engine.store.workspaces.values()) {
    const idle = engine.idle.get(ws.sid)?.size ?? 0;
    if (idle === 0) continue;
    let free: WorkerRec[] | undefined;
    const cursors: Array<{
      q: TaskQueueRec;
      list: Routed[];
      i: number;
      members: WorkerRec[];
      /** Members before this index are all taken. */
      untaken: number;
      done: boolean;
    }> = [];
    for (const [queueSid, waiting] of engine.byQueue) {
      if (waiting.size === 0) continue;
      const q = engine.store.taskQueues.get(queueSid);
      if (!q || q.workspaceSid !== ws.sid) continue;
      const list = sortedQueue(engine, q);
      const hasKnown = list.some((r) => r.knownWorker !== undefined);
      const members = hasKnown ? (free ??= freeWorkers(engine, ws)) : freeMembers(engine, q);
      if (members.length === 0) continue;
      cursors.push({ q, list, i: 0, members, untaken: 0, done: false });
    }
    const rank = (order: "FIFO" | "LIFO") => (order === ws.prioritizeQueueOrder ? 0 : 1);
    const taken = new Set<string>();
    const single = !ws.multiTaskEnabled;
    // Tasks that could take another reservation now; others are stepped over cheaply.
    const offerable = (r: Routed, q: TaskQueueRec) => {
      const t = engine.store.tasks.get(r.sid);
      if (!t) return undefined;
      if (t.assignmentStatus === "pending") return t;
      const more = t.assignmentStatus === "reserved" && !r.knownWorker && q.maxReservedWorkers > 1;
      return more ? t : undefined;
    };
    while (!single || taken.size < idle) {
      let best: (typeof cursors)[number] | undefined;
      let bestTask: TaskRec | undefined;
      for (const c of cursors) {
        if (c.done) continue;
        if (single) {
          while (c.untaken < c.members.length && taken.has(c.members[c.untaken].sid)) c.untaken++;
          if (c.untaken === c.members.length) {
            c.done = true;
            continue;
          }
        }
        let t: TaskRec | undefined;
        while (c.i < c.list.length && !(t = offerable(c.list[c.i], c.q))) c.i++;
        if (!t) {
          c.done = true;
          continue;
        }
        if (!best || !bestTask) {
          best = c;
          bestTask = t;
          continue;
        }
        const a = queued(engine, c.list[c.i], t);
        const b = queued(engine, best.list[best.i], bestTask);
        const byRank = rank(c.q.taskOrder) - rank(best.q.taskOrder);
        const better = byRank !== 0 ? byRank < 0 : compareTasks(c.q.taskOrder, a, b) < 0;
        if (better) {
          best = c;
          bestTask = t;
        }
      }
      if (!best || !bestTask) break;
      const r = best.list[best.i++];
      const pool = single ? best.members.filter((w) => !taken.has(w.sid)) : best.members;
      routing(engine, r.sid, () => offer(engine, r, bestTask, best.q, ws, pool, taken));
    }
  }
}

export function offer(
  engine: Engine,
  r: Routed,
  t: TaskRec,
  q: TaskQueueRec,
  ws: WorkspaceRec,
  pool: WorkerRec[],
  taken: Set<string>,
): void {
  if (t.assignmentStatus !== "pending" && t.assignmentStatus !== "reserved") return;
  if (t.assignmentStatus === "reserved" && (r.knownWorker || q.maxReservedWorkers <= 1)) return;
  if (r.pos === null || r.needsPlacement) return;
  const step = r.steps[r.pos.index];
  if (!step) return;
  const pending = engine.pendingByTask.get(t.sid) ?? 0;
  const room = (r.knownWorker ? 1 : q.maxReservedWorkers) - pending;
  if (room <= 0 || pool.length === 0) return;
  const candidates = candidatesFor(engine, t, r, step, q, pool);
  if (candidates.length === 0) return;
  const chosen = chooseWorkers(candidates, room, {
    orderBy: step.orderBy,
    lastReservedAt: workerOrder(engine, t),
  });
  for (const w of chosen) {
    taken.add(w.sid);
    reserve(engine, r, t, q, ws, engine.store.workers.get(w.sid) as WorkerRec);
  }
}

export function reserve(
  engine: Engine,
  r: Routed,
  t: TaskRec,
  /** Undefined for a task sent to a worker without a queue (RoutingTarget=WK…, no workflow). */
  q: TaskQueueRec | undefined,
  ws: WorkspaceRec,
  w: WorkerRec,
): void {
  r.assignments++;
  if (r.assignments > MAX_ASSIGNMENTS) {
    engine.store.setTaskStatus(t, "canceled", MAX_ASSIGNMENTS_REASON);
    return;
  }
  const reservation = engine.store.createReservation(ws.sid, t.sid, w.sid);
  engine.lastReservedAt.set(w.sid, engine.clock.now());
  const state: ReservationState = { settled: false };
  engine.reservations.set(reservation.sid, state);
  if (
    !ws.multiTaskEnabled &&
    q?.reservationActivitySid &&
    w.activitySid !== q.reservationActivitySid
  ) {
    state.previousActivity = w.activitySid;
    setActivity(engine, w, q.reservationActivitySid);
  }
  const wf = r.workflowSid ? engine.store.workflows.get(r.workflowSid) : undefined;
  armReservationTimer(engine, reservation, wf);
  if (wf?.assignmentCallbackUrl && q) {
    void engine.clock.track(assign(engine, reservation, t, q, w, wf));
  }
}

export function armReservationTimer(
  engine: Engine,
  reservation: ReservationRec,
  wf: WorkflowRec | undefined,
): void {
  let state = engine.reservations.get(reservation.sid);
  if (!state) engine.reservations.set(reservation.sid, (state = { settled: false }));
  const seconds = wf?.taskReservationTimeout ?? DEFAULT_RESERVATION_TIMEOUT;
  state.timer = engine.clock.setTimer(engine.clock.now() + seconds * 1000, () =>
    fromTimer(engine, () => {
      const live = engine.store.reservations.get(reservation.sid);
      if (!live || live.reservationStatus !== "pending") return;
      engine.store.setReservationStatus(live, "timeout");
      const ws = engine.store.workspaces.get(live.workspaceSid);
      const worker = engine.store.workers.get(live.workerSid);
      if (ws && worker) setActivity(engine, worker, ws.timeoutActivitySid);
    }),
  );
}

export function setActivity(engine: Engine, w: WorkerRec, activitySid: string): void {
  if (w.activitySid === activitySid || !engine.store.activities.has(activitySid)) return;
  engine.store.updateWorker(w.workspaceSid, w.sid, { activitySid });
}
