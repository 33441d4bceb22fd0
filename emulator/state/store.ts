// The emulator's state: plain records in maps, the events every change emits, the clock dates come
// from, lookups (404 on a miss), and one typed method per Twilio operation. The rules live in one
// file per resource beside this one; the HTTP layer (wire/) parses form parameters into the typed
// inputs, and the engine, the phone and the simulator call the same methods.
import { EventEmitter } from "node:events";
import { evaluate } from "../../infra/taskrouter/expression";
import { compiled, isParkingQueue } from "../../infra/taskrouter/routing";
import { notFound } from "../errors";
import * as activities from "./activities";
import { attributesOf } from "./checks";
import * as persistence from "./persistence";
import * as phoneNumbers from "./phoneNumbers";
import {
  isoDate,
  type ActivityRec,
  type InstructionHandler,
  type PhoneNumberRec,
  type ReservationRec,
  type ReservationStatus,
  type StateFile,
  type StoreEventName,
  type StoreEvents,
  type TaskChannelRec,
  type WorkerChannelRec,
  type TaskQueueRec,
  type TaskRec,
  type TaskStatus,
  type WorkerRec,
  type WorkflowRec,
  type WorkspaceRec,
} from "./records";
import * as reservations from "./reservations";
import * as taskQueues from "./taskQueues";
import * as taskChannels from "./taskChannels";
import * as tasks from "./tasks";
import * as workers from "./workers";
import * as workflows from "./workflows";
import * as workspaces from "./workspaces";

export * from "./records";
export type { ActivityInput, ActivityUpdate } from "./activities";
export type { PhoneNumberUpdate } from "./phoneNumbers";
export type { ReservationScope, ReservationUpdate } from "./reservations";
export type { TaskQueueInput, TaskQueueUpdate } from "./taskQueues";
export type { TaskChannelInput, TaskChannelUpdate, WorkerChannelUpdate } from "./taskChannels";
export type { TaskInput, TaskUpdate } from "./tasks";
export type { WorkerInput, WorkerUpdate } from "./workers";
export type { WorkflowInput, WorkflowUpdate } from "./workflows";
export { workflowQueueSids } from "./workflows";
export type { WorkspaceInput, WorkspaceUpdate } from "./workspaces";

export interface StoreOptions {
  accountSid: string;
  numbers: string[];
}

type Scoped = { workspaceSid: string; sid: string };

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
  /** Worker channels changed from the default, by `workerChannelKey(worker, task channel)`. */
  readonly workerChannels = new Map<string, WorkerChannelRec>();
  readonly workers = new Map<string, WorkerRec>();
  readonly taskQueues = new Map<string, TaskQueueRec>();
  readonly workflows = new Map<string, WorkflowRec>();
  readonly tasks = new Map<string, TaskRec>();
  readonly reservations = new Map<string, ReservationRec>();
  readonly phoneNumbers = new Map<string, PhoneNumberRec>();
  /** Reservations by task SID, in creation order (the order of `reservations`). */
  private readonly reservationsOfTask = new Map<string, ReservationRec[]>();

  constructor(opts: StoreOptions) {
    this.accountSid = opts.accountSid;
    this.numbers = [...opts.numbers];
    phoneNumbers.seedNumbers(this);
  }

  // ---------------------------------------------------------------- core

  emit<K extends StoreEventName>(name: K, payload: StoreEvents[K]): void {
    this.version++;
    this.events.emit(name, payload);
    if (name !== "change") this.events.emit("change", { event: name });
  }

  /** The current time as Twilio prints dates (seconds). */
  stamp(): string {
    return isoDate(this.now());
  }

  /** Back to empty workspaces and the owned numbers with empty voice configuration. */
  reset(): void {
    this.workspaces.clear();
    for (const m of this.scopedMaps()) m.clear();
    this.indexReservations();
    this.phoneNumbers.clear();
    phoneNumbers.seedNumbers(this);
    this.emit("state.reset", {});
  }

  /** The maps of records inside a workspace. */
  private scopedMaps(): Array<Map<string, Scoped>> {
    return [
      this.activities,
      this.taskChannels,
      this.workerChannels,
      this.workers,
      this.taskQueues,
      this.workflows,
      this.tasks,
      this.reservations,
    ];
  }

  /** Removes every record inside a workspace (not workspaces themselves) that matches. */
  removeWhere(match: (r: Scoped & Partial<ReservationRec>) => boolean): void {
    for (const m of this.scopedMaps()) {
      for (const [k, v] of m) if (match(v)) m.delete(k);
    }
    this.indexReservations();
  }

  snapshot(): StateFile {
    return persistence.snapshot(this);
  }
  load(state: StateFile): void {
    persistence.restore(this, state);
  }
  /** Atomic write of the state file. */
  saveTo(file: string): void {
    persistence.saveState(this, file);
  }
  loadFrom(file: string): boolean {
    return persistence.loadState(this, file);
  }

  // ---------------------------------------------------------------- lookups (404 on a miss)

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
  /** By SID or unique name: Twilio's `/TaskChannels/{Sid}` takes either (state/taskChannels.ts). */
  taskChannel(ws: string, ref: string): TaskChannelRec {
    const byName = taskChannels.byUniqueName(this, ws, ref);
    return byName ?? this.child(this.taskChannels, ws, "TaskChannels", ref);
  }

  /** Reservation in the scope of a task or a worker; a mismatch is a 404 like any unknown sid. */
  reservation(ws: string, scope: reservations.ReservationScope, sid: string): ReservationRec {
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

  /** A task's reservations in creation order (live array: do not modify). */
  taskReservations(taskSid: string): readonly ReservationRec[] {
    return this.reservationsOfTask.get(taskSid) ?? [];
  }

  /** Adds a new reservation to the map and the by-task index. */
  addReservation(r: ReservationRec): void {
    this.reservations.set(r.sid, r);
    const ofTask = this.reservationsOfTask.get(r.taskSid);
    if (ofTask) ofTask.push(r);
    else this.reservationsOfTask.set(r.taskSid, [r]);
  }

  /** Rebuilds the by-task index after bulk changes (reset, load, deletes). */
  indexReservations(): void {
    this.reservationsOfTask.clear();
    for (const r of this.reservations.values()) {
      const ofTask = this.reservationsOfTask.get(r.taskSid);
      if (ofTask) ofTask.push(r);
      else this.reservationsOfTask.set(r.taskSid, [r]);
    }
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
    if (isParkingQueue(q.targetWorkers)) return false;
    return evaluate(compiled(q.targetWorkers), this.workerContext(w));
  }

  // ---------------------------------------------------------------- operations (rules per resource)

  createWorkspace(input: workspaces.WorkspaceInput): WorkspaceRec {
    return workspaces.createWorkspace(this, input);
  }
  updateWorkspace(sid: string, input: workspaces.WorkspaceUpdate): WorkspaceRec {
    return workspaces.updateWorkspace(this, sid, input);
  }
  deleteWorkspace(sid: string): void {
    workspaces.deleteWorkspace(this, sid);
  }

  createActivity(ws: string, input: activities.ActivityInput): ActivityRec {
    return activities.createActivity(this, ws, input);
  }
  updateActivity(ws: string, sid: string, input: activities.ActivityUpdate): ActivityRec {
    return activities.updateActivity(this, ws, sid, input);
  }
  deleteActivity(ws: string, sid: string): void {
    activities.deleteActivity(this, ws, sid);
  }

  createWorker(ws: string, input: workers.WorkerInput): WorkerRec {
    return workers.createWorker(this, ws, input);
  }
  updateWorker(ws: string, sid: string, input: workers.WorkerUpdate, ifMatch?: string): WorkerRec {
    return workers.updateWorker(this, ws, sid, input, ifMatch);
  }
  deleteWorker(ws: string, sid: string, ifMatch?: string): void {
    workers.deleteWorker(this, ws, sid, ifMatch);
  }

  createTaskQueue(ws: string, input: taskQueues.TaskQueueInput): TaskQueueRec {
    return taskQueues.createTaskQueue(this, ws, input);
  }
  updateTaskQueue(ws: string, sid: string, input: taskQueues.TaskQueueUpdate): TaskQueueRec {
    return taskQueues.updateTaskQueue(this, ws, sid, input);
  }
  deleteTaskQueue(ws: string, sid: string): void {
    taskQueues.deleteTaskQueue(this, ws, sid);
  }

  createWorkflow(ws: string, input: workflows.WorkflowInput): WorkflowRec {
    return workflows.createWorkflow(this, ws, input);
  }
  updateWorkflow(ws: string, sid: string, input: workflows.WorkflowUpdate): WorkflowRec {
    return workflows.updateWorkflow(this, ws, sid, input);
  }
  deleteWorkflow(ws: string, sid: string): void {
    workflows.deleteWorkflow(this, ws, sid);
  }
  /** Checks a workflow document against the workspace (400 naming the path on a problem). */
  checkConfiguration(ws: string, configuration: string): void {
    workflows.checkConfiguration(this, ws, configuration);
  }
  /** The queue a task with these attributes enters first under a workflow. */
  firstQueue(wf: WorkflowRec, attributes: string): string | null {
    return workflows.firstQueue(wf, attributes);
  }

  createTaskChannel(ws: string, input: taskChannels.TaskChannelInput): TaskChannelRec {
    return taskChannels.createTaskChannel(this, ws, input);
  }
  updateTaskChannel(
    ws: string,
    sid: string,
    input: taskChannels.TaskChannelUpdate,
  ): TaskChannelRec {
    return taskChannels.updateTaskChannel(this, ws, sid, input);
  }
  deleteTaskChannel(ws: string, sid: string): void {
    taskChannels.deleteTaskChannel(this, ws, sid);
  }
  /** A worker's channels, one per task channel of the workspace. */
  listWorkerChannels(ws: string, workerSid: string): WorkerChannelRec[] {
    return taskChannels.listWorkerChannels(this, ws, workerSid);
  }
  /** A worker channel by WC SID, task channel SID or task channel unique name (404 on a miss). */
  workerChannel(ws: string, workerSid: string, ref: string): WorkerChannelRec {
    return taskChannels.workerChannel(this, ws, workerSid, ref);
  }
  updateWorkerChannel(
    ws: string,
    workerSid: string,
    ref: string,
    input: taskChannels.WorkerChannelUpdate,
  ): WorkerChannelRec {
    return taskChannels.updateWorkerChannel(this, ws, workerSid, ref, input);
  }
  /** Reservations holding capacity on a worker channel (`assigned_tasks`). */
  channelLoad(workerSid: string, taskChannelSid: string): number {
    return taskChannels.channelLoad(this, workerSid, taskChannelSid);
  }
  /** Routing hook: a worker's capacity and availability on a task channel (no lookups, no 404). */
  channelCapacity(
    workerSid: string,
    taskChannelSid: string,
  ): { capacity: number; available: boolean } {
    return taskChannels.channelCapacity(this, workerSid, taskChannelSid);
  }

  createTask(ws: string, input: tasks.TaskInput): TaskRec {
    return tasks.createTask(this, ws, input);
  }
  updateTask(ws: string, sid: string, input: tasks.TaskUpdate, ifMatch?: string): TaskRec {
    return tasks.updateTask(this, ws, sid, input, ifMatch);
  }
  deleteTask(ws: string, sid: string, ifMatch?: string): void {
    tasks.deleteTask(this, ws, sid, ifMatch);
  }
  /** Engine hook: a task status change with its reservations' side effects. */
  setTaskStatus(t: TaskRec, status: TaskStatus, reason: string | null): void {
    tasks.setTaskStatus(this, t, status, reason);
  }
  /** Engine hook: put a task into (another) queue. */
  moveTask(t: TaskRec, taskQueueSid: string | null, priority?: number): void {
    tasks.moveTask(this, t, taskQueueSid, priority);
  }

  /** Engine hook: reserve a task for a worker. */
  createReservation(ws: string, taskSid: string, workerSid: string): ReservationRec {
    return reservations.createReservation(this, ws, taskSid, workerSid);
  }
  /** Engine hook: a reservation status change with the task side effects (no validation). */
  setReservationStatus(r: ReservationRec, status: ReservationStatus): void {
    reservations.setReservationStatus(this, r, status);
  }
  updateReservation(
    ws: string,
    scope: reservations.ReservationScope,
    sid: string,
    input: reservations.ReservationUpdate,
    ifMatch?: string,
  ): ReservationRec {
    return reservations.updateReservation(this, ws, scope, sid, input, ifMatch);
  }

  updatePhoneNumber(sid: string, input: phoneNumbers.PhoneNumberUpdate): PhoneNumberRec {
    return phoneNumbers.updatePhoneNumber(this, sid, input);
  }
}
