/**
 * TaskRouter's statistics, computed from the engine's event history and the current state: pure
 * functions, history in and figures out. The emulator's Statistics endpoints and the simulator's
 * per-queue report both call these, so "answered within 30 s" means one thing everywhere.
 *
 * Definitions follow Twilio's statistics pages (https://www.twilio.com/docs/taskrouter/api/workspace-statistics,
 * …/taskqueue-statistics, …/worker-statistics, …/workflow-statistics). Where they are silent:
 * - A wait is measured from the task's creation (its `task.created` event) to the event that ends it
 *   (`reservation.accepted`, `task.canceled`), at full clock precision; `in queue` waits from the
 *   task's last `task-queue.entered` event.
 * - SplitByWaitTime: a wait of exactly the threshold counts as `below` ("answered within 30 s").
 * - A queue's `tasks_moved` counts tasks that left it for another queue.
 * - Activity durations: per worker, the time spent in the activity inside the interval; min, avg and
 *   max are over the workers who spent any time in it.
 * - Real-time figures count live tasks (pending, reserved, assigned, wrapping); the longest waiting
 *   task is the oldest pending or reserved one, aged like `TaskAge` (from its virtual start time).
 */
import type { ActivityRec, TaskRec, WorkerRec } from "../state/records";

/** One TaskRouter event as the engine recorded it (also what `GET /Events` serves). */
export interface HistoryEvent {
  sid: string;
  /** Clock time in ms. */
  at: number;
  workspaceSid: string;
  type: string;
  /** `Task`, `Reservation` or `Worker`. */
  resourceType: string;
  resourceSid: string;
  description: string;
  /** The resource's fields as the event callback sends them (`TaskSid`, `TaskQueueSid`, `WorkerSid`, …). */
  data: Readonly<Record<string, string>>;
}

/** The interval of cumulative statistics, in clock ms, both ends included. */
export interface Interval {
  start: number;
  end: number;
}

/** Which events count: those of one queue, workflow, worker set and/or task channel (SID). */
export interface Scope {
  taskQueueSid?: string;
  workflowSid?: string;
  workerSids?: ReadonlySet<string>;
  taskChannelSid?: string;
}

/** Seconds of a list of waits or durations. */
export interface Durations {
  avg: number;
  min: number;
  max: number;
  total: number;
}

export interface Split {
  above: { tasks_canceled: number; reservations_accepted: number };
  below: { tasks_canceled: number; reservations_accepted: number };
}

export interface Cumulative {
  tasksCreated: number;
  /** `task-queue.entered` events. */
  tasksEnteredQueue: number;
  /** `workflow.entered` events. */
  tasksEnteredWorkflow: number;
  tasksCanceled: number;
  /** Canceled tasks by `TaskCanceledReason`. */
  canceledByReason: Record<string, number>;
  tasksCompleted: number;
  tasksDeleted: number;
  tasksMoved: number;
  tasksTimedOutInWorkflow: number;
  reservations: {
    created: number;
    accepted: number;
    rejected: number;
    timedOut: number;
    canceled: number;
    rescinded: number;
  };
  /** Creation → acceptance of each accepted task, ms, in acceptance order. */
  acceptedWaits: number[];
  /** Queue entry → acceptance, ms. */
  acceptedWaitsInQueue: number[];
  /** Creation → cancellation of each canceled task, ms. */
  canceledWaits: number[];
  /** Threshold (seconds, as given) → split; empty without thresholds. */
  splitByWaitTime: Record<string, Split>;
  /** Activity SID → each worker's ms in it inside the interval (only workers with some time). */
  activityTimes: Record<string, number[]>;
}

const RESERVATION_COUNTS: Record<string, keyof Cumulative["reservations"]> = {
  "reservation.created": "created",
  "reservation.accepted": "accepted",
  "reservation.rejected": "rejected",
  "reservation.timeout": "timedOut",
  "reservation.canceled": "canceled",
  "reservation.rescinded": "rescinded",
};

function matches(ev: HistoryEvent, scope: Scope, queue = ev.data.TaskQueueSid): boolean {
  const d = ev.data;
  if (scope.taskQueueSid !== undefined && queue !== scope.taskQueueSid) return false;
  if (scope.workflowSid !== undefined && d.WorkflowSid !== scope.workflowSid) return false;
  if (scope.workerSids !== undefined && !scope.workerSids.has(d.WorkerSid ?? "")) return false;
  if (scope.taskChannelSid !== undefined && d.TaskChannelSid !== scope.taskChannelSid) return false;
  return true;
}

/**
 * Cumulative statistics over `interval` for the events of `scope`. `history` is in time order and
 * may start before the interval (creation times and queue entries are read from it). `workers`
 * gives each worker's current activity, for the time they are still spending in it.
 */
export function cumulative(
  history: readonly HistoryEvent[],
  interval: Interval,
  scope: Scope = {},
  thresholds: readonly number[] = [],
  workers: readonly WorkerRec[] = [],
): Cumulative {
  const out: Cumulative = {
    tasksCreated: 0,
    tasksEnteredQueue: 0,
    tasksEnteredWorkflow: 0,
    tasksCanceled: 0,
    canceledByReason: {},
    tasksCompleted: 0,
    tasksDeleted: 0,
    tasksMoved: 0,
    tasksTimedOutInWorkflow: 0,
    reservations: { created: 0, accepted: 0, rejected: 0, timedOut: 0, canceled: 0, rescinded: 0 },
    acceptedWaits: [],
    acceptedWaitsInQueue: [],
    canceledWaits: [],
    splitByWaitTime: {},
    activityTimes: {},
  };
  const splits = thresholds.map((t) => {
    const split: Split = {
      above: { tasks_canceled: 0, reservations_accepted: 0 },
      below: { tasks_canceled: 0, reservations_accepted: 0 },
    };
    out.splitByWaitTime[String(t)] = split;
    return { ms: t * 1000, split };
  });
  const createdAt = new Map<string, number>();
  const queueOf = new Map<string, { queue: string; since: number }>();
  const accepted = new Set<string>();
  const stints = new Map<string, { activity: string; since: number }>();
  const perWorker = new Map<string, Map<string, number>>();
  const addTime = (worker: string, activity: string, from: number, to: number) => {
    if (scope.workerSids !== undefined && !scope.workerSids.has(worker)) return;
    const ms = Math.min(to, interval.end) - Math.max(from, interval.start);
    if (ms <= 0) return;
    let byActivity = perWorker.get(worker);
    if (!byActivity) perWorker.set(worker, (byActivity = new Map()));
    byActivity.set(activity, (byActivity.get(activity) ?? 0) + ms);
  };
  const ageAt = (ev: HistoryEvent): number => {
    const since = createdAt.get(ev.data.TaskSid ?? "");
    return since !== undefined ? ev.at - since : Number(ev.data.TaskAge ?? 0) * 1000;
  };

  for (const ev of history) {
    if (ev.at > interval.end) break;
    const d = ev.data;
    const within = ev.at >= interval.start;
    const task = d.TaskSid;
    if (ev.type === "task.created" && task) createdAt.set(task, ev.at);
    if (ev.type === "task-queue.entered" && task) {
      const previous = queueOf.get(task);
      if (
        within &&
        previous &&
        previous.queue !== d.TaskQueueSid &&
        matches(ev, scope, previous.queue)
      )
        out.tasksMoved++;
      queueOf.set(task, { queue: d.TaskQueueSid ?? "", since: ev.at });
    }
    if (ev.resourceType === "Worker") {
      const worker = ev.resourceSid;
      const open = stints.get(worker);
      if (ev.type === "worker.created" || ev.type === "worker.activity.update") {
        const since = open?.since ?? ev.at - Number(d.WorkerTimeInPreviousActivityMs ?? 0);
        const previous = open?.activity ?? d.WorkerPreviousActivitySid;
        if (ev.type === "worker.activity.update" && previous)
          addTime(worker, previous, since, ev.at);
        stints.set(worker, { activity: d.WorkerActivitySid ?? "", since: ev.at });
      } else if (ev.type === "worker.deleted" && open) {
        addTime(worker, open.activity, open.since, ev.at);
        stints.delete(worker);
      }
      continue;
    }
    if (!within || !matches(ev, scope)) continue;
    const reservationCount = RESERVATION_COUNTS[ev.type];
    if (reservationCount) out.reservations[reservationCount]++;
    switch (ev.type) {
      case "task.created":
        out.tasksCreated++;
        break;
      case "task-queue.entered":
        out.tasksEnteredQueue++;
        break;
      case "workflow.entered":
        out.tasksEnteredWorkflow++;
        break;
      case "task.completed":
        out.tasksCompleted++;
        break;
      case "task.deleted":
        out.tasksDeleted++;
        break;
      case "workflow.timeout":
        out.tasksTimedOutInWorkflow++;
        break;
      case "task.canceled": {
        out.tasksCanceled++;
        const reason = d.TaskCanceledReason ?? "";
        out.canceledByReason[reason] = (out.canceledByReason[reason] ?? 0) + 1;
        const wait = ageAt(ev);
        out.canceledWaits.push(wait);
        for (const s of splits) s.split[wait <= s.ms ? "below" : "above"].tasks_canceled++;
        break;
      }
      case "reservation.accepted": {
        if (!task || accepted.has(task)) break;
        accepted.add(task);
        const wait = ageAt(ev);
        out.acceptedWaits.push(wait);
        const entered = queueOf.get(task);
        out.acceptedWaitsInQueue.push(entered ? ev.at - entered.since : wait);
        for (const s of splits) s.split[wait <= s.ms ? "below" : "above"].reservations_accepted++;
        break;
      }
    }
  }
  // Time still being spent in the current activity counts up to the end of the interval.
  for (const w of workers) {
    const open = stints.get(w.sid);
    addTime(w.sid, w.activitySid, open?.since ?? Date.parse(w.dateStatusChanged), interval.end);
  }
  for (const byActivity of perWorker.values()) {
    for (const [activity, ms] of byActivity) (out.activityTimes[activity] ??= []).push(ms);
  }
  return out;
}

/** avg/min/max/total in whole seconds (rounded), zeros for an empty list. */
export function durations(ms: readonly number[]): Durations {
  if (ms.length === 0) return { avg: 0, min: 0, max: 0, total: 0 };
  const total = ms.reduce((a, b) => a + b, 0);
  const s = (v: number) => Math.round(v / 1000);
  return {
    avg: s(total / ms.length),
    min: s(Math.min(...ms)),
    max: s(Math.max(...ms)),
    total: s(total),
  };
}

export interface ActivityCount {
  sid: string;
  friendly_name: string;
  workers: number;
}

export interface RealTime {
  activityStatistics: ActivityCount[];
  totalWorkers: number;
  /** Workers in an available activity. */
  availableWorkers: number;
  tasksByStatus: { pending: number; reserved: number; assigned: number; wrapping: number };
  tasksByPriority: Record<string, number>;
  totalTasks: number;
  longestTaskWaiting: { sid: string | null; age: number };
  longestInQueue: { sid: string | null; age: number };
}

const LIVE = new Set(["pending", "reserved", "assigned", "wrapping"]);

/**
 * Real-time statistics of the given tasks and workers (already narrowed to a queue, workflow or
 * channel by the caller) at clock time `now` (ms). Ages are whole seconds.
 */
export function realTime(
  tasks: readonly TaskRec[],
  workers: readonly WorkerRec[],
  activities: readonly ActivityRec[],
  now: number,
): RealTime {
  const byActivity = new Map(activities.map((a) => [a.sid, 0]));
  const available = new Set(activities.filter((a) => a.available).map((a) => a.sid));
  for (const w of workers) byActivity.set(w.activitySid, (byActivity.get(w.activitySid) ?? 0) + 1);
  const out: RealTime = {
    activityStatistics: activities.map((a) => ({
      sid: a.sid,
      friendly_name: a.friendlyName,
      workers: byActivity.get(a.sid) ?? 0,
    })),
    totalWorkers: workers.length,
    availableWorkers: workers.filter((w) => available.has(w.activitySid)).length,
    tasksByStatus: { pending: 0, reserved: 0, assigned: 0, wrapping: 0 },
    tasksByPriority: {},
    totalTasks: 0,
    longestTaskWaiting: { sid: null, age: 0 },
    longestInQueue: { sid: null, age: 0 },
  };
  let oldest = Infinity;
  let oldestInQueue = Infinity;
  for (const t of tasks) {
    if (!LIVE.has(t.assignmentStatus)) continue;
    out.totalTasks++;
    out.tasksByStatus[t.assignmentStatus as keyof RealTime["tasksByStatus"]]++;
    const p = String(t.priority);
    out.tasksByPriority[p] = (out.tasksByPriority[p] ?? 0) + 1;
    if (t.assignmentStatus !== "pending" && t.assignmentStatus !== "reserved") continue;
    const start = Date.parse(t.virtualStartTime);
    if (start < oldest) {
      oldest = start;
      out.longestTaskWaiting = { sid: t.sid, age: Math.max(0, Math.floor((now - start) / 1000)) };
    }
    const entered = t.taskQueueEnteredDate ? Date.parse(t.taskQueueEnteredDate) : start;
    if (entered < oldestInQueue) {
      oldestInQueue = entered;
      out.longestInQueue = { sid: t.sid, age: Math.max(0, Math.floor((now - entered) / 1000)) };
    }
  }
  return out;
}
