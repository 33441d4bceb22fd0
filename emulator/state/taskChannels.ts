// TaskChannels and Worker Channels. A workspace is seeded with the channels Twilio names; custom ones
// are created, renamed and deleted (refused while a live task uses one). Every worker has one worker
// channel per task channel: capacity 1 and available until changed (Twilio's example of a new
// worker's channel), so only changed ones are stored; the others are derived on read.
import { createHash } from "node:crypto";
import { SEEDED_CHANNELS } from "../../infra/taskrouter/model";
import { invalidParameter, notFound } from "../errors";
import { checkName, checkNewName, isActive } from "./checks";
import { clone, newSid, type TaskChannelRec, type WorkerChannelRec } from "./records";
import type { Store } from "./store";

export interface TaskChannelInput {
  friendlyName: string;
  uniqueName: string;
  channelOptimizedRouting?: boolean;
}

export interface TaskChannelUpdate {
  friendlyName?: string;
  channelOptimizedRouting?: boolean;
}

export interface WorkerChannelUpdate {
  capacity?: number;
  available?: boolean;
}

/** A worker channel's capacity when never set (the `configured_capacity` of Twilio's example). */
export const DEFAULT_CAPACITY = 1;

/** "Task Channel friendlyName and uniqueName values do not support hyphens" (task-channel page). */
function checkChannelName(value: string, param: string): string {
  checkName(value, param);
  if (value.includes("-")) throw invalidParameter(`Invalid ${param}: hyphens are not supported`);
  return value;
}

/**
 * The channels a new workspace has: "all the tasks are assigned to one of the available Task
 * Channels (Voice, SMS, Chat, Video or Default)" (https://www.twilio.com/docs/taskrouter/multitasking).
 */
export function seedTaskChannels(s: Store, ws: string, now: string): void {
  for (const [uniqueName, friendlyName] of Object.entries(SEEDED_CHANNELS)) {
    const tc: TaskChannelRec = {
      sid: newSid("TC"),
      workspaceSid: ws,
      uniqueName,
      friendlyName,
      channelOptimizedRouting: false,
      dateCreated: now,
      dateUpdated: now,
    };
    s.taskChannels.set(tc.sid, tc);
  }
}

/**
 * The channel a path names by unique name: Twilio's OpenAPI fetches and updates a TaskChannel by SID
 * or by unique name (its `fetchUniqueName` and `updateUniqueName` examples; `{Sid}` has no SID
 * pattern). A SID of the workspace wins over a unique name that reads the same.
 */
export function byUniqueName(s: Store, ws: string, ref: string): TaskChannelRec | undefined {
  if (s.taskChannels.get(ref)?.workspaceSid === ws) return undefined;
  for (const tc of s.taskChannels.values())
    if (tc.workspaceSid === ws && tc.uniqueName === ref) return tc;
  return undefined;
}

export function createTaskChannel(s: Store, ws: string, input: TaskChannelInput): TaskChannelRec {
  s.workspace(ws);
  const friendlyName = checkChannelName(input.friendlyName, "FriendlyName");
  const uniqueName = checkChannelName(input.uniqueName, "UniqueName");
  if (uniqueName === "") throw invalidParameter("Invalid UniqueName: must not be empty");
  const taken = s.listOf(s.taskChannels, ws).find((c) => c.uniqueName === uniqueName);
  if (taken) {
    throw invalidParameter(
      `TaskChannel with UniqueName '${uniqueName}' already exists in workspace ${ws}`,
    );
  }
  const now = s.stamp();
  const tc: TaskChannelRec = {
    sid: newSid("TC"),
    workspaceSid: ws,
    uniqueName,
    friendlyName,
    channelOptimizedRouting: input.channelOptimizedRouting ?? false,
    dateCreated: now,
    dateUpdated: now,
  };
  s.taskChannels.set(tc.sid, tc);
  s.emit("taskchannel.created", { taskChannel: clone(tc) });
  return tc;
}

export function updateTaskChannel(
  s: Store,
  ws: string,
  ref: string,
  input: TaskChannelUpdate,
): TaskChannelRec {
  const tc = s.taskChannel(ws, ref);
  if (input.friendlyName !== undefined) {
    checkNewName(input.friendlyName);
    checkChannelName(input.friendlyName, "FriendlyName");
  }
  const previous = clone(tc);
  if (input.friendlyName !== undefined) tc.friendlyName = input.friendlyName;
  if (input.channelOptimizedRouting !== undefined) {
    tc.channelOptimizedRouting = input.channelOptimizedRouting;
  }
  tc.dateUpdated = s.stamp();
  s.emit("taskchannel.updated", { taskChannel: clone(tc), previous });
  return tc;
}

/** Refused while a task that is not finished uses the channel (the emulator's choice). */
export function deleteTaskChannel(s: Store, ws: string, ref: string): void {
  const tc = s.taskChannel(ws, ref);
  const user = s
    .listOf(s.tasks, ws)
    .find((t) => t.taskChannelSid === tc.sid && isActive(t.assignmentStatus));
  if (user) {
    throw invalidParameter(
      `Cannot delete task channel ${tc.sid}: task ${user.sid} is ${user.assignmentStatus} on it`,
    );
  }
  s.taskChannels.delete(tc.sid);
  for (const [key, wc] of s.workerChannels)
    if (wc.taskChannelSid === tc.sid) s.workerChannels.delete(key);
  s.emit("taskchannel.deleted", { taskChannel: clone(tc) });
}

// ---------------------------------------------------------------- worker channels

export function workerChannelKey(workerSid: string, taskChannelSid: string): string {
  return `${workerSid}/${taskChannelSid}`;
}

/** Stable WC SID per (worker, task channel) so derived channels keep their SID. */
export function workerChannelSid(workerSid: string, taskChannelSid: string): string {
  const hash = createHash("sha256").update(workerChannelKey(workerSid, taskChannelSid));
  return "WC" + hash.digest("hex").slice(0, 32);
}

/** The worker's channel on a task channel: the stored one, or the default one. */
export function workerChannelFor(
  s: Store,
  workerSid: string,
  tc: TaskChannelRec,
): WorkerChannelRec {
  const stored = s.workerChannels.get(workerChannelKey(workerSid, tc.sid));
  if (stored) return stored;
  const w = s.workers.get(workerSid);
  const created = w && w.dateCreated > tc.dateCreated ? w.dateCreated : tc.dateCreated;
  return {
    sid: workerChannelSid(workerSid, tc.sid),
    workspaceSid: tc.workspaceSid,
    workerSid,
    taskChannelSid: tc.sid,
    capacity: DEFAULT_CAPACITY,
    available: true,
    dateCreated: created,
    dateUpdated: created,
  };
}

/** The routing question, cheap: capacity and availability of one worker on one task channel. */
export function channelCapacity(
  s: Store,
  workerSid: string,
  taskChannelSid: string,
): { capacity: number; available: boolean } {
  return (
    s.workerChannels.get(workerChannelKey(workerSid, taskChannelSid)) ?? {
      capacity: DEFAULT_CAPACITY,
      available: true,
    }
  );
}

export function listWorkerChannels(s: Store, ws: string, workerSid: string): WorkerChannelRec[] {
  s.worker(ws, workerSid);
  return s.listOf(s.taskChannels, ws).map((tc) => workerChannelFor(s, workerSid, tc));
}

/** A worker channel by its WC SID or by its task channel's SID or unique name. */
export function workerChannel(
  s: Store,
  ws: string,
  workerSid: string,
  ref: string,
): WorkerChannelRec {
  const found = listWorkerChannels(s, ws, workerSid).find((wc) => {
    const tc = s.taskChannels.get(wc.taskChannelSid);
    return wc.sid === ref || wc.taskChannelSid === ref || tc?.uniqueName === ref;
  });
  if (!found) throw notFound(`/Workspaces/${ws}/Workers/${workerSid}/Channels/${ref}`);
  return found;
}

export function updateWorkerChannel(
  s: Store,
  ws: string,
  workerSid: string,
  ref: string,
  input: WorkerChannelUpdate,
): WorkerChannelRec {
  const current = workerChannel(s, ws, workerSid, ref);
  const { capacity, available } = input;
  if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 0)) {
    throw invalidParameter(`Invalid Capacity: ${capacity} must be a whole number ≥ 0`);
  }
  const previous = clone(current);
  const wc = clone(current);
  if (capacity !== undefined) wc.capacity = capacity;
  if (available !== undefined) wc.available = available;
  wc.dateUpdated = s.stamp();
  s.workerChannels.set(workerChannelKey(workerSid, wc.taskChannelSid), wc);
  s.emit("workerchannel.updated", { workerChannel: clone(wc), previous });
  return wc;
}

/**
 * The worker's reservations on a task channel that hold capacity (pending, accepted, wrapping): the
 * number routing compares with the capacity, rendered as `assigned_tasks`.
 */
export function channelLoad(s: Store, workerSid: string, taskChannelSid: string): number {
  let n = 0;
  for (const r of s.reservations.values()) {
    if (r.workerSid !== workerSid) continue;
    const st = r.reservationStatus;
    if (st !== "pending" && st !== "accepted" && st !== "wrapping") continue;
    if (s.tasks.get(r.taskSid)?.taskChannelSid === taskChannelSid) n++;
  }
  return n;
}
