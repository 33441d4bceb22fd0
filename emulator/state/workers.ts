// Workers: unique names, an activity of the workspace (the default one unless given), attributes as
// JSON object text, ETag revisions; RejectPendingReservations only towards an unavailable activity.
import { invalidParameter } from "../errors";
import {
  activityRef,
  checkAttributes,
  checkIfMatch,
  checkName,
  checkNewName,
  uniqueName,
} from "./checks";
import { clone, newSid, type WorkerRec } from "./records";
import type { Store } from "./store";

export interface WorkerInput {
  friendlyName: string;
  activitySid?: string;
  /** JSON object text; default "{}". */
  attributes?: string;
}

export interface WorkerUpdate {
  friendlyName?: string;
  activitySid?: string;
  /** JSON object text. */
  attributes?: string;
  rejectPendingReservations?: boolean;
}

export function createWorker(s: Store, ws: string, input: WorkerInput): WorkerRec {
  const w = s.workspace(ws);
  const friendlyName = checkName(input.friendlyName);
  const activitySid = activityRef(s, ws, input.activitySid, "ActivitySid") ?? w.defaultActivitySid;
  uniqueName(s.workers, ws, friendlyName, "Worker");
  const now = s.stamp();
  const rec: WorkerRec = {
    sid: newSid("WK"),
    workspaceSid: ws,
    friendlyName,
    activitySid,
    attributes: checkAttributes(input.attributes) ?? "{}",
    dateCreated: now,
    dateUpdated: now,
    dateStatusChanged: now,
    revision: 0,
  };
  s.workers.set(rec.sid, rec);
  s.emit("worker.created", { worker: clone(rec) });
  return rec;
}

export function updateWorker(
  s: Store,
  ws: string,
  sid: string,
  input: WorkerUpdate,
  ifMatch?: string,
): WorkerRec {
  const w = s.worker(ws, sid);
  checkIfMatch(ifMatch, w.revision);
  const { friendlyName, attributes, rejectPendingReservations: rejectPending } = input;
  if (friendlyName !== undefined) {
    checkNewName(friendlyName);
    uniqueName(s.workers, ws, friendlyName, "Worker", sid);
  }
  const activitySid = activityRef(s, ws, input.activitySid, "ActivitySid");
  checkAttributes(attributes);
  if (rejectPending !== undefined) {
    const target = activitySid ?? w.activitySid;
    if (s.activities.get(target)?.available) {
      throw invalidParameter(
        "RejectPendingReservations is valid only when the new activity is unavailable",
      );
    }
  }
  const pending = [...s.reservations.values()].filter(
    (r) => r.workerSid === sid && r.reservationStatus === "pending",
  );
  const previous = clone(w);
  if (friendlyName !== undefined) w.friendlyName = friendlyName;
  if (attributes !== undefined) w.attributes = attributes;
  const now = s.stamp();
  const activityChanged = activitySid !== undefined && activitySid !== w.activitySid;
  if (activitySid !== undefined) {
    w.activitySid = activitySid;
    if (activityChanged) w.dateStatusChanged = now;
  }
  w.dateUpdated = now;
  w.revision++;
  if (rejectPending) for (const r of pending) s.setReservationStatus(r, "rejected");
  s.emit("worker.updated", { worker: clone(w), previous, activityChanged });
  return w;
}

export function deleteWorker(s: Store, ws: string, sid: string, ifMatch?: string): void {
  const w = s.worker(ws, sid);
  checkIfMatch(ifMatch, w.revision);
  const busy = [...s.reservations.values()].find(
    (r) =>
      r.workerSid === sid &&
      (r.reservationStatus === "pending" || r.reservationStatus === "accepted"),
  );
  if (busy) {
    throw invalidParameter(
      `Cannot delete worker ${sid}: reservation ${busy.sid} is ${busy.reservationStatus}`,
    );
  }
  s.workers.delete(sid);
  s.removeWhere((r) => "workerSid" in r && r.workerSid === sid);
  s.emit("worker.deleted", { worker: clone(w) });
}
