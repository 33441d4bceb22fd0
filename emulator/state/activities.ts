// Activities: unique names, at most 100 per workspace, Available fixed at creation, and no delete
// while the workspace, a worker or a queue refers to one.
import { invalidParameter } from "../errors";
import { checkName, checkNewName, uniqueName } from "./checks";
import { clone, newSid, type ActivityRec } from "./records";
import type { Store } from "./store";

export interface ActivityInput {
  friendlyName: string;
  available?: boolean;
}

export interface ActivityUpdate {
  friendlyName?: string;
}

const ACTIVITIES_MAX = 100;

export function createActivity(s: Store, ws: string, input: ActivityInput): ActivityRec {
  s.workspace(ws);
  const friendlyName = checkName(input.friendlyName);
  uniqueName(s.activities, ws, friendlyName, "Activity");
  if (s.listOf(s.activities, ws).length >= ACTIVITIES_MAX) {
    throw invalidParameter(`A workspace can hold at most ${ACTIVITIES_MAX} activities`);
  }
  const now = s.stamp();
  const a: ActivityRec = {
    sid: newSid("WA"),
    workspaceSid: ws,
    friendlyName,
    available: input.available ?? false,
    dateCreated: now,
    dateUpdated: now,
  };
  s.activities.set(a.sid, a);
  s.emit("activity.created", { activity: clone(a) });
  return a;
}

export function updateActivity(
  s: Store,
  ws: string,
  sid: string,
  input: ActivityUpdate,
): ActivityRec {
  const a = s.activity(ws, sid);
  const { friendlyName } = input;
  if (friendlyName !== undefined) {
    checkNewName(friendlyName);
    uniqueName(s.activities, ws, friendlyName, "Activity", sid);
  }
  const previous = clone(a);
  if (friendlyName !== undefined) a.friendlyName = friendlyName;
  a.dateUpdated = s.stamp();
  s.emit("activity.updated", { activity: clone(a), previous });
  return a;
}

export function deleteActivity(s: Store, ws: string, sid: string): void {
  const a = s.activity(ws, sid);
  const w = s.workspace(ws);
  if (w.defaultActivitySid === sid || w.timeoutActivitySid === sid) {
    throw invalidParameter(
      `Cannot delete activity ${sid}: it is the workspace's ${w.defaultActivitySid === sid ? "default" : "timeout"} activity`,
    );
  }
  const worker = s.listOf(s.workers, ws).find((x) => x.activitySid === sid);
  if (worker) {
    throw invalidParameter(
      `Cannot delete activity ${sid}: it is the current activity of worker ${worker.sid}`,
    );
  }
  const q = s
    .listOf(s.taskQueues, ws)
    .find((x) => x.reservationActivitySid === sid || x.assignmentActivitySid === sid);
  if (q) throw invalidParameter(`Cannot delete activity ${sid}: task queue ${q.sid} refers to it`);
  s.activities.delete(sid);
  s.emit("activity.deleted", { activity: clone(a) });
}
