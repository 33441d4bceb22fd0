// Task queues: unique names, a TargetWorkers expression, 1..50 reserved workers, FIFO/LIFO, optional
// reservation/assignment activities; no delete while a workflow or a live task refers to one.
import { isParkingQueue } from "../../infra/taskrouter/routing";
import { invalidParameter } from "../errors";
import {
  activityRef,
  checkExpression,
  checkName,
  checkNewName,
  checkRange,
  isActive,
  uniqueName,
} from "./checks";
import { clone, newSid, type QueueOrder, type TaskQueueRec } from "./records";
import type { Store } from "./store";
import { workflowQueueSids } from "./workflows";

export interface TaskQueueUpdate {
  friendlyName?: string;
  /** A TaskRouter expression; default "1==1". */
  targetWorkers?: string;
  /** 1..50 (the wire checks the range); default 1. */
  maxReservedWorkers?: number;
  taskOrder?: QueueOrder;
  reservationActivitySid?: string;
  assignmentActivitySid?: string;
}

export interface TaskQueueInput extends TaskQueueUpdate {
  friendlyName: string;
}

function checkQueue(s: Store, ws: string, input: TaskQueueUpdate): void {
  const { targetWorkers } = input;
  // Empty is allowed: a parking queue whose tasks wait until moved (isParkingQueue).
  if (targetWorkers !== undefined && !isParkingQueue(targetWorkers)) {
    checkExpression(targetWorkers, "TargetWorkers");
  }
  checkRange(input.maxReservedWorkers, "MaxReservedWorkers", 1, 50);
  activityRef(s, ws, input.reservationActivitySid, "ReservationActivitySid");
  activityRef(s, ws, input.assignmentActivitySid, "AssignmentActivitySid");
}

export function createTaskQueue(s: Store, ws: string, input: TaskQueueInput): TaskQueueRec {
  s.workspace(ws);
  const friendlyName = checkName(input.friendlyName);
  checkQueue(s, ws, input);
  uniqueName(s.taskQueues, ws, friendlyName, "TaskQueue");
  const now = s.stamp();
  const q: TaskQueueRec = {
    sid: newSid("WQ"),
    workspaceSid: ws,
    friendlyName,
    targetWorkers: input.targetWorkers ?? "1==1",
    maxReservedWorkers: input.maxReservedWorkers ?? 1,
    taskOrder: input.taskOrder ?? "FIFO",
    reservationActivitySid: input.reservationActivitySid ?? null,
    assignmentActivitySid: input.assignmentActivitySid ?? null,
    dateCreated: now,
    dateUpdated: now,
  };
  s.taskQueues.set(q.sid, q);
  s.emit("taskqueue.created", { taskQueue: clone(q) });
  return q;
}

export function updateTaskQueue(
  s: Store,
  ws: string,
  sid: string,
  input: TaskQueueUpdate,
): TaskQueueRec {
  const q = s.taskQueue(ws, sid);
  const v = input;
  if (v.friendlyName !== undefined) {
    checkNewName(v.friendlyName);
    uniqueName(s.taskQueues, ws, v.friendlyName, "TaskQueue", sid);
  }
  checkQueue(s, ws, v);
  const previous = clone(q);
  if (v.friendlyName !== undefined) q.friendlyName = v.friendlyName;
  if (v.targetWorkers !== undefined) q.targetWorkers = v.targetWorkers;
  if (v.maxReservedWorkers !== undefined) q.maxReservedWorkers = v.maxReservedWorkers;
  if (v.taskOrder !== undefined) q.taskOrder = v.taskOrder;
  if (v.reservationActivitySid !== undefined) q.reservationActivitySid = v.reservationActivitySid;
  if (v.assignmentActivitySid !== undefined) q.assignmentActivitySid = v.assignmentActivitySid;
  q.dateUpdated = s.stamp();
  s.emit("taskqueue.updated", { taskQueue: clone(q), previous });
  return q;
}

export function deleteTaskQueue(s: Store, ws: string, sid: string): void {
  const q = s.taskQueue(ws, sid);
  for (const wf of s.listOf(s.workflows, ws)) {
    if (workflowQueueSids(wf.configuration).includes(sid)) {
      throw invalidParameter(`Cannot delete task queue ${sid}: workflow ${wf.sid} refers to it`);
    }
  }
  const active = s
    .listOf(s.tasks, ws)
    .find((t) => t.taskQueueSid === sid && isActive(t.assignmentStatus));
  if (active) {
    throw invalidParameter(
      `Cannot delete task queue ${sid}: task ${active.sid} is ${active.assignmentStatus} in it`,
    );
  }
  s.taskQueues.delete(sid);
  s.emit("taskqueue.deleted", { taskQueue: clone(q) });
}
