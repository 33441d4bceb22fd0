// Tasks: creation (workflow or queue or routing target, channel, virtual start time), updates with
// Twilio's status transitions, and the engine hooks that move a task (status, queue).
import { invalidParameter } from "../errors";
import { checkAttributes, checkIfMatch, checkRange } from "./checks";
import {
  clone,
  newSid,
  preciseDate,
  type TaskRec,
  type TaskStatus,
  type WorkflowRec,
} from "./records";
import type { Store } from "./store";
import { firstQueue } from "./workflows";

export interface TaskInput {
  /** JSON object text; default "{}". */
  attributes?: string;
  /** 0..2147483647 (the wire checks the range); default 0. */
  priority?: number;
  /** Seconds, 1..1209600; default 86400. */
  timeout?: number;
  /** A task channel SID or unique name; default "default". */
  taskChannel?: string;
  /** Not in the future, not before 1900; default now. */
  virtualStartTime?: Date;
  workflowSid?: string;
  taskQueueSid?: string;
  /** WK…, WQ… or WW… of the workspace. */
  routingTarget?: string;
  /** Only with a worker routing target; default true there. */
  ignoreCapacity?: boolean;
}

export interface TaskUpdate {
  attributes?: string;
  priority?: number;
  taskChannel?: string;
  virtualStartTime?: Date;
  /** Through the API: canceled (from pending/reserved), completed (from assigned/wrapping), wrapping. */
  assignmentStatus?: TaskStatus;
  /** Required with canceled/completed, refused without a status. */
  reason?: string;
}

const PRIORITY_MAX = 2147483647;
const TIMEOUT_MAX = 1209600;

function channelRef(s: Store, ws: string, ref: string): string {
  const found = s.listOf(s.taskChannels, ws).find((c) => c.sid === ref || c.uniqueName === ref);
  if (!found) throw invalidParameter(`Invalid TaskChannel: ${ref} not found in workspace ${ws}`);
  return found.sid;
}

function virtualStart(s: Store, d: Date | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (d.getTime() > s.now().getTime())
    throw invalidParameter("Invalid VirtualStartTime: in the future");
  if (d.getUTCFullYear() < 1900) throw invalidParameter("Invalid VirtualStartTime: before 1900");
  return preciseDate(d);
}

export function createTask(s: Store, ws: string, input: TaskInput): TaskRec {
  s.workspace(ws);
  const attributes = checkAttributes(input.attributes) ?? "{}";
  const priority = checkRange(input.priority, "Priority", 0, PRIORITY_MAX) ?? 0;
  const timeout = checkRange(input.timeout, "Timeout", 1, TIMEOUT_MAX) ?? 86400;
  const taskChannelSid = channelRef(s, ws, input.taskChannel ?? "default");
  const virtualStartTime = virtualStart(s, input.virtualStartTime);
  const routingTarget = input.routingTarget ?? null;
  const { ignoreCapacity, taskQueueSid: taskQueueParam } = input;
  let workflowSid = input.workflowSid ?? null;
  const workflows = s.listOf(s.workflows, ws);
  if (workflowSid !== null) {
    if (!workflows.some((w) => w.sid === workflowSid)) {
      throw invalidParameter(
        `Invalid WorkflowSid: workflow ${workflowSid} not found in workspace ${ws}`,
      );
    }
  } else if (routingTarget === null && taskQueueParam === undefined) {
    if (workflows.length !== 1) {
      throw invalidParameter(
        `Missing required parameter WorkflowSid: workspace ${ws} has ${workflows.length} workflows`,
      );
    }
    workflowSid = workflows[0].sid;
  }
  let workerTarget = false;
  if (routingTarget !== null) {
    const kind = routingTarget.slice(0, 2);
    const exists =
      (kind === "WK" && s.workers.get(routingTarget)?.workspaceSid === ws) ||
      (kind === "WQ" && s.taskQueues.get(routingTarget)?.workspaceSid === ws) ||
      (kind === "WW" && s.workflows.get(routingTarget)?.workspaceSid === ws);
    if (!exists)
      throw invalidParameter(
        `Invalid RoutingTarget: ${routingTarget} not found in workspace ${ws}`,
      );
    workerTarget = kind === "WK";
  }
  if (ignoreCapacity !== undefined && !workerTarget) {
    throw invalidParameter("IgnoreCapacity can only be used with a worker RoutingTarget");
  }
  let taskQueueSid: string | null = null;
  if (taskQueueParam !== undefined) {
    const q = s.taskQueues.get(taskQueueParam);
    if (!q || q.workspaceSid !== ws) {
      throw invalidParameter(
        `Invalid TaskQueueSid: task queue ${taskQueueParam} not found in workspace ${ws}`,
      );
    }
    taskQueueSid = q.sid;
  } else if (workflowSid !== null) {
    taskQueueSid = firstQueue(s.workflows.get(workflowSid) as WorkflowRec, attributes);
  }
  const now = preciseDate(s.now());
  const t: TaskRec = {
    sid: newSid("WT"),
    workspaceSid: ws,
    workflowSid,
    taskQueueSid,
    taskQueueEnteredDate: taskQueueSid ? now : null,
    taskChannelSid,
    attributes,
    priority,
    timeout,
    assignmentStatus: "pending",
    reason: null,
    virtualStartTime: virtualStartTime ?? now,
    routingTarget,
    ignoreCapacity: workerTarget ? (ignoreCapacity ?? true) : null,
    dateCreated: now,
    dateUpdated: s.stamp(),
    revision: 0,
  };
  s.tasks.set(t.sid, t);
  s.emit("task.created", { task: clone(t) });
  return t;
}

/** The status changes the API allows, with Twilio's refusals. */
function checkTransition(s: Store, t: TaskRec, status: TaskStatus, reason?: string): void {
  const { sid, workspaceSid: ws } = t;
  const from = t.assignmentStatus;
  if (status === "canceled") {
    if (from !== "pending" && from !== "reserved") {
      throw invalidParameter(
        `Cannot cancel task ${sid} in workspace ${ws} for account ${s.accountSid} because it is not pending or reserved.`,
      );
    }
  } else if (status === "completed") {
    if (from !== "assigned" && from !== "wrapping") {
      throw invalidParameter(
        `Cannot complete task ${sid} in workspace ${ws} for account ${s.accountSid} because it is not assigned or wrapping.`,
      );
    }
  } else if (status === "wrapping") {
    if (from !== "assigned")
      throw invalidParameter(`Cannot wrap up task ${sid} because it is not assigned.`);
  } else {
    throw invalidParameter(`Invalid AssignmentStatus: ${status} cannot be set through the API`);
  }
  if (
    (status === "canceled" || status === "completed") &&
    (reason === undefined || reason === "")
  ) {
    throw invalidParameter(
      `Missing required parameter Reason when setting AssignmentStatus to ${status}`,
    );
  }
}

export function updateTask(
  s: Store,
  ws: string,
  sid: string,
  input: TaskUpdate,
  ifMatch?: string,
): TaskRec {
  const t = s.task(ws, sid);
  checkIfMatch(ifMatch, t.revision);
  checkAttributes(input.attributes);
  checkRange(input.priority, "Priority", 0, PRIORITY_MAX);
  const taskChannelSid =
    input.taskChannel === undefined ? undefined : channelRef(s, ws, input.taskChannel);
  const virtualStartTime = virtualStart(s, input.virtualStartTime);
  const { assignmentStatus: status, reason } = input;
  if (reason !== undefined && status === undefined) {
    throw invalidParameter("Reason can only be given with AssignmentStatus canceled or completed");
  }
  if (status !== undefined) checkTransition(s, t, status, reason);
  const previous = clone(t);
  if (input.attributes !== undefined) t.attributes = input.attributes;
  if (input.priority !== undefined) t.priority = input.priority;
  if (taskChannelSid !== undefined) t.taskChannelSid = taskChannelSid;
  if (virtualStartTime !== undefined) t.virtualStartTime = virtualStartTime;
  t.dateUpdated = s.stamp();
  t.revision++;
  if (status !== undefined) setTaskStatus(s, t, status, reason ?? null);
  s.emit("task.updated", { task: clone(t), previous });
  return t;
}

/**
 * Moves a task and its reservations to a new status with the side effects Twilio has:
 * cancel → pending reservations canceled; complete → accepted/wrapping reservations completed.
 * For the engine (TTL expiry, falling out of the workflow) as well as REST.
 */
export function setTaskStatus(s: Store, t: TaskRec, status: TaskStatus, reason: string | null) {
  t.assignmentStatus = status;
  t.dateUpdated = s.stamp();
  if (status === "canceled" || status === "completed") t.reason = reason;
  for (const r of s.taskReservations(t.sid)) {
    if (status === "canceled" && r.reservationStatus === "pending")
      s.setReservationStatus(r, "canceled");
    if (
      status === "completed" &&
      (r.reservationStatus === "accepted" || r.reservationStatus === "wrapping")
    ) {
      s.setReservationStatus(r, "completed");
    }
    if (status === "wrapping" && r.reservationStatus === "accepted")
      s.setReservationStatus(r, "wrapping");
  }
  if (status === "canceled") s.emit("task.canceled", { task: clone(t), reason });
  if (status === "completed") s.emit("task.completed", { task: clone(t), reason });
}

/** Engine hook: put a task into (another) queue, e.g. when a workflow target times out. */
export function moveTask(s: Store, t: TaskRec, taskQueueSid: string | null, priority?: number) {
  const previous = clone(t);
  t.taskQueueSid = taskQueueSid;
  t.taskQueueEnteredDate = taskQueueSid ? preciseDate(s.now()) : null;
  if (priority !== undefined) t.priority = priority;
  t.dateUpdated = s.stamp();
  t.revision++;
  s.emit("task.updated", { task: clone(t), previous });
}

export function deleteTask(s: Store, ws: string, sid: string, ifMatch?: string): void {
  const t = s.task(ws, sid);
  checkIfMatch(ifMatch, t.revision);
  s.tasks.delete(sid);
  s.removeWhere((r) => "taskSid" in r && r.taskSid === sid);
  s.emit("task.deleted", { task: clone(t) });
}
