// The emulator's state and every rule Twilio enforces on it. The REST layer (routes.ts) only maps
// URLs to these methods; the routing engine (issue 4) calls the same methods, listens on `events`
// and may replace `now` with a virtual clock. Records are plain JSON-able objects.
import { EventEmitter } from "node:events";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluate, ExpressionError, parseExpression } from "../../infra/taskrouter/expression";
import { compiled, parseConfiguration } from "../../infra/taskrouter/routing";
import { badRequest, notFound, TwilioError } from "../errors";
import { Params } from "../wire/params";

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

/** Handler for REST `Instruction=…` on a reservation; the call engine installs one. */
export type InstructionHandler = (reservation: ReservationRec, params: Params) => void;

const ATTRIBUTES_MAX = 4096;
const CONFIGURATION_MAX = 1038576;
const ACTIVITIES_MAX = 100;
const NAME_MAX = 64;
const SEEDED_CHANNELS: Array<[string, string]> = [
  ["default", "Default"],
  ["voice", "Voice"],
  ["chat", "Chat"],
  ["sms", "SMS"],
  ["video", "Video"],
];
const TARGET_KEYS = new Set([
  "queue",
  "priority",
  "timeout",
  "expression",
  "order_by",
  "skip_if",
  "known_worker_sid",
  "known_worker_friendly_name",
]);

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

/** Stable PN SID per (account, number) so a stateless restart keeps the same SIDs. */
export function phoneNumberSid(accountSid: string, phoneNumber: string): string {
  return (
    "PN" + createHash("sha256").update(`${accountSid}:${phoneNumber}`).digest("hex").slice(0, 32)
  );
}

export function isoDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Records are flat (the type says so), so a shallow copy is a full copy; far cheaper than structuredClone. */
function clone<T extends { [K in keyof T]: string | number | boolean | null }>(v: T): T {
  return { ...v };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function checkName(value: string, name = "FriendlyName"): string {
  if (value.length > NAME_MAX) {
    throw badRequest(`Invalid ${name}: must be at most ${NAME_MAX} characters`);
  }
  return value;
}

function checkAttributes(value: string): string {
  if (value.length > ATTRIBUTES_MAX) {
    throw badRequest(
      `Invalid Attributes: ${value.length} characters exceeds the limit of ${ATTRIBUTES_MAX}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw badRequest("Invalid Attributes: not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw badRequest("Invalid Attributes: must be a JSON object");
  }
  return value;
}

function checkExpression(value: string, what: string): void {
  try {
    parseExpression(value);
  } catch (err) {
    if (err instanceof ExpressionError) throw badRequest(`Invalid ${what}: ${err.message}`);
    throw err;
  }
}

function attributesOf(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

export interface StoreOptions {
  accountSid: string;
  numbers: string[];
}

export class Store {
  readonly accountSid: string;
  readonly numbers: readonly string[];
  readonly events = new EventEmitter();
  /** Replaceable clock: every date the store writes comes from here. */
  now: () => Date = () => new Date();
  /** Set by the call engine; without it `Instruction` on a reservation is refused. */
  instructionHandler: InstructionHandler | null = null;
  /** Incremented on every mutation; the server persists when it moved. */
  version = 0;

  readonly workspaces = new Map<string, WorkspaceRec>();
  readonly activities = new Map<string, ActivityRec>();
  readonly taskChannels = new Map<string, TaskChannelRec>();
  readonly workers = new Map<string, WorkerRec>();
  readonly taskQueues = new Map<string, TaskQueueRec>();
  readonly workflows = new Map<string, WorkflowRec>();
  readonly tasks = new Map<string, TaskRec>();
  readonly reservations = new Map<string, ReservationRec>();
  /** Reservations by task SID, in creation order (the order of `reservations`); see indexReservations. */
  private readonly reservationsOfTask = new Map<string, ReservationRec[]>();
  readonly phoneNumbers = new Map<string, PhoneNumberRec>();

  constructor(opts: StoreOptions) {
    this.accountSid = opts.accountSid;
    this.numbers = [...opts.numbers];
    this.seedNumbers();
  }

  // ---------------------------------------------------------------- infrastructure

  emit<K extends StoreEventName>(name: K, payload: StoreEvents[K]): void {
    this.version++;
    this.events.emit(name, payload);
    if (name !== "change") this.events.emit("change", { event: name });
  }

  private stamp(): string {
    return isoDate(this.now());
  }

  private seedNumbers(): void {
    const now = this.stamp();
    for (const n of this.numbers) {
      if (!/^\+[1-9]\d{1,14}$/.test(n)) throw new Error(`emulator: number ${n} is not E.164`);
      const sid = phoneNumberSid(this.accountSid, n);
      this.phoneNumbers.set(sid, {
        sid,
        phoneNumber: n,
        friendlyName: n,
        voiceUrl: null,
        voiceMethod: "POST",
        voiceFallbackUrl: null,
        voiceFallbackMethod: "POST",
        statusCallback: null,
        statusCallbackMethod: "POST",
        dateCreated: now,
        dateUpdated: now,
      });
    }
  }

  /** Back to empty workspaces and the owned numbers with empty voice configuration. */
  reset(): void {
    for (const m of this.maps()) m.clear();
    this.indexReservations();
    this.phoneNumbers.clear();
    this.seedNumbers();
    this.emit("state.reset", {});
  }

  private maps(): Array<Map<string, unknown>> {
    return [
      this.workspaces,
      this.activities,
      this.taskChannels,
      this.workers,
      this.taskQueues,
      this.workflows,
      this.tasks,
      this.reservations,
    ];
  }

  snapshot(): StateFile {
    return {
      format: "twilio-emulator-state/1",
      accountSid: this.accountSid,
      workspaces: [...this.workspaces.values()],
      activities: [...this.activities.values()],
      taskChannels: [...this.taskChannels.values()],
      workers: [...this.workers.values()],
      taskQueues: [...this.taskQueues.values()],
      workflows: [...this.workflows.values()],
      tasks: [...this.tasks.values()],
      reservations: [...this.reservations.values()],
      phoneNumbers: [...this.phoneNumbers.values()],
    };
  }

  load(state: StateFile): void {
    if (state.format !== "twilio-emulator-state/1") {
      throw new Error(`emulator: unknown state format ${JSON.stringify(state.format)}`);
    }
    if (state.accountSid !== this.accountSid) {
      throw new Error(
        `emulator: state belongs to account ${state.accountSid}, not ${this.accountSid}`,
      );
    }
    const fill = <T extends { sid: string }>(m: Map<string, T>, list: T[]) => {
      m.clear();
      for (const r of list) m.set(r.sid, r);
    };
    fill(this.workspaces, state.workspaces);
    fill(this.activities, state.activities);
    fill(this.taskChannels, state.taskChannels);
    fill(this.workers, state.workers);
    fill(this.taskQueues, state.taskQueues);
    fill(this.workflows, state.workflows);
    fill(this.tasks, state.tasks);
    fill(this.reservations, state.reservations);
    this.indexReservations();
    // Numbers: keep saved configuration for numbers still owned, add newly owned ones.
    const saved = new Map(state.phoneNumbers.map((p) => [p.sid, p]));
    for (const [sid, rec] of this.phoneNumbers) {
      const old = saved.get(sid);
      if (old) this.phoneNumbers.set(sid, old);
      else this.phoneNumbers.set(sid, rec);
    }
  }

  /** Atomic write: temp file, fsync, rename, fsync the directory. */
  saveTo(file: string): void {
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, JSON.stringify(this.snapshot()));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const dir = fs.openSync(path.dirname(path.resolve(file)), "r");
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  }

  loadFrom(file: string): boolean {
    if (!fs.existsSync(file)) return false;
    const text = fs.readFileSync(file, "utf8");
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch (err) {
      throw new Error(`emulator: state file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    this.load(state);
    return true;
  }

  // ---------------------------------------------------------------- lookups

  workspace(sid: string): WorkspaceRec {
    const ws = this.workspaces.get(sid);
    if (!ws) throw notFound(`/Workspaces/${sid}`);
    return ws;
  }

  private child<T extends { workspaceSid: string }>(
    map: Map<string, T>,
    wsSid: string,
    kind: string,
    sid: string,
  ): T {
    this.workspace(wsSid);
    const rec = map.get(sid);
    if (!rec || rec.workspaceSid !== wsSid) throw notFound(`/Workspaces/${wsSid}/${kind}/${sid}`);
    return rec;
  }

  activity(ws: string, sid: string): ActivityRec {
    return this.child(this.activities, ws, "Activities", sid);
  }
  worker(ws: string, sid: string): WorkerRec {
    return this.child(this.workers, ws, "Workers", sid);
  }
  taskQueue(ws: string, sid: string): TaskQueueRec {
    return this.child(this.taskQueues, ws, "TaskQueues", sid);
  }
  workflow(ws: string, sid: string): WorkflowRec {
    return this.child(this.workflows, ws, "Workflows", sid);
  }
  task(ws: string, sid: string): TaskRec {
    return this.child(this.tasks, ws, "Tasks", sid);
  }
  taskChannel(ws: string, sid: string): TaskChannelRec {
    return this.child(this.taskChannels, ws, "TaskChannels", sid);
  }

  /** Reservation in the scope of a task or a worker; a mismatch is a 404 like any unknown sid. */
  reservation(
    ws: string,
    scope: { taskSid?: string; workerSid?: string },
    sid: string,
  ): ReservationRec {
    const parentPath = scope.taskSid
      ? `/Workspaces/${ws}/Tasks/${scope.taskSid}`
      : `/Workspaces/${ws}/Workers/${scope.workerSid}`;
    if (scope.taskSid) this.task(ws, scope.taskSid);
    if (scope.workerSid) this.worker(ws, scope.workerSid);
    const r = this.reservations.get(sid);
    if (
      !r ||
      r.workspaceSid !== ws ||
      (scope.taskSid !== undefined && r.taskSid !== scope.taskSid) ||
      (scope.workerSid !== undefined && r.workerSid !== scope.workerSid)
    ) {
      throw notFound(`${parentPath}/Reservations/${sid}`);
    }
    return r;
  }

  phoneNumber(sid: string): PhoneNumberRec {
    const p = this.phoneNumbers.get(sid);
    if (!p) {
      throw notFound(`/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers/${sid}.json`);
    }
    return p;
  }

  listOf<T extends { workspaceSid: string }>(map: Map<string, T>, ws: string): T[] {
    this.workspace(ws);
    return [...map.values()].filter((r) => r.workspaceSid === ws);
  }

  /** A worker's attributes plus the worker fields expressions may use (https://www.twilio.com/docs/taskrouter/expression-syntax). */
  workerContext(w: WorkerRec): Record<string, unknown> {
    const act = this.activities.get(w.activitySid);
    return {
      ...attributesOf(w.attributes),
      sid: w.sid,
      friendly_name: w.friendlyName,
      activity_sid: w.activitySid,
      activity_name: act?.friendlyName ?? null,
    };
  }

  /** Whether a worker matches a queue's TargetWorkers (queue membership, not availability). */
  workerInQueue(w: WorkerRec, q: TaskQueueRec): boolean {
    return evaluate(compiled(q.targetWorkers), this.workerContext(w));
  }

  private uniqueName<T extends { workspaceSid: string; friendlyName: string; sid: string }>(
    map: Map<string, T>,
    ws: string,
    name: string,
    kind: string,
    exceptSid?: string,
  ): void {
    for (const r of map.values()) {
      if (r.workspaceSid === ws && r.sid !== exceptSid && sameName(r.friendlyName, name)) {
        throw badRequest(`${kind} with FriendlyName '${name}' already exists in workspace ${ws}`);
      }
    }
  }

  private activityRef(ws: string, sid: string | undefined, param: string): string | undefined {
    if (sid === undefined) return undefined;
    const a = this.activities.get(sid);
    if (!a || a.workspaceSid !== ws) {
      throw badRequest(`Invalid ${param}: activity ${sid} not found in workspace ${ws}`);
    }
    return sid;
  }

  // ---------------------------------------------------------------- workspaces

  createWorkspace(p: Params): WorkspaceRec {
    p.refuse(
      ["DefaultActivitySid", "TimeoutActivitySid"],
      "can only be set by updating the workspace",
    );
    const friendlyName = checkName(p.required("FriendlyName"));
    const template = p.oneOf("Template", ["NONE", "FIFO"] as const) ?? "NONE";
    const eventCallbackUrl = p.url("EventCallbackUrl") ?? null;
    const eventsFilter = p.str("EventsFilter") ?? null;
    const multiTaskEnabled = p.bool("MultiTaskEnabled") ?? true;
    const prioritizeQueueOrder =
      p.oneOf("PrioritizeQueueOrder", ["FIFO", "LIFO"] as const) ?? "FIFO";
    for (const w of this.workspaces.values()) {
      if (sameName(w.friendlyName, friendlyName)) {
        throw badRequest(`Workspace with FriendlyName '${friendlyName}' already exists`);
      }
    }
    const now = this.stamp();
    const sid = newSid("WS");
    const acts = [
      ["Offline", false],
      ["Unavailable", false],
      ["Available", true],
    ].map(([name, available]) => ({
      sid: newSid("WA"),
      workspaceSid: sid,
      friendlyName: name as string,
      available: available as boolean,
      dateCreated: now,
      dateUpdated: now,
    }));
    const ws: WorkspaceRec = {
      sid,
      friendlyName,
      eventCallbackUrl,
      eventsFilter,
      multiTaskEnabled,
      prioritizeQueueOrder,
      defaultActivitySid: acts[0].sid,
      timeoutActivitySid: acts[0].sid,
      dateCreated: now,
      dateUpdated: now,
    };
    this.workspaces.set(sid, ws);
    for (const a of acts) this.activities.set(a.sid, a);
    for (const [uniqueName, name] of SEEDED_CHANNELS) {
      const tc = { sid: newSid("TC"), workspaceSid: sid, uniqueName, friendlyName: name };
      this.taskChannels.set(tc.sid, { ...tc, dateCreated: now, dateUpdated: now });
    }
    this.emit("workspace.created", { workspace: clone(ws) });
    if (template === "FIFO") {
      const q = this.createTaskQueue(sid, Params.of({ FriendlyName: "Sample Queue" }));
      this.createWorkflow(
        sid,
        Params.of({
          FriendlyName: "Default Fifo Workflow",
          Configuration: JSON.stringify({
            task_routing: { filters: [], default_filter: { queue: q.sid } },
          }),
          TaskReservationTimeout: "120",
        }),
      );
    }
    return ws;
  }

  updateWorkspace(sid: string, p: Params): WorkspaceRec {
    const ws = this.workspace(sid);
    p.refuse(["Template"], "cannot be changed after the workspace is created");
    const previous = clone(ws);
    const friendlyName = p.str("FriendlyName");
    if (friendlyName !== undefined) {
      checkName(friendlyName);
      if (friendlyName === "") throw badRequest("Invalid FriendlyName: must not be empty");
      for (const w of this.workspaces.values()) {
        if (w.sid !== sid && sameName(w.friendlyName, friendlyName)) {
          throw badRequest(`Workspace with FriendlyName '${friendlyName}' already exists`);
        }
      }
    }
    const eventCallbackUrl = p.url("EventCallbackUrl");
    const eventsFilter = p.str("EventsFilter");
    const multi = p.bool("MultiTaskEnabled");
    if (multi === false && ws.multiTaskEnabled) {
      throw badRequest(
        "Invalid MultiTaskEnabled: a multi-tasking workspace cannot return to single-tasking",
      );
    }
    const order = p.oneOf("PrioritizeQueueOrder", ["FIFO", "LIFO"] as const);
    const def = this.activityRef(sid, p.str("DefaultActivitySid"), "DefaultActivitySid");
    const tmo = this.activityRef(sid, p.str("TimeoutActivitySid"), "TimeoutActivitySid");
    if (friendlyName !== undefined) ws.friendlyName = friendlyName;
    if (eventCallbackUrl !== undefined) ws.eventCallbackUrl = eventCallbackUrl;
    if (eventsFilter !== undefined) ws.eventsFilter = eventsFilter === "" ? null : eventsFilter;
    if (multi !== undefined) ws.multiTaskEnabled = multi;
    if (order !== undefined) ws.prioritizeQueueOrder = order;
    if (def !== undefined) ws.defaultActivitySid = def;
    if (tmo !== undefined) ws.timeoutActivitySid = tmo;
    ws.dateUpdated = this.stamp();
    this.emit("workspace.updated", { workspace: clone(ws), previous });
    return ws;
  }

  deleteWorkspace(sid: string): void {
    const ws = this.workspace(sid);
    // Twilio removes everything inside the workspace with it.
    for (const m of this.maps()) {
      for (const [k, v] of m) {
        if ((v as { workspaceSid?: string }).workspaceSid === sid) m.delete(k);
      }
    }
    this.indexReservations();
    this.workspaces.delete(sid);
    this.emit("workspace.deleted", { workspace: clone(ws) });
  }

  // ---------------------------------------------------------------- activities

  createActivity(ws: string, p: Params): ActivityRec {
    this.workspace(ws);
    const friendlyName = checkName(p.required("FriendlyName"));
    const available = p.bool("Available") ?? false;
    this.uniqueName(this.activities, ws, friendlyName, "Activity");
    if (this.listOf(this.activities, ws).length >= ACTIVITIES_MAX) {
      throw badRequest(`A workspace can hold at most ${ACTIVITIES_MAX} activities`);
    }
    const now = this.stamp();
    const a: ActivityRec = {
      sid: newSid("WA"),
      workspaceSid: ws,
      friendlyName,
      available,
      dateCreated: now,
      dateUpdated: now,
    };
    this.activities.set(a.sid, a);
    this.emit("activity.created", { activity: clone(a) });
    return a;
  }

  updateActivity(ws: string, sid: string, p: Params): ActivityRec {
    const a = this.activity(ws, sid);
    p.refuse(["Available"], "cannot be changed after the activity is created");
    const friendlyName = p.str("FriendlyName");
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw badRequest("Invalid FriendlyName: must not be empty");
      checkName(friendlyName);
      this.uniqueName(this.activities, ws, friendlyName, "Activity", sid);
    }
    const previous = clone(a);
    if (friendlyName !== undefined) a.friendlyName = friendlyName;
    a.dateUpdated = this.stamp();
    this.emit("activity.updated", { activity: clone(a), previous });
    return a;
  }

  deleteActivity(ws: string, sid: string): void {
    const a = this.activity(ws, sid);
    const w = this.workspace(ws);
    if (w.defaultActivitySid === sid || w.timeoutActivitySid === sid) {
      throw badRequest(
        `Cannot delete activity ${sid}: it is the workspace's ${w.defaultActivitySid === sid ? "default" : "timeout"} activity`,
      );
    }
    const worker = this.listOf(this.workers, ws).find((x) => x.activitySid === sid);
    if (worker) {
      throw badRequest(
        `Cannot delete activity ${sid}: it is the current activity of worker ${worker.sid}`,
      );
    }
    const q = this.listOf(this.taskQueues, ws).find(
      (x) => x.reservationActivitySid === sid || x.assignmentActivitySid === sid,
    );
    if (q) throw badRequest(`Cannot delete activity ${sid}: task queue ${q.sid} refers to it`);
    this.activities.delete(sid);
    this.emit("activity.deleted", { activity: clone(a) });
  }

  // ---------------------------------------------------------------- workers

  createWorker(ws: string, p: Params): WorkerRec {
    const w = this.workspace(ws);
    const friendlyName = checkName(p.required("FriendlyName"));
    const activitySid =
      this.activityRef(ws, p.str("ActivitySid"), "ActivitySid") ?? w.defaultActivitySid;
    const attributes = checkAttributes(p.str("Attributes") ?? "{}");
    this.uniqueName(this.workers, ws, friendlyName, "Worker");
    const now = this.stamp();
    const rec: WorkerRec = {
      sid: newSid("WK"),
      workspaceSid: ws,
      friendlyName,
      activitySid,
      attributes,
      dateCreated: now,
      dateUpdated: now,
      dateStatusChanged: now,
      revision: 0,
    };
    this.workers.set(rec.sid, rec);
    this.emit("worker.created", { worker: clone(rec) });
    return rec;
  }

  updateWorker(ws: string, sid: string, p: Params, ifMatch?: string): WorkerRec {
    const w = this.worker(ws, sid);
    checkIfMatch(ifMatch, w.revision);
    const friendlyName = p.str("FriendlyName");
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw badRequest("Invalid FriendlyName: must not be empty");
      checkName(friendlyName);
      this.uniqueName(this.workers, ws, friendlyName, "Worker", sid);
    }
    const activitySid = this.activityRef(ws, p.str("ActivitySid"), "ActivitySid");
    const attributes = p.has("Attributes") ? checkAttributes(p.str("Attributes") ?? "") : undefined;
    const rejectPending = p.bool("RejectPendingReservations");
    const pending = [...this.reservations.values()].filter(
      (r) => r.workerSid === sid && r.reservationStatus === "pending",
    );
    if (rejectPending !== undefined) {
      const target = activitySid ?? w.activitySid;
      if (this.activities.get(target)?.available) {
        throw badRequest(
          "RejectPendingReservations is valid only when the new activity is unavailable",
        );
      }
    }
    const previous = clone(w);
    if (friendlyName !== undefined) w.friendlyName = friendlyName;
    if (attributes !== undefined) w.attributes = attributes;
    const now = this.stamp();
    const activityChanged = activitySid !== undefined && activitySid !== w.activitySid;
    if (activitySid !== undefined) {
      w.activitySid = activitySid;
      if (activityChanged) w.dateStatusChanged = now;
    }
    w.dateUpdated = now;
    w.revision++;
    if (rejectPending) for (const r of pending) this.setReservationStatus(r, "rejected");
    this.emit("worker.updated", { worker: clone(w), previous, activityChanged });
    return w;
  }

  deleteWorker(ws: string, sid: string, ifMatch?: string): void {
    const w = this.worker(ws, sid);
    checkIfMatch(ifMatch, w.revision);
    const busy = [...this.reservations.values()].find(
      (r) =>
        r.workerSid === sid &&
        (r.reservationStatus === "pending" || r.reservationStatus === "accepted"),
    );
    if (busy) {
      throw badRequest(
        `Cannot delete worker ${sid}: reservation ${busy.sid} is ${busy.reservationStatus}`,
      );
    }
    this.workers.delete(sid);
    for (const [k, r] of this.reservations) if (r.workerSid === sid) this.reservations.delete(k);
    this.indexReservations();
    this.emit("worker.deleted", { worker: clone(w) });
  }

  // ---------------------------------------------------------------- task queues

  private readQueueParams(ws: string, p: Params) {
    const targetWorkers = p.str("TargetWorkers");
    if (targetWorkers !== undefined) {
      if (targetWorkers.trim() === "") throw badRequest("Invalid TargetWorkers: must not be empty");
      checkExpression(targetWorkers, "TargetWorkers");
    }
    return {
      targetWorkers,
      maxReservedWorkers: p.int("MaxReservedWorkers", 1, 50),
      taskOrder: p.oneOf("TaskOrder", ["FIFO", "LIFO"] as const),
      reservationActivitySid: this.activityRef(
        ws,
        p.str("ReservationActivitySid"),
        "ReservationActivitySid",
      ),
      assignmentActivitySid: this.activityRef(
        ws,
        p.str("AssignmentActivitySid"),
        "AssignmentActivitySid",
      ),
    };
  }

  createTaskQueue(ws: string, p: Params): TaskQueueRec {
    this.workspace(ws);
    const friendlyName = checkName(p.required("FriendlyName"));
    const v = this.readQueueParams(ws, p);
    this.uniqueName(this.taskQueues, ws, friendlyName, "TaskQueue");
    const now = this.stamp();
    const q: TaskQueueRec = {
      sid: newSid("WQ"),
      workspaceSid: ws,
      friendlyName,
      targetWorkers: v.targetWorkers ?? "1==1",
      maxReservedWorkers: v.maxReservedWorkers ?? 1,
      taskOrder: v.taskOrder ?? "FIFO",
      reservationActivitySid: v.reservationActivitySid ?? null,
      assignmentActivitySid: v.assignmentActivitySid ?? null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.taskQueues.set(q.sid, q);
    this.emit("taskqueue.created", { taskQueue: clone(q) });
    return q;
  }

  updateTaskQueue(ws: string, sid: string, p: Params): TaskQueueRec {
    const q = this.taskQueue(ws, sid);
    const friendlyName = p.str("FriendlyName");
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw badRequest("Invalid FriendlyName: must not be empty");
      checkName(friendlyName);
      this.uniqueName(this.taskQueues, ws, friendlyName, "TaskQueue", sid);
    }
    const v = this.readQueueParams(ws, p);
    const previous = clone(q);
    if (friendlyName !== undefined) q.friendlyName = friendlyName;
    if (v.targetWorkers !== undefined) q.targetWorkers = v.targetWorkers;
    if (v.maxReservedWorkers !== undefined) q.maxReservedWorkers = v.maxReservedWorkers;
    if (v.taskOrder !== undefined) q.taskOrder = v.taskOrder;
    if (v.reservationActivitySid !== undefined) q.reservationActivitySid = v.reservationActivitySid;
    if (v.assignmentActivitySid !== undefined) q.assignmentActivitySid = v.assignmentActivitySid;
    q.dateUpdated = this.stamp();
    this.emit("taskqueue.updated", { taskQueue: clone(q), previous });
    return q;
  }

  deleteTaskQueue(ws: string, sid: string): void {
    const q = this.taskQueue(ws, sid);
    for (const wf of this.listOf(this.workflows, ws)) {
      if (workflowQueueSids(wf.configuration).includes(sid)) {
        throw badRequest(`Cannot delete task queue ${sid}: workflow ${wf.sid} refers to it`);
      }
    }
    const active = this.listOf(this.tasks, ws).find(
      (t) => t.taskQueueSid === sid && isActive(t.assignmentStatus),
    );
    if (active) {
      throw badRequest(
        `Cannot delete task queue ${sid}: task ${active.sid} is ${active.assignmentStatus} in it`,
      );
    }
    this.taskQueues.delete(sid);
    this.emit("taskqueue.deleted", { taskQueue: clone(q) });
  }

  // ---------------------------------------------------------------- workflows

  /** Checks a configuration the way Twilio does: JSON, task_routing shape, queues, expressions. */
  checkConfiguration(ws: string, configuration: string): void {
    if (Buffer.byteLength(configuration) > CONFIGURATION_MAX) {
      throw badRequest(`Invalid Configuration: larger than ${CONFIGURATION_MAX} bytes`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(configuration);
    } catch {
      throw badRequest("Invalid Configuration: not valid JSON");
    }
    const fail = (where: string, reason: string): never => {
      throw badRequest(`Invalid Configuration: ${where}: ${reason}`);
    };
    const isObj = (v: unknown): v is Record<string, unknown> =>
      v !== null && typeof v === "object" && !Array.isArray(v);
    if (!isObj(doc)) fail("(root)", "must be a JSON object");
    const root = doc as Record<string, unknown>;
    for (const k of Object.keys(root)) if (k !== "task_routing") fail(k, "unknown key");
    const tr = root.task_routing;
    if (!isObj(tr)) return fail("task_routing", "must be an object");
    for (const k of Object.keys(tr)) {
      if (k !== "filters" && k !== "default_filter") fail(`task_routing.${k}`, "unknown key");
    }
    const expr = (where: string, v: unknown) => {
      if (typeof v !== "string") fail(where, "must be a string");
      try {
        parseExpression(v as string);
      } catch (err) {
        if (err instanceof ExpressionError) fail(where, err.message);
        throw err;
      }
    };
    const queue = (where: string, v: unknown) => {
      if (typeof v !== "string") fail(where, "must be a TaskQueue SID");
      const q = this.taskQueues.get(v as string);
      if (!q || q.workspaceSid !== ws)
        fail(where, `task queue ${String(v)} not found in workspace ${ws}`);
    };
    const target = (where: string, t: unknown, first: boolean, isDefault: boolean) => {
      if (!isObj(t)) return fail(where, "must be an object");
      for (const k of Object.keys(t)) {
        if (!TARGET_KEYS.has(k) || (isDefault && k === "timeout"))
          fail(`${where}.${k}`, "unknown key");
      }
      if (t.queue !== undefined) queue(`${where}.queue`, t.queue);
      else if (first) fail(`${where}.queue`, "required");
      if (t.priority !== undefined) {
        const pr = t.priority;
        const ok =
          (typeof pr === "number" && Number.isInteger(pr) && pr >= 0) ||
          (typeof pr === "string" && /^\d+$/.test(pr));
        if (!ok) fail(`${where}.priority`, "must be a non-negative integer");
      }
      if (t.timeout !== undefined) {
        if (typeof t.timeout !== "number" || !Number.isInteger(t.timeout) || t.timeout <= 0) {
          fail(`${where}.timeout`, "must be a positive integer");
        }
      }
      if (t.expression !== undefined) expr(`${where}.expression`, t.expression);
      if (t.skip_if !== undefined) expr(`${where}.skip_if`, t.skip_if);
      for (const k of ["order_by", "known_worker_sid", "known_worker_friendly_name"]) {
        if (t[k] !== undefined && typeof t[k] !== "string")
          fail(`${where}.${k}`, "must be a string");
      }
    };
    if (tr.filters !== undefined) {
      if (!Array.isArray(tr.filters)) fail("task_routing.filters", "must be an array");
      (tr.filters as unknown[]).forEach((f, i) => {
        const where = `task_routing.filters[${i}]`;
        if (!isObj(f)) return fail(where, "must be an object");
        for (const k of Object.keys(f)) {
          if (!["filter_friendly_name", "expression", "targets"].includes(k))
            fail(`${where}.${k}`, "unknown key");
        }
        if (f.filter_friendly_name !== undefined && typeof f.filter_friendly_name !== "string") {
          fail(`${where}.filter_friendly_name`, "must be a string");
        }
        if (f.expression === undefined) fail(`${where}.expression`, "required");
        expr(`${where}.expression`, f.expression);
        if (!Array.isArray(f.targets) || f.targets.length === 0) {
          fail(`${where}.targets`, "must be a non-empty array");
        }
        (f.targets as unknown[]).forEach((t, j) =>
          target(`${where}.targets[${j}]`, t, j === 0, false),
        );
      });
    }
    if (tr.default_filter !== undefined)
      target("task_routing.default_filter", tr.default_filter, true, true);
  }

  private readWorkflowParams(ws: string, p: Params) {
    const configuration = p.str("Configuration");
    if (configuration !== undefined) this.checkConfiguration(ws, configuration);
    return {
      configuration,
      assignmentCallbackUrl: p.url("AssignmentCallbackUrl"),
      fallbackAssignmentCallbackUrl: p.url("FallbackAssignmentCallbackUrl"),
      taskReservationTimeout: p.int("TaskReservationTimeout", 1, 86400),
    };
  }

  createWorkflow(ws: string, p: Params): WorkflowRec {
    this.workspace(ws);
    p.refuse(["ReEvaluateTasks"], "can only be given when updating a workflow");
    const friendlyName = checkName(p.required("FriendlyName"));
    p.required("Configuration");
    const v = this.readWorkflowParams(ws, p);
    this.uniqueName(this.workflows, ws, friendlyName, "Workflow");
    const now = this.stamp();
    const wf: WorkflowRec = {
      sid: newSid("WW"),
      workspaceSid: ws,
      friendlyName,
      configuration: v.configuration as string,
      assignmentCallbackUrl: v.assignmentCallbackUrl ?? null,
      fallbackAssignmentCallbackUrl: v.fallbackAssignmentCallbackUrl ?? null,
      taskReservationTimeout: v.taskReservationTimeout ?? 120,
      dateCreated: now,
      dateUpdated: now,
    };
    this.workflows.set(wf.sid, wf);
    this.emit("workflow.created", { workflow: clone(wf) });
    return wf;
  }

  updateWorkflow(ws: string, sid: string, p: Params): WorkflowRec {
    const wf = this.workflow(ws, sid);
    const friendlyName = p.str("FriendlyName");
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw badRequest("Invalid FriendlyName: must not be empty");
      checkName(friendlyName);
      this.uniqueName(this.workflows, ws, friendlyName, "Workflow", sid);
    }
    const v = this.readWorkflowParams(ws, p);
    const reEvaluateTasks = p.bool("ReEvaluateTasks") ?? false;
    const previous = clone(wf);
    if (friendlyName !== undefined) wf.friendlyName = friendlyName;
    if (v.configuration !== undefined) wf.configuration = v.configuration;
    if (v.assignmentCallbackUrl !== undefined) wf.assignmentCallbackUrl = v.assignmentCallbackUrl;
    if (v.fallbackAssignmentCallbackUrl !== undefined) {
      wf.fallbackAssignmentCallbackUrl = v.fallbackAssignmentCallbackUrl;
    }
    if (v.taskReservationTimeout !== undefined)
      wf.taskReservationTimeout = v.taskReservationTimeout;
    wf.dateUpdated = this.stamp();
    this.emit("workflow.updated", { workflow: clone(wf), previous, reEvaluateTasks });
    return wf;
  }

  deleteWorkflow(ws: string, sid: string): void {
    const wf = this.workflow(ws, sid);
    const active = this.listOf(this.tasks, ws).find(
      (t) => t.workflowSid === sid && isActive(t.assignmentStatus),
    );
    if (active) {
      throw badRequest(
        `Cannot delete workflow ${sid}: task ${active.sid} is ${active.assignmentStatus} in it`,
      );
    }
    this.workflows.delete(sid);
    this.emit("workflow.deleted", { workflow: clone(wf) });
  }

  // ---------------------------------------------------------------- tasks

  private channelRef(ws: string, ref: string): string {
    const found = this.listOf(this.taskChannels, ws).find(
      (c) => c.sid === ref || c.uniqueName === ref,
    );
    if (!found) throw badRequest(`Invalid TaskChannel: ${ref} not found in workspace ${ws}`);
    return found.sid;
  }

  private virtualStart(p: Params): string | undefined {
    const v = p.str("VirtualStartTime");
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (!/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(d.getTime())) {
      throw badRequest(`Invalid VirtualStartTime: ${JSON.stringify(v)} is not an ISO 8601 date`);
    }
    if (d.getTime() > this.now().getTime())
      throw badRequest("Invalid VirtualStartTime: in the future");
    if (d.getUTCFullYear() < 1900) throw badRequest("Invalid VirtualStartTime: before 1900");
    return isoDate(d);
  }

  /**
   * The queue a task enters first: the first target of the first filter whose expression matches
   * the task attributes, else the default filter. This is workflow evaluation, not worker selection;
   * the engine may move the task later with `moveTask`.
   */
  firstQueue(wf: WorkflowRec, attributes: string): string | null {
    // Parsed configurations and expressions are cached by their text (routing.ts), which is
    // exact even for updates within the same second, unlike a key on date_updated.
    const doc = parseConfiguration(wf.configuration);
    const attrs = attributesOf(attributes);
    for (const f of doc.task_routing.filters ?? []) {
      if (evaluate(compiled(f.expression), attrs)) return f.targets[0]?.queue ?? null;
    }
    return doc.task_routing.default_filter?.queue ?? null;
  }

  createTask(ws: string, p: Params): TaskRec {
    this.workspace(ws);
    const attributes = checkAttributes(p.str("Attributes") ?? "{}");
    const priority = p.int("Priority", 0, 2147483647) ?? 0;
    const timeout = p.int("Timeout", 1, 1209600) ?? 86400;
    const taskChannelSid = this.channelRef(ws, p.str("TaskChannel") ?? "default");
    const virtualStartTime = this.virtualStart(p);
    const routingTarget = p.str("RoutingTarget") ?? null;
    const ignoreCapacity = p.bool("IgnoreCapacity");
    const taskQueueParam = p.str("TaskQueueSid");
    let workflowSid = p.str("WorkflowSid") ?? null;
    const workflows = this.listOf(this.workflows, ws);
    if (workflowSid !== null) {
      if (!workflows.some((w) => w.sid === workflowSid)) {
        throw badRequest(
          `Invalid WorkflowSid: workflow ${workflowSid} not found in workspace ${ws}`,
        );
      }
    } else if (routingTarget === null && taskQueueParam === undefined) {
      if (workflows.length !== 1) {
        throw badRequest(
          `Missing required parameter WorkflowSid: workspace ${ws} has ${workflows.length} workflows`,
        );
      }
      workflowSid = workflows[0].sid;
    }
    let workerTarget = false;
    if (routingTarget !== null) {
      const kind = routingTarget.slice(0, 2);
      const exists =
        (kind === "WK" && this.workers.get(routingTarget)?.workspaceSid === ws) ||
        (kind === "WQ" && this.taskQueues.get(routingTarget)?.workspaceSid === ws) ||
        (kind === "WW" && this.workflows.get(routingTarget)?.workspaceSid === ws);
      if (!exists)
        throw badRequest(`Invalid RoutingTarget: ${routingTarget} not found in workspace ${ws}`);
      workerTarget = kind === "WK";
    }
    if (ignoreCapacity !== undefined && !workerTarget) {
      throw badRequest("IgnoreCapacity can only be used with a worker RoutingTarget");
    }
    let taskQueueSid: string | null = null;
    if (taskQueueParam !== undefined) {
      const q = this.taskQueues.get(taskQueueParam);
      if (!q || q.workspaceSid !== ws) {
        throw badRequest(
          `Invalid TaskQueueSid: task queue ${taskQueueParam} not found in workspace ${ws}`,
        );
      }
      taskQueueSid = q.sid;
    } else if (workflowSid !== null) {
      taskQueueSid = this.firstQueue(this.workflows.get(workflowSid) as WorkflowRec, attributes);
    }
    const now = this.stamp();
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
      dateUpdated: now,
      revision: 0,
    };
    this.tasks.set(t.sid, t);
    this.emit("task.created", { task: clone(t) });
    return t;
  }

  updateTask(ws: string, sid: string, p: Params, ifMatch?: string): TaskRec {
    const t = this.task(ws, sid);
    checkIfMatch(ifMatch, t.revision);
    const attributes = p.has("Attributes") ? checkAttributes(p.str("Attributes") ?? "") : undefined;
    const priority = p.int("Priority", 0, 2147483647);
    const channel = p.str("TaskChannel");
    const taskChannelSid = channel === undefined ? undefined : this.channelRef(ws, channel);
    const virtualStartTime = this.virtualStart(p);
    const status = p.oneOf("AssignmentStatus", [
      "pending",
      "reserved",
      "assigned",
      "canceled",
      "completed",
      "wrapping",
    ] as const);
    const reason = p.str("Reason");
    if (reason !== undefined && status === undefined) {
      throw badRequest("Reason can only be given with AssignmentStatus canceled or completed");
    }
    if (status !== undefined) {
      const from = t.assignmentStatus;
      const refuse = (why: string) => badRequest(why);
      if (status === "canceled") {
        if (from !== "pending" && from !== "reserved") {
          throw refuse(
            `Cannot cancel task ${sid} in workspace ${ws} for account ${this.accountSid} because it is not pending or reserved.`,
          );
        }
      } else if (status === "completed") {
        if (from !== "assigned" && from !== "wrapping") {
          throw refuse(
            `Cannot complete task ${sid} in workspace ${ws} for account ${this.accountSid} because it is not assigned or wrapping.`,
          );
        }
      } else if (status === "wrapping") {
        if (from !== "assigned") {
          throw refuse(`Cannot wrap up task ${sid} because it is not assigned.`);
        }
      } else {
        throw refuse(`Invalid AssignmentStatus: ${status} cannot be set through the API`);
      }
      if (
        (status === "canceled" || status === "completed") &&
        (reason === undefined || reason === "")
      ) {
        throw badRequest(
          `Missing required parameter Reason when setting AssignmentStatus to ${status}`,
        );
      }
    }
    const previous = clone(t);
    if (attributes !== undefined) t.attributes = attributes;
    if (priority !== undefined) t.priority = priority;
    if (taskChannelSid !== undefined) t.taskChannelSid = taskChannelSid;
    if (virtualStartTime !== undefined) t.virtualStartTime = virtualStartTime;
    t.dateUpdated = this.stamp();
    t.revision++;
    if (status !== undefined) this.setTaskStatus(t, status, reason ?? null);
    this.emit("task.updated", { task: clone(t), previous });
    return t;
  }

  /**
   * Moves a task and its reservations to a new status with the side effects Twilio has:
   * cancel → pending reservations canceled; complete → accepted/wrapping reservations completed.
   * For the engine (TTL expiry, falling out of the workflow) as well as REST.
   */
  setTaskStatus(t: TaskRec, status: TaskStatus, reason: string | null): void {
    t.assignmentStatus = status;
    t.dateUpdated = this.stamp();
    if (status === "canceled" || status === "completed") t.reason = reason;
    for (const r of this.taskReservations(t.sid)) {
      if (status === "canceled" && r.reservationStatus === "pending")
        this.setReservationStatus(r, "canceled");
      if (
        status === "completed" &&
        (r.reservationStatus === "accepted" || r.reservationStatus === "wrapping")
      ) {
        this.setReservationStatus(r, "completed");
      }
      if (status === "wrapping" && r.reservationStatus === "accepted")
        this.setReservationStatus(r, "wrapping");
    }
    if (status === "canceled") this.emit("task.canceled", { task: clone(t), reason });
    if (status === "completed") this.emit("task.completed", { task: clone(t), reason });
  }

  /** Engine hook: put a task into (another) queue, e.g. when a workflow target times out. */
  moveTask(t: TaskRec, taskQueueSid: string | null, priority?: number): void {
    const previous = clone(t);
    t.taskQueueSid = taskQueueSid;
    t.taskQueueEnteredDate = taskQueueSid ? this.stamp() : null;
    if (priority !== undefined) t.priority = priority;
    t.dateUpdated = this.stamp();
    t.revision++;
    this.emit("task.updated", { task: clone(t), previous });
  }

  deleteTask(ws: string, sid: string, ifMatch?: string): void {
    const t = this.task(ws, sid);
    checkIfMatch(ifMatch, t.revision);
    this.tasks.delete(sid);
    for (const r of this.taskReservations(sid)) this.reservations.delete(r.sid);
    this.reservationsOfTask.delete(sid);
    this.emit("task.deleted", { task: clone(t) });
  }

  // ---------------------------------------------------------------- reservations

  /** A task's reservations in creation order (live array: do not modify). */
  taskReservations(taskSid: string): readonly ReservationRec[] {
    return this.reservationsOfTask.get(taskSid) ?? [];
  }

  /** Rebuilds the by-task index after bulk changes (reset, load, workspace or worker delete). */
  private indexReservations(): void {
    this.reservationsOfTask.clear();
    for (const r of this.reservations.values()) {
      const ofTask = this.reservationsOfTask.get(r.taskSid);
      if (ofTask) ofTask.push(r);
      else this.reservationsOfTask.set(r.taskSid, [r]);
    }
  }

  /** Engine hook: reserve a task for a worker (the engine decides who; the store keeps it consistent). */
  createReservation(ws: string, taskSid: string, workerSid: string): ReservationRec {
    const t = this.task(ws, taskSid);
    this.worker(ws, workerSid);
    if (t.assignmentStatus !== "pending" && t.assignmentStatus !== "reserved") {
      throw badRequest(`Cannot reserve task ${taskSid}: it is ${t.assignmentStatus}`);
    }
    const now = this.stamp();
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
    this.reservations.set(r.sid, r);
    const ofTask = this.reservationsOfTask.get(taskSid);
    if (ofTask) ofTask.push(r);
    else this.reservationsOfTask.set(taskSid, [r]);
    if (t.assignmentStatus === "pending") {
      const previous = clone(t);
      t.assignmentStatus = "reserved";
      t.dateUpdated = now;
      t.revision++;
      this.emit("task.updated", { task: clone(t), previous });
    }
    this.emit("reservation.created", { reservation: clone(r) });
    return r;
  }

  /** Low-level status change with the task side effects; validation is the caller's. */
  setReservationStatus(r: ReservationRec, status: ReservationStatus): void {
    const previous = clone(r);
    r.reservationStatus = status;
    r.dateUpdated = this.stamp();
    r.revision++;
    this.emit("reservation.updated", { reservation: clone(r), previous });
    const t = this.tasks.get(r.taskSid);
    if (!t) return;
    if (status === "accepted") {
      for (const other of this.taskReservations(t.sid)) {
        if (other.sid !== r.sid && other.reservationStatus === "pending") {
          this.setReservationStatus(other, "rescinded");
        }
      }
      if (t.assignmentStatus !== "assigned") this.taskTo(t, "assigned");
    } else if (
      ["rejected", "timeout", "rescinded"].includes(status) &&
      t.assignmentStatus === "reserved"
    ) {
      const stillPending = this.taskReservations(t.sid).some(
        (o) => o.reservationStatus === "pending",
      );
      if (!stillPending) this.taskTo(t, "pending");
    } else if (
      status === "completed" &&
      (t.assignmentStatus === "assigned" || t.assignmentStatus === "wrapping")
    ) {
      this.taskTo(t, "completed");
      this.emit("task.completed", { task: clone(t), reason: t.reason });
    } else if (status === "wrapping" && t.assignmentStatus === "assigned") {
      this.taskTo(t, "wrapping");
    }
  }

  private taskTo(t: TaskRec, status: TaskStatus): void {
    const previous = clone(t);
    t.assignmentStatus = status;
    t.dateUpdated = this.stamp();
    t.revision++;
    this.emit("task.updated", { task: clone(t), previous });
  }

  updateReservation(
    ws: string,
    scope: { taskSid?: string; workerSid?: string },
    sid: string,
    p: Params,
    ifMatch?: string,
  ): ReservationRec {
    const r = this.reservation(ws, scope, sid);
    checkIfMatch(ifMatch, r.revision);
    p.refuse(
      scope.workerSid ? ["SupervisorMode", "Supervisor"] : [],
      "is accepted only on task-scoped reservations",
    );
    const status = p.oneOf("ReservationStatus", [
      "pending",
      "accepted",
      "rejected",
      "timeout",
      "canceled",
      "rescinded",
      "wrapping",
      "completed",
    ] as const);
    const instruction = p.oneOf("Instruction", [
      "conference",
      "dequeue",
      "call",
      "redirect",
    ] as const);
    const workerActivitySid = this.activityRef(ws, p.str("WorkerActivitySid"), "WorkerActivitySid");
    if (status === undefined && instruction === undefined) {
      throw badRequest(
        "Missing required parameter ReservationStatus or Instruction in the post body",
      );
    }
    if (status !== undefined && instruction !== undefined) {
      throw badRequest("ReservationStatus and Instruction cannot be given together");
    }
    if (instruction !== undefined) {
      if (r.reservationStatus !== "pending") {
        throw badRequest(
          `Cannot process instruction ${instruction}: reservation ${sid} is not pending`,
        );
      }
      if (!this.instructionHandler) {
        throw badRequest(
          `Instruction ${instruction} is not emulated yet (no call engine attached)`,
        );
      }
      this.instructionHandler(r, p);
      return r;
    }
    const from = r.reservationStatus;
    const allowed: Record<string, string[]> = {
      accepted: ["pending"],
      rejected: ["pending"],
      wrapping: ["accepted"],
      completed: ["accepted", "wrapping"],
    };
    const ok = allowed[status as string];
    if (!ok) throw badRequest(`Invalid ReservationStatus: ${status} cannot be set through the API`);
    if (!ok.includes(from)) {
      throw badRequest(`Cannot set reservation ${sid} to ${status}: it is ${from}`);
    }
    if (workerActivitySid !== undefined && status !== "rejected") {
      throw badRequest("WorkerActivitySid can only be given when rejecting a reservation");
    }
    this.setReservationStatus(r, status as ReservationStatus);
    if (workerActivitySid !== undefined) {
      this.updateWorker(ws, r.workerSid, Params.of({ ActivitySid: workerActivitySid }));
    }
    return r;
  }

  // ---------------------------------------------------------------- phone numbers

  updatePhoneNumber(sid: string, p: Params): PhoneNumberRec {
    const n = this.phoneNumber(sid);
    p.refuse(
      [
        "VoiceApplicationSid",
        "TrunkSid",
        "SmsUrl",
        "SmsMethod",
        "SmsFallbackUrl",
        "SmsFallbackMethod",
        "SmsApplicationSid",
        "VoiceReceiveMode",
        "EmergencyStatus",
        "EmergencyAddressSid",
        "IdentitySid",
        "AddressSid",
        "BundleSid",
        "AccountSid",
        "ApiVersion",
        "VoiceCallerIdLookup",
      ],
      "is not supported by the emulator",
    );
    const methods = ["GET", "POST"] as const;
    const friendlyName = p.str("FriendlyName");
    if (friendlyName !== undefined) checkName(friendlyName);
    const voiceUrl = p.url("VoiceUrl");
    const voiceMethod = p.oneOf("VoiceMethod", methods);
    const voiceFallbackUrl = p.url("VoiceFallbackUrl");
    const voiceFallbackMethod = p.oneOf("VoiceFallbackMethod", methods);
    const statusCallback = p.url("StatusCallback");
    const statusCallbackMethod = p.oneOf("StatusCallbackMethod", methods);
    const previous = clone(n);
    if (friendlyName !== undefined)
      n.friendlyName = friendlyName === "" ? n.phoneNumber : friendlyName;
    if (voiceUrl !== undefined) n.voiceUrl = voiceUrl;
    if (voiceMethod !== undefined) n.voiceMethod = voiceMethod;
    if (voiceFallbackUrl !== undefined) n.voiceFallbackUrl = voiceFallbackUrl;
    if (voiceFallbackMethod !== undefined) n.voiceFallbackMethod = voiceFallbackMethod;
    if (statusCallback !== undefined) n.statusCallback = statusCallback;
    if (statusCallbackMethod !== undefined) n.statusCallbackMethod = statusCallbackMethod;
    n.dateUpdated = this.stamp();
    this.emit("phonenumber.updated", { phoneNumber: clone(n), previous });
    return n;
  }
}

function isActive(s: TaskStatus): boolean {
  return s === "pending" || s === "reserved" || s === "assigned" || s === "wrapping";
}

/** ETag values are the record revision; a stale If-Match is refused with 412. */
function checkIfMatch(ifMatch: string | undefined, revision: number): void {
  if (ifMatch === undefined) return;
  if (ifMatch.replace(/^W\//, "").replace(/"/g, "") !== String(revision)) {
    throw new TwilioError(
      412,
      20412,
      `Precondition failed: If-Match ${ifMatch} does not match the current ETag "${revision}"`,
    );
  }
}

export function etag(revision: number): string {
  return `"${revision}"`;
}

/** Every queue SID a (validated) workflow configuration mentions. */
export function workflowQueueSids(configuration: string): string[] {
  const out = new Set<string>();
  try {
    const doc = JSON.parse(configuration) as {
      task_routing?: {
        filters?: Array<{ targets?: Array<{ queue?: string }> }>;
        default_filter?: { queue?: string };
      };
    };
    for (const f of doc.task_routing?.filters ?? [])
      for (const t of f.targets ?? []) if (t.queue) out.add(t.queue);
    if (doc.task_routing?.default_filter?.queue) out.add(doc.task_routing.default_filter.queue);
  } catch {
    // a stored configuration was validated on write; nothing to report here
  }
  return [...out];
}
