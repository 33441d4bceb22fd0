/**
 * Assignment callbacks and reservation instructions: asking the callback (and its fallback) for an
 * instruction, carrying out accept/reject/dequeue/call/redirect/conference, and REST instructions.
 */
import { randomBytes } from "node:crypto";
import { describeFailure, signedRequest, type WebhookResponse } from "./deliver";
import {
  callbackContentType,
  callbackNoInstruction,
  callbackNotJson,
  callFailed,
  callInvalidFrom,
  callInvalidStatusCallbackUrl,
  callInvalidTo,
  callInvalidUrl,
  dequeueFailed,
  dequeueInvalidFrom,
  dequeueInvalidPostWorkActivity,
  dequeueInvalidStatusCallbackEvents,
  dequeueInvalidStatusCallbackUrl,
  dequeueInvalidTo,
  dequeueNoCallSid,
  httpRetrievalFailure,
  InstructionError,
  invalidInstruction,
  redirectFailed,
  redirectInvalidCallSid,
  redirectInvalidUrl,
  rejectInvalidActivity,
  type WebhookError,
} from "../errors";
import type { ReservationRec, TaskQueueRec, TaskRec, WorkerRec, WorkflowRec } from "../state/store";
import type { Engine } from "./engine";
import {
  RECORD_LIMIT,
  CallbackRecord,
  Instruction,
  nowIso,
  isRecord,
  parseAttributes,
} from "./context";
import { schedule, ageOf, setActivity } from "./assignment";
import { record } from "./events";

/** An assignment callback failure as the engine records it. */
function failed(e: WebhookError): { kind: "failed"; code: number; message: string } {
  return { kind: "failed", code: e.code, message: e.message };
}

export function fail(
  engine: Engine,
  reservation: ReservationRec,
  url: string,
  fallback: boolean,
  code: number,
  message: string,
): void {
  engine.failures.push({
    at: nowIso(engine.clock),
    reservationSid: reservation.sid,
    taskSid: reservation.taskSid,
    workerSid: reservation.workerSid,
    url,
    fallback,
    code,
    message,
  });
  if (engine.failures.length > RECORD_LIMIT)
    engine.failures.splice(0, engine.failures.length - RECORD_LIMIT);
}

export async function assign(
  engine: Engine,
  reservation: ReservationRec,
  t: TaskRec,
  q: TaskQueueRec,
  w: WorkerRec,
  wf: WorkflowRec,
): Promise<void> {
  const params = assignmentParams(engine, reservation, t, q, w, wf);
  const urls: Array<[string, boolean]> = [[wf.assignmentCallbackUrl as string, false]];
  if (wf.fallbackAssignmentCallbackUrl) urls.push([wf.fallbackAssignmentCallbackUrl, true]);
  for (const [url, fallback] of urls) {
    const outcome = await askForInstruction(engine, url, params, reservation);
    const state = engine.reservations.get(reservation.sid);
    const live = engine.store.reservations.get(reservation.sid);
    if (!state || state.settled || !live || live.reservationStatus !== "pending") return;
    if (outcome.kind === "manual") return;
    if (outcome.kind === "failed") {
      fail(engine, reservation, url, fallback, outcome.code, outcome.message);
      continue;
    }
    try {
      carryOut(engine, live, outcome.instruction);
    } catch (err) {
      if (!(err instanceof InstructionError)) throw err;
      fail(engine, reservation, url, fallback, err.code, err.message);
    }
    schedule(engine);
    engine.onChange?.();
    return;
  }
  // Both URLs failed: the reservation stays pending and times out (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks).
}

export async function askForInstruction(
  engine: Engine,
  url: string,
  params: Record<string, string>,
  reservation: ReservationRec,
): Promise<
  | { kind: "instruction"; instruction: Instruction }
  | { kind: "manual" }
  | { kind: "failed"; code: number; message: string }
> {
  const timeoutMs = engine.clock.kind === "real" ? engine.callbackTimeoutMs : undefined;
  const entry: CallbackRecord = {
    at: nowIso(engine.clock),
    kind: "assignment",
    url,
    reservationSid: reservation.sid,
    params,
    status: null,
  };
  record(engine, entry);
  let res: WebhookResponse;
  try {
    res = await engine.deliver(signedRequest(engine.authToken, url, "POST", params, timeoutMs));
  } catch (err) {
    entry.error = describeFailure(err, timeoutMs);
    return failed(httpRetrievalFailure(`Assignment callback ${url} failed: ${entry.error}`));
  }
  entry.status = res.status;
  if (res.status < 200 || res.status > 299) {
    return failed(httpRetrievalFailure(`Assignment callback ${url} answered HTTP ${res.status}`));
  }
  if (res.body.trim() === "") return { kind: "manual" };
  const type = (res.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return failed(callbackContentType(type));
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return failed(callbackNotJson());
  }
  if (!isRecord(body) || body.instruction === undefined) {
    return failed(callbackNoInstruction());
  }
  return { kind: "instruction", instruction: body };
}

/** The parameters of the assignment callback (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks). */
export function assignmentParams(
  engine: Engine,
  reservation: ReservationRec,
  t: TaskRec,
  q: TaskQueueRec,
  w: WorkerRec,
  wf: WorkflowRec,
): Record<string, string> {
  return {
    AccountSid: engine.store.accountSid,
    WorkspaceSid: t.workspaceSid,
    WorkflowSid: wf.sid,
    TaskQueueSid: q.sid,
    WorkerSid: w.sid,
    WorkerAttributes: w.attributes,
    TaskSid: t.sid,
    TaskAttributes: t.attributes,
    TaskAge: String(Math.max(0, Math.floor(ageOf(engine, t)))),
    TaskPriority: String(t.priority),
    ReservationSid: reservation.sid,
    Timestamp: String(Math.floor(engine.clock.now() / 1000)),
  };
}

/** Carries out an assignment instruction on a pending reservation; throws InstructionError. */
export function carryOut(
  engine: Engine,
  reservation: ReservationRec,
  instruction: Instruction,
): void {
  const kind = instruction.instruction;
  const str = (key: string): string | undefined => {
    const v = instruction[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : String(v);
  };
  const flag = (key: string) => instruction[key] === true || instruction[key] === "true";
  switch (kind) {
    case "accept":
      engine.store.setReservationStatus(reservation, "accepted");
      return;
    case "reject":
      return reject(engine, reservation, str("activity_sid"));
    case "dequeue":
      return dequeue(engine, reservation, {
        to: str("to"),
        from: str("from"),
        postWorkActivitySid: str("post_work_activity_sid"),
        timeout: str("timeout"),
        record: str("record"),
        statusCallbackUrl: str("status_callback_url"),
        statusCallbackEvents: str("status_callback_events"),
      });
    case "call":
      return call(engine, reservation, {
        to: str("to"),
        from: str("from"),
        url: str("url"),
        accept: flag("accept"),
        timeout: str("timeout"),
        record: str("record"),
        statusCallbackUrl: str("status_callback_url"),
      });
    case "redirect":
      return redirect(engine, reservation, {
        callSid: str("call_sid"),
        url: str("url"),
        accept: flag("accept"),
      });
    case "conference":
      throw invalidInstruction("Instruction conference is not emulated");
    default:
      throw invalidInstruction(`Invalid instruction ${JSON.stringify(kind)}`);
  }
}

export function reject(
  engine: Engine,
  reservation: ReservationRec,
  activitySid: string | undefined,
): void {
  let activity;
  if (activitySid !== undefined) {
    activity = engine.store.activities.get(activitySid);
    if (!activity || activity.workspaceSid !== reservation.workspaceSid) {
      throw rejectInvalidActivity(activitySid);
    }
  }
  engine.store.setReservationStatus(reservation, "rejected");
  const worker = engine.store.workers.get(reservation.workerSid);
  if (worker && activity) setActivity(engine, worker, activity.sid);
}

export function contactOf(engine: Engine, reservation: ReservationRec): string | undefined {
  const worker = engine.store.workers.get(reservation.workerSid);
  const uri = worker ? parseAttributes(worker.attributes).contact_uri : undefined;
  return typeof uri === "string" ? uri : undefined;
}

export function dequeue(
  engine: Engine,
  reservation: ReservationRec,
  o: {
    to?: string;
    from?: string;
    postWorkActivitySid?: string;
    timeout?: string;
    record?: string;
    statusCallbackUrl?: string;
    statusCallbackEvents?: string;
  },
): void {
  const t = engine.store.tasks.get(reservation.taskSid) as TaskRec;
  const attrs = parseAttributes(t.attributes);
  const callSid = typeof attrs.call_sid === "string" ? attrs.call_sid : undefined;
  if (!callSid) throw dequeueNoCallSid(t.sid);
  const to = o.to ?? contactOf(engine, reservation);
  if (!to || !isDialable(to)) throw dequeueInvalidTo(to);
  const from = o.from ?? (typeof attrs.to === "string" ? attrs.to : undefined);
  if (!from || !isDialable(from)) {
    throw dequeueInvalidFrom(from);
  }
  const post = o.postWorkActivitySid;
  if (
    post !== undefined &&
    engine.store.activities.get(post)?.workspaceSid !== reservation.workspaceSid
  ) {
    throw dequeueInvalidPostWorkActivity(post);
  }
  const timeout = ringTimeout(o.timeout, (reason) => dequeueFailed(reason));
  const record = recordFlag(o.record, (reason) => dequeueFailed(reason));
  const statusCallbackUrl = o.statusCallbackUrl ?? null;
  if (statusCallbackUrl !== null && !isHttpUrl(statusCallbackUrl))
    throw dequeueInvalidStatusCallbackUrl(statusCallbackUrl);
  const statusCallbackEvents = callProgressEvents(o.statusCallbackEvents);
  if (!engine.voice) throw dequeueFailed("no voice layer to place the call");
  const workerCallSid = newCallSid();
  engine.voice.dequeue({
    callSid,
    to,
    from,
    workerCallSid,
    postWorkActivitySid: post ?? null,
    timeout,
    record,
    statusCallbackUrl,
    statusCallbackEvents,
    reservation,
  });
  engine.store.setReservationStatus(reservation, "accepted");
  addAttributes(engine, t, { worker_call_sid: workerCallSid });
}

export function call(
  engine: Engine,
  reservation: ReservationRec,
  o: {
    to?: string;
    from?: string;
    url?: string;
    accept: boolean;
    timeout?: string;
    record?: string;
    statusCallbackUrl?: string;
  },
): void {
  const to = o.to ?? contactOf(engine, reservation);
  if (!to || !isDialable(to)) throw callInvalidTo(to);
  if (!o.from || !isDialable(o.from)) throw callInvalidFrom(o.from);
  if (!o.url || !isHttpUrl(o.url)) throw callInvalidUrl(o.url);
  const timeout = ringTimeout(o.timeout, (reason) => callFailed(reason));
  const record = recordFlag(o.record, (reason) => callFailed(reason));
  const statusCallbackUrl = o.statusCallbackUrl ?? null;
  if (statusCallbackUrl !== null && !isHttpUrl(statusCallbackUrl))
    throw callInvalidStatusCallbackUrl(statusCallbackUrl);
  if (!engine.voice) throw callFailed("no voice layer to place the call");
  const workerCallSid = newCallSid();
  engine.voice.call({
    to,
    from: o.from,
    url: o.url,
    workerCallSid,
    timeout,
    record,
    statusCallbackUrl,
    reservation,
  });
  if (o.accept) engine.store.setReservationStatus(reservation, "accepted");
  const t = engine.store.tasks.get(reservation.taskSid);
  if (t) addAttributes(engine, t, { worker_call_sid: workerCallSid });
}

export function redirect(
  engine: Engine,
  reservation: ReservationRec,
  o: { callSid?: string; url?: string; accept: boolean },
): void {
  if (!o.callSid || !/^CA[0-9a-f]{32}$/i.test(o.callSid)) {
    throw redirectInvalidCallSid(o.callSid);
  }
  if (!o.url || !isHttpUrl(o.url)) throw redirectInvalidUrl(o.url);
  if (!engine.voice) throw redirectFailed();
  engine.voice.redirect({ callSid: o.callSid, url: o.url, reservation });
  if (o.accept) engine.store.setReservationStatus(reservation, "accepted");
}

export function addAttributes(engine: Engine, t: TaskRec, extra: Record<string, unknown>): void {
  const attrs = { ...parseAttributes(t.attributes), ...extra };
  engine.store.updateTask(t.workspaceSid, t.sid, { attributes: JSON.stringify(attrs) });
}

/** REST `Instruction=…` on a reservation (store hook; the wire parsed it into the instruction). */
export function restInstruction(
  engine: Engine,
  reservation: ReservationRec,
  body: Instruction,
): void {
  carryOut(engine, reservation, body);
}

/** `timeout`: seconds the worker's phone rings, "Default is 60 seconds, the maximum is 999". */
function ringTimeout(v: string | undefined, fail: (reason: string) => InstructionError): number {
  const timeout = v === undefined ? 60 : Number(v);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 999)
    throw fail(`invalid timeout ${v}: a whole number of seconds from 1 to 999`);
  return timeout;
}

/** `record`: "do-not-record" (the default) or "record-from-answer"; anything else is refused. */
function recordFlag(v: string | undefined, fail: (reason: string) => InstructionError): boolean {
  if (v === undefined || v === "do-not-record") return false;
  if (v === "record-from-answer") return true;
  throw fail(`invalid record ${JSON.stringify(v)}: do-not-record or record-from-answer`);
}

const CALL_PROGRESS_EVENTS = ["initiated", "ringing", "answered", "completed"];

/** `status_callback_events`: a comma-separated list; "By default, we will send only the call completed event". */
function callProgressEvents(v: string | undefined): string[] {
  if (v === undefined) return ["completed"];
  const events = v.split(",").map((e) => e.trim());
  if (events.some((e) => !CALL_PROGRESS_EVENTS.includes(e)))
    throw dequeueInvalidStatusCallbackEvents(v);
  return events;
}

function isDialable(v: string): boolean {
  return /^\+[1-9]\d{1,14}$/.test(v) || /^client:[A-Za-z0-9_.@-]+$/.test(v) || /^sip:\S+$/.test(v);
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

export function newCallSid(): string {
  return "CA" + randomBytes(16).toString("hex");
}
