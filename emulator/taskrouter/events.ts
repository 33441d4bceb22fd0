/** Event callbacks: the payloads of task, reservation and worker events and their delivery records. */
import { randomBytes } from "node:crypto";
import { describeFailure, signedRequest } from "./deliver";
import type { ReservationRec, TaskRec, WorkerChannelRec, WorkerRec } from "../state/store";
import type { Engine } from "./engine";
import { RECORD_LIMIT, CallbackRecord, nowIso } from "./context";
import { ageOf } from "./assignment";
import type { HistoryEvent } from "./statistics";

/**
 * Event SIDs (EV + 32 random hex digits) from a pool of random bytes: one `randomBytes` call per
 * 1,024 events, since every event now gets a SID and the call per SID dominated the engine's time.
 */
let pool = Buffer.alloc(0);
let poolAt = 0;
function eventSid(): string {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * 1024);
    poolAt = 0;
  }
  poolAt += 16;
  return "EV" + pool.toString("hex", poolAt - 16, poolAt);
}

/** Twilio "keeps that data for 30 days" (https://www.twilio.com/docs/taskrouter/api/event). */
export const HISTORY_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** The emulator's own bound on memory: the oldest events go first beyond this many. */
export const HISTORY_LIMIT = 100_000;

/**
 * Every event the engine made, in time order (with or without an EventCallbackUrl): what
 * `GET /Events` lists and the statistics are computed from. Bounded by Twilio's 30-day retention
 * and by `limit` events (the simulator lifts the limit for its run).
 */
export class EventHistory {
  limit = HISTORY_LIMIT;
  private list: HistoryEvent[] = [];
  private head = 0;

  record(ev: HistoryEvent): void {
    this.list.push(ev);
    let drop = this.head;
    while (drop < this.list.length && this.list[drop]!.at < ev.at - HISTORY_RETENTION_MS) drop++;
    this.head = Math.max(drop, this.list.length - this.limit);
    // Compact once the dropped prefix is large, so trimming stays cheap per event.
    if (this.head > 1024 && this.head * 2 > this.list.length) {
      this.list = this.list.slice(this.head);
      this.head = 0;
    }
  }

  /** The retained events, oldest first. */
  events(): HistoryEvent[] {
    return this.list.slice(this.head);
  }

  /** One retained event (a scan: fetching one event is rare, recording one is not). */
  get(sid: string): HistoryEvent | undefined {
    for (let i = this.list.length - 1; i >= this.head; i--)
      if (this.list[i]!.sid === sid) return this.list[i];
    return undefined;
  }

  clear(): void {
    this.list = [];
    this.head = 0;
  }
}

export function record(engine: Engine, entry: CallbackRecord): void {
  // One splice per RECORD_LIMIT records, not one per record (it was a twentieth of a routing run);
  // `engine.callbacks` trims to the limit exactly when read.
  const log = engine.callbackLog;
  log.push(entry);
  if (log.length >= 2 * RECORD_LIMIT) log.splice(0, log.length - RECORD_LIMIT);
}

export function activityName(engine: Engine, sid: string): string {
  return engine.store.activities.get(sid)?.friendlyName ?? "";
}

export function taskFields(engine: Engine, t: TaskRec): Record<string, string> {
  const q = t.taskQueueSid ? engine.store.taskQueues.get(t.taskQueueSid) : undefined;
  const wf = t.workflowSid ? engine.store.workflows.get(t.workflowSid) : undefined;
  const channel = engine.store.taskChannels.get(t.taskChannelSid);
  return {
    TaskSid: t.sid,
    TaskAttributes: t.attributes,
    TaskAge: String(Math.max(0, Math.floor(ageOf(engine, t)))),
    TaskPriority: String(t.priority),
    TaskAssignmentStatus: t.assignmentStatus,
    TaskQueueSid: t.taskQueueSid ?? "",
    TaskQueueName: q?.friendlyName ?? "",
    WorkflowSid: t.workflowSid ?? "",
    WorkflowName: wf?.friendlyName ?? "",
    TaskChannelSid: t.taskChannelSid,
    TaskChannelUniqueName: channel?.uniqueName ?? "",
  };
}

export function workerFields(engine: Engine, w: WorkerRec): Record<string, string> {
  return {
    WorkerSid: w.sid,
    WorkerName: w.friendlyName,
    WorkerAttributes: w.attributes,
    WorkerActivitySid: w.activitySid,
    WorkerActivityName: activityName(engine, w.activitySid),
  };
}

export function taskEvent(
  engine: Engine,
  type: string,
  task: TaskRec,
  description: string,
  extra: Record<string, string> = {},
): void {
  const live = engine.store.tasks.get(task.sid) ?? task;
  event(engine, live.workspaceSid, type, "Task", live.sid, description, {
    ...taskFields(engine, live),
    ...extra,
  });
}

export function reservationEvent(engine: Engine, type: string, reservation: ReservationRec): void {
  const t = engine.store.tasks.get(reservation.taskSid);
  const w = engine.store.workers.get(reservation.workerSid);
  // One literal with spreads: added one by one (Object.assign), 17 fields turn the object into a
  // hash table, four times the memory, and the history keeps 100,000 of them.
  const fields: Record<string, string> = {
    ReservationSid: reservation.sid,
    ...(t ? taskFields(engine, t) : { TaskSid: reservation.taskSid }),
    ...(w ? workerFields(engine, w) : { WorkerSid: reservation.workerSid }),
  };
  const verb = type.slice("reservation.".length);
  event(
    engine,
    reservation.workspaceSid,
    type,
    "Reservation",
    reservation.sid,
    `Reservation ${reservation.sid} for task ${reservation.taskSid} and worker ${w?.friendlyName ?? reservation.workerSid} ${verb}`,
    fields,
  );
}

export function workerEvent(
  engine: Engine,
  type: string,
  w: WorkerRec,
  description: string,
  extra: Record<string, string> = {},
): void {
  event(engine, w.workspaceSid, type, "Worker", w.sid, description, {
    ...workerFields(engine, w),
    ...extra,
  });
}

/**
 * A worker channel changed over REST: `worker.capacity.update` when its capacity changed and
 * `worker.channel.availability.update` when its availability did, in that order, with the worker's
 * fields and the channel's (https://www.twilio.com/docs/taskrouter/api/event/reference, "Worker
 * events"). An update that changes neither sends nothing. `WorkerChannelAvailableCapacity` is the
 * number of further tasks the channel takes now (capacity minus assigned tasks, 0 while unavailable),
 * the emulator's reading of "The available capacity of the channel".
 */
export function workerChannelEvents(
  engine: Engine,
  wc: WorkerChannelRec,
  previous: WorkerChannelRec,
): void {
  const w = engine.store.workers.get(wc.workerSid);
  if (!w) return;
  const assigned = engine.store.channelLoad(wc.workerSid, wc.taskChannelSid);
  const fields = {
    WorkerChannelAvailable: String(wc.available),
    WorkerChannelAvailableCapacity: String(wc.available ? Math.max(0, wc.capacity - assigned) : 0),
    WorkerChannelPreviousCapacity: String(previous.capacity),
    TaskChannelSid: wc.taskChannelSid,
    TaskChannelUniqueName: engine.store.taskChannels.get(wc.taskChannelSid)?.uniqueName ?? "",
    WorkerChannelTaskCount: String(assigned),
  };
  const channel = fields.TaskChannelUniqueName;
  if (wc.capacity !== previous.capacity) {
    const what = `capacity on ${channel} updated from ${previous.capacity} to ${wc.capacity}`;
    workerEvent(engine, "worker.capacity.update", w, `Worker ${w.friendlyName} ${what}`, fields);
  }
  if (wc.available !== previous.available) {
    const what = `channel ${channel} ${wc.available ? "available" : "unavailable"}`;
    workerEvent(
      engine,
      "worker.channel.availability.update",
      w,
      `Worker ${w.friendlyName} ${what}`,
      fields,
    );
  }
}

/** Records one event in the history and queues its signed POST; deliveries to a workspace go out one at a time, in order. */
export function event(
  engine: Engine,
  wsSid: string,
  type: string,
  resourceType: string,
  resourceSid: string,
  description: string,
  fields: Record<string, string>,
): void {
  const ws = engine.store.workspaces.get(wsSid);
  if (!ws || engine.stopped) return;
  const sid = eventSid();
  const at = engine.clock.now();
  engine.history.record({
    sid,
    at,
    workspaceSid: ws.sid,
    type,
    resourceType,
    resourceSid,
    description,
    data: fields,
  });
  if (!ws.eventCallbackUrl) return;
  if (ws.eventsFilter) {
    const wanted = ws.eventsFilter.split(",").map((s) => s.trim());
    if (!wanted.includes(type)) return;
  }
  const url = ws.eventCallbackUrl;
  const params: Record<string, string> = {
    AccountSid: engine.store.accountSid,
    WorkspaceSid: ws.sid,
    WorkspaceName: ws.friendlyName,
    Sid: sid,
    EventType: type,
    ResourceType: resourceType,
    ResourceSid: resourceSid,
    EventDescription: description,
    Timestamp: String(Math.floor(at / 1000)),
    ...fields,
  };
  const entry: CallbackRecord = {
    at: nowIso(engine.clock),
    kind: "event",
    url,
    eventType: type,
    params,
    status: null,
  };
  record(engine, entry);
  const previous = engine.eventChains.get(ws.sid) ?? Promise.resolve();
  const next = previous.then(async () => {
    try {
      const res = await engine.deliver(
        signedRequest(
          engine.authToken,
          url,
          "POST",
          params,
          engine.clock.kind === "real" ? engine.callbackTimeoutMs : undefined,
        ),
      );
      entry.status = res.status;
    } catch (err) {
      entry.error = describeFailure(err, engine.callbackTimeoutMs);
    }
  });
  engine.eventChains.set(ws.sid, next);
  void engine.clock.track(next);
}

export function eventName(status: string): string {
  return status === "wrapping" ? "wrapup" : status;
}
