// Statistics of the Workspace, its TaskQueues, Workers and Workflows: RealTime, Cumulative and both
// (https://www.twilio.com/docs/taskrouter/api/workspace-statistics and the TaskQueue, Worker and
// Workflow statistics pages). Figures come from taskrouter/statistics.ts over the engine's event
// history; this file reads the parameters and renders Twilio's fields.
import { invalidParameter } from "../../errors";
import type { Store, TaskRec, WorkerRec } from "../../state/store";
import {
  cumulative,
  durations,
  realTime,
  type Cumulative,
  type Interval,
  type RealTime,
  type Scope,
} from "../../taskrouter/statistics";
import { HISTORY_RETENTION_MS } from "../../taskrouter/events";
import { byName } from "../filters";
import { trList } from "../paging";
import type { Params } from "../params";
import { workspaceUrl, type Json } from "../render";
import { isoDate } from "../../state/records";
import { knownWs, ok, TR, type Route, type RouteContext } from "../route";

const INTERVAL = ["Minutes", "StartDate", "EndDate"];
const DEFAULT_MINUTES = 15;

/** Refuses query parameters the operation does not take. */
export function allowOnly(q: Params, names: readonly string[]): void {
  for (const n of q.names())
    if (!names.includes(n)) throw invalidParameter(`Unknown query parameter ${n}`);
}

/**
 * `Minutes` (default 15) or `StartDate`/`EndDate`: "Minutes cannot be used in combination with
 * StartDate and EndDate"; history goes back 30 days; an interval ends at the latest now.
 */
export function readInterval(q: Params, now: number): Interval {
  const minutes = q.int("Minutes", 1, HISTORY_RETENTION_MS / 60_000);
  const start = q.date("StartDate")?.getTime();
  const endDate = q.date("EndDate")?.getTime();
  if (minutes !== undefined && (start !== undefined || endDate !== undefined))
    throw invalidParameter("Minutes cannot be used in combination with StartDate and EndDate");
  const end = Math.min(endDate ?? now, now);
  const from = start ?? end - (minutes ?? DEFAULT_MINUTES) * 60_000;
  if (from < now - HISTORY_RETENTION_MS)
    throw invalidParameter("Invalid StartDate: TaskRouter keeps only the past 30 days");
  if (from > end) throw invalidParameter("Invalid StartDate: after EndDate");
  return { start: from, end };
}

/** `TaskChannel`: a TaskChannel SID or unique name of the workspace. */
export function readChannel(store: Store, wsSid: string, q: Params): string | undefined {
  const v = q.str("TaskChannel");
  if (v === undefined) return undefined;
  for (const c of store.taskChannels.values()) {
    if (c.workspaceSid === wsSid && (c.sid === v || c.uniqueName === v)) return c.sid;
  }
  throw invalidParameter(
    `Invalid TaskChannel: ${JSON.stringify(v)} is not a TaskChannel of the workspace`,
  );
}

function readThresholds(q: Params): number[] | undefined {
  const v = q.str("SplitByWaitTime");
  if (v === undefined) return undefined;
  return v.split(",").map((part) => {
    if (!/^\s*\d+\s*$/.test(part) || Number(part) <= 0)
      throw invalidParameter(
        `Invalid SplitByWaitTime: ${JSON.stringify(v)} is not a comma-separated list of seconds`,
      );
    return Number(part);
  });
}

interface Request {
  store: Store;
  ws: string;
  url: string;
  channel?: string;
  interval: Interval;
  thresholds?: number[];
  c: RouteContext;
}

/** Reads what every statistics operation shares, refusing parameters it does not take. */
function read(c: RouteContext, allowed: readonly string[], suffix: string): Request {
  const ws = knownWs(c);
  allowOnly(c.query, allowed);
  const now = c.store.now().getTime();
  return {
    store: c.store,
    ws,
    url: `${workspaceUrl(c.base, ws)}${suffix}`,
    channel: readChannel(c.store, ws, c.query),
    interval: allowed.includes("Minutes") ? readInterval(c.query, now) : { start: now, end: now },
    thresholds: allowed.includes("SplitByWaitTime") ? readThresholds(c.query) : undefined,
    c,
  };
}

function figures(r: Request, scope: Scope, workers: readonly WorkerRec[] = []): Cumulative {
  const history = r.c.history?.events().filter((e) => e.workspaceSid === r.ws) ?? [];
  const full: Scope = { ...scope, taskChannelSid: r.channel };
  return cumulative(history, r.interval, full, r.thresholds ?? [], workers);
}

function common(r: Request, f: Cumulative): Json {
  const accepted = durations(f.acceptedWaits);
  return {
    avg_task_acceptance_time: accepted.avg,
    start_time: isoDate(new Date(r.interval.start)),
    end_time: isoDate(new Date(r.interval.end)),
    reservations_created: f.reservations.created,
    reservations_accepted: f.reservations.accepted,
    reservations_rejected: f.reservations.rejected,
    reservations_timed_out: f.reservations.timedOut,
    reservations_canceled: f.reservations.canceled,
    reservations_rescinded: f.reservations.rescinded,
    split_by_wait_time: r.thresholds ? f.splitByWaitTime : null,
    wait_duration_until_accepted: accepted,
    wait_duration_until_canceled: durations(f.canceledWaits),
    tasks_canceled: f.tasksCanceled,
    tasks_completed: f.tasksCompleted,
    tasks_deleted: f.tasksDeleted,
    tasks_moved: f.tasksMoved,
  };
}

function workspaceCumulative(r: Request): Json {
  const f = figures(r, {});
  return {
    ...common(r, f),
    tasks_created: f.tasksCreated,
    tasks_timed_out_in_workflow: f.tasksTimedOutInWorkflow,
  };
}

function queueCumulative(r: Request, queue: string): Json {
  const f = figures(r, { taskQueueSid: queue });
  const { split_by_wait_time, ...rest } = common(r, f);
  return {
    ...rest,
    split_by_wait_time,
    wait_duration_in_queue_until_accepted: durations(f.acceptedWaitsInQueue),
    tasks_entered: f.tasksEnteredQueue,
  };
}

function workflowCumulative(r: Request, workflow: string): Json {
  const f = figures(r, { workflowSid: workflow });
  return {
    ...common(r, f),
    tasks_entered: f.tasksEnteredWorkflow,
    tasks_timed_out_in_workflow: f.tasksTimedOutInWorkflow,
  };
}

function workersCumulative(r: Request, workers: readonly WorkerRec[]): Json {
  const f = figures(r, { workerSids: new Set(workers.map((w) => w.sid)) }, workers);
  return {
    start_time: isoDate(new Date(r.interval.start)),
    end_time: isoDate(new Date(r.interval.end)),
    activity_durations: r.store.listOf(r.store.activities, r.ws).map((a) => ({
      sid: a.sid,
      friendly_name: a.friendlyName,
      ...durations(f.activityTimes[a.sid] ?? []),
    })),
    reservations_created: f.reservations.created,
    reservations_accepted: f.reservations.accepted,
    reservations_rejected: f.reservations.rejected,
    reservations_timed_out: f.reservations.timedOut,
    reservations_canceled: f.reservations.canceled,
    reservations_rescinded: f.reservations.rescinded,
  };
}

function live(r: Request, keep: (t: TaskRec) => boolean, workers: readonly WorkerRec[]): RealTime {
  const tasks = r.store
    .listOf(r.store.tasks, r.ws)
    .filter((t) => keep(t) && (r.channel === undefined || t.taskChannelSid === r.channel));
  const activities = r.store.listOf(r.store.activities, r.ws);
  return realTime(tasks, workers, activities, r.store.now().getTime());
}

const longest = (f: RealTime) => ({
  longest_task_waiting_age: f.longestTaskWaiting.age,
  longest_task_waiting_sid: f.longestTaskWaiting.sid,
});
const taskCounts = (f: RealTime) => ({
  tasks_by_priority: f.tasksByPriority,
  tasks_by_status: f.tasksByStatus,
  total_tasks: f.totalTasks,
});

function workspaceRealTime(r: Request): Json {
  const f = live(r, () => true, r.store.listOf(r.store.workers, r.ws));
  return {
    activity_statistics: f.activityStatistics,
    ...longest(f),
    ...taskCounts(f),
    total_workers: f.totalWorkers,
  };
}

function queueRealTime(r: Request, queue: string): Json {
  const q = r.store.taskQueue(r.ws, queue);
  const members = r.store.listOf(r.store.workers, r.ws).filter((w) => r.store.workerInQueue(w, q));
  const f = live(r, (t) => t.taskQueueSid === queue, members);
  return {
    activity_statistics: f.activityStatistics,
    ...longest(f),
    longest_relative_task_age_in_queue: f.longestInQueue.age,
    longest_relative_task_sid_in_queue: f.longestInQueue.sid,
    ...taskCounts(f),
    total_available_workers: f.availableWorkers,
    total_eligible_workers: f.totalWorkers,
  };
}

function workflowRealTime(r: Request, workflow: string): Json {
  const f = live(r, (t) => t.workflowSid === workflow, []);
  return { ...longest(f), ...taskCounts(f) };
}

function workersRealTime(r: Request, workers: readonly WorkerRec[]): Json {
  const f = live(r, () => false, workers);
  return { activity_statistics: f.activityStatistics, total_workers: f.totalWorkers };
}

const CUMULATIVE = [...INTERVAL, "TaskChannel", "SplitByWaitTime"];
const REALTIME = ["TaskChannel"];

function envelope(r: Request, body: Json, ids: Json = {}): Json {
  return { account_sid: r.store.accountSid, ...body, ...ids, workspace_sid: r.ws, url: r.url };
}

const WS = `${TR}/{WorkspaceSid}`;
const QUEUE = `${WS}/TaskQueues/{TaskQueueSid}`;
const WORKFLOW = `${WS}/Workflows/{WorkflowSid}`;

function queueSid(c: RouteContext): string {
  return c.store.taskQueue(c.pathParams.WorkspaceSid, c.pathParams.TaskQueueSid).sid;
}
function workflowSid(c: RouteContext): string {
  return c.store.workflow(c.pathParams.WorkspaceSid, c.pathParams.WorkflowSid).sid;
}

type Figures = (r: Request, sid: string) => Json;

/** A queue's or workflow's Statistics, RealTimeStatistics and CumulativeStatistics. */
function resourceStatistics(
  parent: string,
  folder: string,
  idField: string,
  sidOf: (c: RouteContext) => string,
  f: { cumulative: Figures; realtime: Figures },
): Route[] {
  const kinds = [
    ["Statistics", CUMULATIVE],
    ["RealTimeStatistics", REALTIME],
    ["CumulativeStatistics", CUMULATIVE],
  ] as const;
  return kinds.map(([kind, allowed]) => ({
    method: "GET",
    template: `${parent}/${kind}`,
    handler: (c) => {
      const sid = sidOf(c);
      const r = read(c, allowed, `/${folder}/${sid}/${kind}`);
      const body =
        kind === "RealTimeStatistics"
          ? f.realtime(r, sid)
          : kind === "CumulativeStatistics"
            ? f.cumulative(r, sid)
            : { cumulative: f.cumulative(r, sid), realtime: f.realtime(r, sid) };
      return ok(envelope(r, body, { [idField]: sid }));
    },
  }));
}

/** Workers/Statistics narrows the workers by queue (SID or name) and FriendlyName. */
function chosenWorkers(r: Request): WorkerRec[] {
  const { store, ws, c } = r;
  let workers = byName(store.listOf(store.workers, ws), c.query);
  const sid = c.query.str("TaskQueueSid");
  const name = c.query.str("TaskQueueName");
  if (sid !== undefined || name !== undefined) {
    const q = store
      .listOf(store.taskQueues, ws)
      .find(
        (x) =>
          (sid === undefined || x.sid === sid) && (name === undefined || x.friendlyName === name),
      );
    if (!q) throw invalidParameter(`Invalid TaskQueue: ${JSON.stringify(sid ?? name)} not found`);
    workers = workers.filter((w) => store.workerInQueue(w, q));
  }
  return workers;
}

export const statisticsRoutes: Route[] = [
  {
    method: "GET",
    template: `${WS}/Statistics`,
    handler: (c) => {
      const r = read(c, CUMULATIVE, "/Statistics");
      return ok(
        envelope(r, { cumulative: workspaceCumulative(r), realtime: workspaceRealTime(r) }),
      );
    },
  },
  {
    method: "GET",
    template: `${WS}/RealTimeStatistics`,
    handler: (c) => {
      const r = read(c, REALTIME, "/RealTimeStatistics");
      return ok(envelope(r, workspaceRealTime(r)));
    },
  },
  {
    method: "GET",
    template: `${WS}/CumulativeStatistics`,
    handler: (c) => {
      const r = read(c, CUMULATIVE, "/CumulativeStatistics");
      return ok(envelope(r, workspaceCumulative(r)));
    },
  },
  {
    method: "GET",
    template: `${WS}/TaskQueues/Statistics`,
    handler: (c) => {
      const r = read(c, [...CUMULATIVE, "FriendlyName", "PageSize", "Page", "PageToken"], "");
      const queues = byName(c.store.listOf(c.store.taskQueues, r.ws), c.query);
      return trList(c, "task_queues_statistics", [...CUMULATIVE, "FriendlyName"], () =>
        queues.map((q) => ({
          account_sid: c.store.accountSid,
          cumulative: queueCumulative(r, q.sid),
          realtime: queueRealTime(r, q.sid),
          task_queue_sid: q.sid,
          workspace_sid: r.ws,
        })),
      );
    },
  },
  ...resourceStatistics(`${QUEUE}`, "TaskQueues", "task_queue_sid", queueSid, {
    cumulative: queueCumulative,
    realtime: queueRealTime,
  }),
  ...resourceStatistics(`${WORKFLOW}`, "Workflows", "workflow_sid", workflowSid, {
    cumulative: workflowCumulative,
    realtime: workflowRealTime,
  }),
  {
    method: "GET",
    template: `${WS}/Workers/Statistics`,
    handler: (c) => {
      const allowed = [...INTERVAL, "TaskQueueSid", "TaskQueueName", "FriendlyName", "TaskChannel"];
      const r = read(c, allowed, "/Workers/Statistics");
      const workers = chosenWorkers(r);
      const body = {
        realtime: workersRealTime(r, workers),
        cumulative: workersCumulative(r, workers),
      };
      return ok(envelope(r, body));
    },
  },
  {
    method: "GET",
    template: `${WS}/Workers/RealTimeStatistics`,
    handler: (c) => {
      const r = read(c, REALTIME, "/Workers/RealTimeStatistics");
      return ok(envelope(r, workersRealTime(r, c.store.listOf(c.store.workers, r.ws))));
    },
  },
  {
    method: "GET",
    template: `${WS}/Workers/CumulativeStatistics`,
    handler: (c) => {
      const r = read(c, [...INTERVAL, "TaskChannel"], "/Workers/CumulativeStatistics");
      return ok(envelope(r, workersCumulative(r, c.store.listOf(c.store.workers, r.ws))));
    },
  },
  {
    method: "GET",
    template: `${WS}/Workers/{WorkerSid}/Statistics`,
    handler: (c) => {
      const worker = c.store.worker(c.pathParams.WorkspaceSid, c.pathParams.WorkerSid);
      const r = read(c, [...INTERVAL, "TaskChannel"], `/Workers/${worker.sid}/Statistics`);
      const body = { cumulative: workersCumulative(r, [worker]) };
      return ok(envelope(r, body, { worker_sid: worker.sid }));
    },
  },
];
