// Reservations: the engine reserves (createReservation) and moves them (setReservationStatus, with the
// task side effects); REST may accept, reject, wrap up, complete, or hand an instruction to the engine.
import { invalidParameter } from "../errors";
import { activityRef, checkIfMatch } from "./checks";
import {
  clone,
  newSid,
  type Instruction,
  type ReservationRec,
  type ReservationStatus,
  type TaskRec,
  type TaskStatus,
} from "./records";
import type { Store } from "./store";

export interface ReservationScope {
  taskSid?: string;
  workerSid?: string;
}

export interface ReservationUpdate {
  /** Through the API: accepted, rejected (from pending), wrapping (from accepted), completed. */
  reservationStatus?: ReservationStatus;
  /** Carried out by the call engine (store.instructionHandler) on a pending reservation. */
  instruction?: Instruction;
  /** Only when rejecting: the worker's next activity. */
  workerActivitySid?: string;
}

const SETTABLE: Partial<Record<ReservationStatus, ReservationStatus[]>> = {
  accepted: ["pending"],
  rejected: ["pending"],
  wrapping: ["accepted"],
  completed: ["accepted", "wrapping"],
};

/** Engine hook: reserve a task for a worker (the engine decides who; the store keeps it consistent). */
export function createReservation(
  s: Store,
  ws: string,
  taskSid: string,
  workerSid: string,
): ReservationRec {
  const t = s.task(ws, taskSid);
  s.worker(ws, workerSid);
  if (t.assignmentStatus !== "pending" && t.assignmentStatus !== "reserved") {
    throw invalidParameter(`Cannot reserve task ${taskSid}: it is ${t.assignmentStatus}`);
  }
  const now = s.stamp();
  const r: ReservationRec = {
    sid: newSid("WR"),
    workspaceSid: ws,
    taskSid,
    workerSid,
    reservationStatus: "pending",
    dateCreated: now,
    dateUpdated: now,
    revision: 0,
  };
  s.addReservation(r);
  if (t.assignmentStatus === "pending") taskTo(s, t, "reserved");
  s.emit("reservation.created", { reservation: clone(r) });
  return r;
}

/** Low-level status change with the task side effects; validation is the caller's. */
export function setReservationStatus(s: Store, r: ReservationRec, status: ReservationStatus) {
  const previous = clone(r);
  r.reservationStatus = status;
  r.dateUpdated = s.stamp();
  r.revision++;
  s.emit("reservation.updated", { reservation: clone(r), previous });
  const t = s.tasks.get(r.taskSid);
  if (!t) return;
  if (status === "accepted") {
    for (const other of s.taskReservations(t.sid)) {
      if (other.sid !== r.sid && other.reservationStatus === "pending") {
        setReservationStatus(s, other, "rescinded");
      }
    }
    if (t.assignmentStatus !== "assigned") taskTo(s, t, "assigned");
  } else if (
    ["rejected", "timeout", "rescinded"].includes(status) &&
    t.assignmentStatus === "reserved"
  ) {
    const stillPending = s.taskReservations(t.sid).some((o) => o.reservationStatus === "pending");
    if (!stillPending) taskTo(s, t, "pending");
  } else if (
    status === "completed" &&
    (t.assignmentStatus === "assigned" || t.assignmentStatus === "wrapping")
  ) {
    taskTo(s, t, "completed");
    s.emit("task.completed", { task: clone(t), reason: t.reason });
  } else if (status === "wrapping" && t.assignmentStatus === "assigned") {
    taskTo(s, t, "wrapping");
  }
}

function taskTo(s: Store, t: TaskRec, status: TaskStatus): void {
  const previous = clone(t);
  t.assignmentStatus = status;
  t.dateUpdated = s.stamp();
  t.revision++;
  s.emit("task.updated", { task: clone(t), previous });
}

export function updateReservation(
  s: Store,
  ws: string,
  scope: ReservationScope,
  sid: string,
  input: ReservationUpdate,
  ifMatch?: string,
): ReservationRec {
  const r = s.reservation(ws, scope, sid);
  checkIfMatch(ifMatch, r.revision);
  const { reservationStatus: status, instruction, workerActivitySid } = input;
  activityRef(s, ws, workerActivitySid, "WorkerActivitySid");
  if (status === undefined && instruction === undefined) {
    throw invalidParameter(
      "Missing required parameter ReservationStatus or Instruction in the post body",
    );
  }
  if (status !== undefined && instruction !== undefined) {
    throw invalidParameter("ReservationStatus and Instruction cannot be given together");
  }
  if (instruction !== undefined) {
    const kind = instruction.instruction;
    if (r.reservationStatus !== "pending") {
      throw invalidParameter(
        `Cannot process instruction ${kind}: reservation ${sid} is not pending`,
      );
    }
    if (!s.instructionHandler) {
      throw invalidParameter(`Instruction ${kind} is not emulated yet (no call engine attached)`);
    }
    s.instructionHandler(r, instruction);
    return r;
  }
  const from = r.reservationStatus;
  const ok = SETTABLE[status as ReservationStatus];
  if (!ok)
    throw invalidParameter(`Invalid ReservationStatus: ${status} cannot be set through the API`);
  if (!ok.includes(from)) {
    throw invalidParameter(`Cannot set reservation ${sid} to ${status}: it is ${from}`);
  }
  if (workerActivitySid !== undefined && status !== "rejected") {
    throw invalidParameter("WorkerActivitySid can only be given when rejecting a reservation");
  }
  setReservationStatus(s, r, status as ReservationStatus);
  if (workerActivitySid !== undefined) {
    s.updateWorker(ws, r.workerSid, { activitySid: workerActivitySid });
  }
  return r;
}
