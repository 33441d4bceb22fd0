// The records the state keeps (plain, flat, JSON-able), their SIDs and dates, the state file and the
// store events. No rules here: those live in one file per Twilio resource beside this one.
import { createHash, randomBytes } from "node:crypto";

export type QueueOrder = "FIFO" | "LIFO";
export type TaskStatus =
  "pending" | "reserved" | "assigned" | "canceled" | "completed" | "wrapping";
export type ReservationStatus =
  | "pending"
  | "accepted"
  | "rejected"
  | "timeout"
  | "canceled"
  | "rescinded"
  | "wrapping"
  | "completed";

interface Dated {
  sid: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface WorkspaceRec extends Dated {
  friendlyName: string;
  eventCallbackUrl: string | null;
  eventsFilter: string | null;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: QueueOrder;
  defaultActivitySid: string;
  timeoutActivitySid: string;
}
export interface ActivityRec extends Dated {
  workspaceSid: string;
  friendlyName: string;
  available: boolean;
}
export interface TaskChannelRec extends Dated {
  workspaceSid: string;
  uniqueName: string;
  friendlyName: string;
  channelOptimizedRouting: boolean;
}
/** A worker's capacity on one task channel; stored only once changed (taskChannels.ts). */
export interface WorkerChannelRec extends Dated {
  workspaceSid: string;
  workerSid: string;
  taskChannelSid: string;
  capacity: number;
  available: boolean;
}
export interface WorkerRec extends Dated {
  workspaceSid: string;
  friendlyName: string;
  activitySid: string;
  attributes: string;
  dateStatusChanged: string;
  revision: number;
}
export interface TaskQueueRec extends Dated {
  workspaceSid: string;
  friendlyName: string;
  targetWorkers: string;
  maxReservedWorkers: number;
  taskOrder: QueueOrder;
  reservationActivitySid: string | null;
  assignmentActivitySid: string | null;
}
export interface WorkflowRec extends Dated {
  workspaceSid: string;
  friendlyName: string;
  configuration: string;
  assignmentCallbackUrl: string | null;
  fallbackAssignmentCallbackUrl: string | null;
  taskReservationTimeout: number;
}
export interface TaskRec extends Dated {
  workspaceSid: string;
  workflowSid: string | null;
  taskQueueSid: string | null;
  taskQueueEnteredDate: string | null;
  taskChannelSid: string;
  attributes: string;
  priority: number;
  timeout: number;
  assignmentStatus: TaskStatus;
  reason: string | null;
  virtualStartTime: string;
  routingTarget: string | null;
  ignoreCapacity: boolean | null;
  revision: number;
}
export interface ReservationRec extends Dated {
  workspaceSid: string;
  taskSid: string;
  workerSid: string;
  reservationStatus: ReservationStatus;
  revision: number;
}
export interface PhoneNumberRec extends Dated {
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: "GET" | "POST";
  voiceFallbackUrl: string | null;
  voiceFallbackMethod: "GET" | "POST";
  statusCallback: string | null;
  statusCallbackMethod: "GET" | "POST";
}

export interface StateFile {
  format: "twilio-emulator-state/1";
  accountSid: string;
  workspaces: WorkspaceRec[];
  activities: ActivityRec[];
  taskChannels: TaskChannelRec[];
  /** Absent in state files written before worker channels existed. */
  workerChannels?: WorkerChannelRec[];
  workers: WorkerRec[];
  taskQueues: TaskQueueRec[];
  workflows: WorkflowRec[];
  tasks: TaskRec[];
  reservations: ReservationRec[];
  phoneNumbers: PhoneNumberRec[];
}

/** Payloads of `store.events`. `previous` is a copy of the record before the change. */
export interface StoreEvents {
  "workspace.created": { workspace: WorkspaceRec };
  "workspace.updated": { workspace: WorkspaceRec; previous: WorkspaceRec };
  "workspace.deleted": { workspace: WorkspaceRec };
  "activity.created": { activity: ActivityRec };
  "activity.updated": { activity: ActivityRec; previous: ActivityRec };
  "activity.deleted": { activity: ActivityRec };
  "taskchannel.created": { taskChannel: TaskChannelRec };
  "taskchannel.updated": { taskChannel: TaskChannelRec; previous: TaskChannelRec };
  "taskchannel.deleted": { taskChannel: TaskChannelRec };
  "workerchannel.updated": { workerChannel: WorkerChannelRec; previous: WorkerChannelRec };
  "worker.created": { worker: WorkerRec };
  "worker.updated": { worker: WorkerRec; previous: WorkerRec; activityChanged: boolean };
  "worker.deleted": { worker: WorkerRec };
  "taskqueue.created": { taskQueue: TaskQueueRec };
  "taskqueue.updated": { taskQueue: TaskQueueRec; previous: TaskQueueRec };
  "taskqueue.deleted": { taskQueue: TaskQueueRec };
  "workflow.created": { workflow: WorkflowRec };
  "workflow.updated": { workflow: WorkflowRec; previous: WorkflowRec; reEvaluateTasks: boolean };
  "workflow.deleted": { workflow: WorkflowRec };
  "task.created": { task: TaskRec };
  "task.updated": { task: TaskRec; previous: TaskRec };
  "task.canceled": { task: TaskRec; reason: string | null };
  "task.completed": { task: TaskRec; reason: string | null };
  "task.deleted": { task: TaskRec };
  "reservation.created": { reservation: ReservationRec };
  "reservation.updated": { reservation: ReservationRec; previous: ReservationRec };
  "phonenumber.updated": { phoneNumber: PhoneNumberRec; previous: PhoneNumberRec };
  "state.reset": Record<string, never>;
  /** Emitted after every mutation (any of the above); the server persists on it. */
  change: { event: string };
}
export type StoreEventName = keyof StoreEvents;

/**
 * An assignment instruction as TaskRouter documents it (snake_case keys, e.g. `{instruction:
 * "dequeue", to, from, post_work_activity_sid}`); REST `Instruction=…` is parsed into one.
 */
export interface Instruction {
  instruction: string;
  [key: string]: unknown;
}

/** Carries out REST `Instruction=…` on a pending reservation; the call engine installs one. */
export type InstructionHandler = (reservation: ReservationRec, instruction: Instruction) => void;

// One randomBytes call per SID was a tenth of a routing run; SIDs are cut from a pool instead.
let sidPool = Buffer.alloc(0);
let sidPoolAt = 0;

export function newSid(prefix: string): string {
  if (sidPoolAt + 16 > sidPool.length) {
    sidPool = randomBytes(16 * 1024);
    sidPoolAt = 0;
  }
  sidPoolAt += 16;
  return prefix + sidPool.toString("hex", sidPoolAt - 16, sidPoolAt);
}

/** Stable PN SID per (account, number) so a stateless restart keeps the same SIDs. */
export function phoneNumberSid(accountSid: string, phoneNumber: string): string {
  return (
    "PN" + createHash("sha256").update(`${accountSid}:${phoneNumber}`).digest("hex").slice(0, 32)
  );
}

/** ISO 8601 in whole seconds, as Twilio prints dates. */
export function isoDate(d: Date): string {
  return isoSeconds(d.getTime());
}

// Every store write stamps a date and many writes share a second: the last rendering is kept.
let lastSecond = NaN;
let lastIso = "";

/** `isoDate` of a time in ms. */
export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastIso = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    lastSecond = second;
  }
  return lastIso;
}

/**
 * Task times keep milliseconds: target timeouts, the TTL and queue order count from them, and a
 * whole-second stamp would make a 2 s timeout fire up to 1 s early. The API renders whole seconds.
 */
export function preciseDate(d: Date): string {
  return d.toISOString();
}

/** Records are flat (the type says so), so a shallow copy is a full copy; far cheaper than structuredClone. */
export function clone<T extends { [K in keyof T]: string | number | boolean | null }>(v: T): T {
  return { ...v };
}

/** ETag values are the record revision. */
export function etag(revision: number): string {
  return `"${revision}"`;
}
