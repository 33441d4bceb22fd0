/**
 * The routing engine: what TaskRouter does with the objects the store holds (https://www.twilio.com/docs/taskrouter/workflow-configuration, https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment, https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks).
 * It listens on `store.events`, keeps each task's place on its workflow route, reserves available
 * workers, runs reservation and target timers on a `Clock`, calls the assignment callback and carries
 * out its instruction, and posts event callbacks. All outgoing HTTP goes through an injectable
 * `Deliver`, so a simulator can run it in-process with a virtual clock and no network.
 *
 * Store events are handled synchronously only to note what changed (and to snapshot event-callback
 * payloads); every change the engine itself makes happens afterwards in `pump`, a microtask, so the
 * store is never mutated from inside one of its own events.
 *
 * Choices where Twilio's documentation is silent (see emulator/README.md, "Routing engine"):
 * - A worker who rejects a task is not offered the same task again.
 * - A canceled or rescinded reservation puts a single-tasking worker still in the queue's reservation
 *   activity back into the activity they had before.
 * - A task that falls past its last target is canceled with reason "Task canceled on Workflow timeout";
 *   TTL expiry uses "Task TTL Exceeded".
 * - Assignment callback failures are recorded with: 11200 (transport error, non-2xx status or the
 *   5 s limit on the real clock), 40000 (Content-Type not application/json), 40001 (body not JSON),
 *   40005 (no instruction), and the instruction codes of https://www.twilio.com/docs/api/errors. A 2xx with an empty body is
 *   Twilio's manual mode: nothing is recorded and the reservation waits for REST.
 * - Multitasking workspaces: tasks per channel up to the worker channel's capacity (default 1).
 */
import { parseConfiguration, routingSteps, type WorkerView } from "../../infra/taskrouter/routing";
import type { Clock } from "./clock";
import { fetchDeliver, type Deliver } from "./deliver";
import type {
  ReservationRec,
  Store,
  StoreEvents,
  TaskQueueRec,
  TaskRec,
  WorkerRec,
  WorkflowRec,
} from "../state/store";
import {
  RECORD_LIMIT,
  TTL_REASON,
  VoiceBridge,
  EngineOptions,
  RoutingFailure,
  CallbackFailure,
  CallbackRecord,
  Routed,
  ReservationState,
  Intent,
  Instruction,
  parseAttributes,
  Listener,
} from "./context";
import {
  refreshIdle,
  markBusy,
  schedule,
  fromTimer,
  unlist,
  dirtyQueue,
  workersOf,
  armReservationTimer,
  setActivity,
} from "./assignment";
import { assignmentParams, carryOut, restInstruction } from "./instructions";
import { watchKnownWorker } from "./knownWorker";
import { WorkerIndex } from "./workerIndex";
import {
  activityName,
  taskEvent,
  reservationEvent,
  workerEvent,
  workerChannelEvents,
  eventName,
  EventHistory,
} from "./events";
export {
  WORKFLOW_TIMEOUT_REASON,
  TTL_REASON,
  MAX_ASSIGNMENTS_REASON,
  type VoiceBridge,
  type EngineOptions,
  type RoutingFailure,
  type CallbackFailure,
  type CallbackRecord,
  type Instruction,
} from "./context";
export { newCallSid } from "./instructions";

/** Facade: holds the state; the routing, instruction and event work lives in assignment.ts, instructions.ts and events.ts. Fields are internal to taskrouter/. */
export class Engine {
  readonly clock: Clock;
  readonly failures: CallbackFailure[] = [];
  readonly routingFailures: RoutingFailure[] = [];
  readonly routingFailureKeys = new Set<string>();
  /** The newest RECORD_LIMIT event-callback records (events.ts `record` trims in batches). */
  get callbacks(): CallbackRecord[] {
    const log = this.callbackLog;
    if (log.length > RECORD_LIMIT) log.splice(0, log.length - RECORD_LIMIT);
    return log;
  }
  readonly callbackLog: CallbackRecord[] = [];
  /** Every event, for `GET /Events` and the statistics (events.ts). */
  readonly history = new EventHistory();
  /** Set by the voice layer; without it dequeue/call/redirect fail with Twilio's codes. */
  voice: VoiceBridge | null = null;

  readonly store: Store;
  readonly deliver: Deliver;
  readonly authToken: string;
  readonly callbackTimeoutMs: number;
  readonly onChange?: () => void;
  readonly routed = new Map<string, Routed>();
  readonly byQueue = new Map<string, Set<Routed>>();
  readonly sortedQueues = new Map<string, Routed[]>();
  readonly reservations = new Map<string, ReservationState>();
  /** Task → how many of its reservations are pending. */
  readonly pendingByTask = new Map<string, number>();
  /** Worker → their pending/accepted/wrapping reservation SIDs. */
  readonly busy = new Map<string, Set<string>>();
  readonly lastReservedAt = new Map<string, number>();
  /** Worker → when they last stopped holding any reservation (channel_optimized_routing). */
  readonly idleSince = new Map<string, number>();
  /** Each worker's queues and each queue's idle members (workerIndex.ts). */
  readonly index = new WorkerIndex();
  /** Workspace → SIDs of workers who could take a task now. */
  readonly idle = new Map<string, Set<string>>();
  readonly workerSeq = new Map<string, number>();
  readonly views = new Map<string, { revision: number; view: WorkerView }>();
  readonly eventChains = new Map<string, Promise<void>>();
  intents: Intent[] = [];
  pumpScheduled = false;
  seq = 0;
  stopped = false;
  readonly listeners: Array<[string, Listener]> = [];

  constructor(store: Store, options: EngineOptions) {
    this.store = store;
    this.clock = options.clock;
    this.deliver = options.deliver ?? fetchDeliver;
    this.authToken = options.authToken;
    this.callbackTimeoutMs = options.callbackTimeoutMs ?? 5000;
    this.onChange = options.onChange;
    store.now = () => new Date(this.clock.now());
    store.instructionHandler = (r, p) => restInstruction(this, r, p);
    this.listen();
    this.adopt();
  }

  /** Detaches from the store and cancels every timer. */
  stop(): void {
    this.stopped = true;
    for (const [name, fn] of this.listeners) this.store.events.off(name, fn);
    this.clear();
    if (this.store.instructionHandler) this.store.instructionHandler = null;
  }

  /** Resolves when every callback in flight has been answered and the engine is idle. */
  settle(): Promise<void> {
    return this.clock.settle();
  }

  // ------------------------------------------------------------------------------ store events

  private on<K extends keyof StoreEvents>(name: K, fn: (payload: StoreEvents[K]) => void): void {
    this.store.events.on(name, fn);
    this.listeners.push([name, fn as Listener]);
  }

  private listen(): void {
    this.on("task.created", ({ task }) => {
      this.track(task);
      taskEvent(this, "task.created", task, `Task ${task.sid} created`);
    });
    this.on("task.updated", ({ task, previous }) => this.taskUpdated(task, previous));
    this.on("task.canceled", ({ task, reason }) => {
      this.finish(task.sid);
      taskEvent(this, "task.canceled", task, `Task ${task.sid} canceled`, {
        TaskCanceledReason: reason ?? "",
      });
    });
    this.on("task.completed", ({ task, reason }) => {
      this.finish(task.sid);
      taskEvent(this, "task.completed", task, `Task ${task.sid} completed`, {
        TaskCompletedReason: reason ?? "",
      });
    });
    this.on("task.deleted", ({ task }) => {
      this.finish(task.sid);
      taskEvent(this, "task.deleted", task, `Task ${task.sid} deleted`);
    });
    this.on("reservation.created", ({ reservation }) => {
      markBusy(this, reservation);
      this.countPending(reservation.taskSid, 1);
      reservationEvent(this, "reservation.created", reservation);
    });
    this.on("reservation.updated", ({ reservation, previous }) => {
      markBusy(this, reservation);
      if (previous.reservationStatus === "pending" && reservation.reservationStatus !== "pending") {
        this.countPending(reservation.taskSid, -1);
      }
      if (reservation.reservationStatus !== previous.reservationStatus) {
        const state = this.reservations.get(reservation.sid);
        if (state && reservation.reservationStatus !== "pending") {
          state.settled = true;
          this.clock.cancel(state.timer);
        }
        this.intents.push({ kind: "reservation", reservation, previous });
        reservationEvent(
          this,
          `reservation.${eventName(reservation.reservationStatus)}`,
          reservation,
        );
        schedule(this);
      }
    });
    this.on("worker.created", ({ worker }) => {
      refreshIdle(this, worker.sid);
      workerEvent(this, "worker.created", worker, `Worker ${worker.friendlyName} created`);
      schedule(this);
    });
    this.on("worker.updated", ({ worker, previous, activityChanged }) => {
      this.views.delete(worker.sid);
      refreshIdle(this, worker.sid);
      if (activityChanged) {
        const inPrevious = Math.max(0, this.clock.now() - Date.parse(previous.dateStatusChanged));
        workerEvent(
          this,
          "worker.activity.update",
          worker,
          `Worker ${worker.friendlyName} updated to ${activityName(this, worker.activitySid)} Activity`,
          {
            WorkerPreviousActivitySid: previous.activitySid,
            WorkerPreviousActivityName: activityName(this, previous.activitySid),
            WorkerTimeInPreviousActivity: String(Math.floor(inPrevious / 1000)),
            WorkerTimeInPreviousActivityMs: String(inPrevious),
          },
        );
      }
      if (worker.attributes !== previous.attributes) {
        workerEvent(
          this,
          "worker.attributes.update",
          worker,
          `Worker ${worker.friendlyName} attributes updated`,
        );
      }
      schedule(this);
    });
    this.on("workerchannel.updated", ({ workerChannel, previous }) => {
      workerChannelEvents(this, workerChannel, previous);
      schedule(this);
    });
    this.on("worker.deleted", ({ worker }) => {
      this.index.membership.delete(worker.sid);
      this.busy.delete(worker.sid);
      refreshIdle(this, worker.sid);
      this.workerSeq.delete(worker.sid);
      workerEvent(this, "worker.deleted", worker, `Worker ${worker.friendlyName} deleted`);
    });
    const queuesChanged = () => {
      this.index.queuesChanged();
      this.views.clear();
      this.sortedQueues.clear();
      schedule(this);
    };
    this.on("taskqueue.created", queuesChanged);
    this.on("taskqueue.updated", queuesChanged);
    this.on("taskqueue.deleted", queuesChanged);
    this.on("activity.updated", queuesChanged);
    this.on("workspace.updated", ({ workspace }) => {
      for (const w of workersOf(this, workspace.sid)) refreshIdle(this, w.sid);
      schedule(this);
    });
    this.on("workflow.updated", ({ workflow, reEvaluateTasks }) => {
      if (!reEvaluateTasks) return;
      for (const r of this.routed.values()) {
        if (r.workflowSid === workflow.sid) this.replan(r, workflow);
      }
      schedule(this);
    });
    this.on("workspace.deleted", ({ workspace }) => {
      for (const r of [...this.routed.values()]) if (r.ws === workspace.sid) this.finish(r.sid);
    });
    this.on("state.reset", () => (this.clear(), this.history.clear()));
  }

  /** Tasks already in the store (loaded state): route the live ones again from their age. */
  private adopt(): void {
    for (const w of this.store.workers.values()) refreshIdle(this, w.sid);
    for (const t of this.store.tasks.values()) {
      if (t.assignmentStatus === "pending" || t.assignmentStatus === "reserved") this.track(t);
    }
    for (const r of this.store.reservations.values()) {
      markBusy(this, r);
      if (r.reservationStatus === "pending") {
        this.countPending(r.taskSid, 1);
        const t = this.store.tasks.get(r.taskSid);
        const wf = t?.workflowSid ? this.store.workflows.get(t.workflowSid) : undefined;
        armReservationTimer(this, r, wf);
      }
    }
  }

  private clear(): void {
    for (const r of this.routed.values()) {
      this.clock.cancel(r.stepTimer);
      this.clock.cancel(r.ttlTimer);
    }
    for (const s of this.reservations.values()) this.clock.cancel(s.timer);
    this.routed.clear();
    this.byQueue.clear();
    this.sortedQueues.clear();
    this.reservations.clear();
    this.busy.clear();
    this.idle.clear();
    this.workerSeq.clear();
    this.pendingByTask.clear();
    this.index.queuesChanged();
    this.views.clear();
    this.lastReservedAt.clear();
    this.idleSince.clear();
    this.intents = [];
    this.failures.length = 0;
    this.callbackLog.length = 0;
  }

  private track(task: TaskRec): void {
    const live = this.store.tasks.get(task.sid);
    if (!live || this.routed.has(task.sid)) return;
    const r: Routed = {
      sid: live.sid,
      ws: live.workspaceSid,
      seq: this.seq++,
      steps: [],
      pos: null,
      needsPlacement: true,
      queue: null,
      rejectedBy: new Set(),
      assignments: 0,
      workflowSid: null,
      since: Date.parse(live.virtualStartTime),
    };
    const target = live.routingTarget;
    if (target?.startsWith("WK")) {
      r.knownWorker = target;
      watchKnownWorker(this, r);
    }
    const wfSid = target?.startsWith("WW") ? target : live.workflowSid;
    const wf = wfSid ? this.store.workflows.get(wfSid) : undefined;
    const directQueue = target?.startsWith("WQ") ? target : live.taskQueueSid;
    if (wf && !target?.startsWith("WQ")) {
      r.workflowSid = wf.sid;
      r.steps = routingSteps(
        parseConfiguration(wf.configuration),
        parseAttributes(live.attributes),
      );
    } else if (directQueue) {
      r.steps = [
        { filterIndex: null, filterName: "TaskQueue", targetIndex: 0, queue: directQueue },
      ];
    } else if (r.knownWorker) {
      // RoutingTarget=WK… without a workflow: no queue; knownWorker.ts offers it to the worker.
      r.steps = [{ filterIndex: null, filterName: "Worker", targetIndex: 0, queue: "" }];
    }
    this.routed.set(r.sid, r);
    const ttlAt = Date.parse(live.dateCreated) + live.timeout * 1000;
    // A canceled timer stays on the virtual clock until its time: it holds the SID, not the task's state.
    const sid = r.sid;
    r.ttlTimer = this.clock.setTimer(ttlAt, () =>
      fromTimer(this, () => {
        const t = this.store.tasks.get(sid);
        if (t && (t.assignmentStatus === "pending" || t.assignmentStatus === "reserved")) {
          this.store.setTaskStatus(t, "canceled", TTL_REASON);
        }
      }),
    );
    this.intents.push({ kind: "place", taskSid: r.sid });
    schedule(this);
  }

  private replan(r: Routed, wf?: WorkflowRec): void {
    const t = this.store.tasks.get(r.sid);
    const workflow = wf ?? (r.workflowSid ? this.store.workflows.get(r.workflowSid) : undefined);
    if (!t || !workflow) return;
    r.steps = routingSteps(
      parseConfiguration(workflow.configuration),
      parseAttributes(t.attributes),
    );
    r.pos = null;
    r.needsPlacement = true;
    this.intents.push({ kind: "place", taskSid: r.sid });
  }

  private taskUpdated(task: TaskRec, previous: TaskRec): void {
    const r = this.routed.get(task.sid);
    if (task.attributes !== previous.attributes || task.priority !== previous.priority) {
      taskEvent(this, "task.updated", task, `Task ${task.sid} updated`);
    }
    if (task.assignmentStatus === "wrapping" && previous.assignmentStatus !== "wrapping") {
      taskEvent(this, "task.wrapup", task, `Task ${task.sid} wrapping up`);
    }
    if (!r) return;
    if (task.attributes !== previous.attributes && r.workflowSid) this.replan(r);
    r.since = Date.parse(task.virtualStartTime);
    if (
      task.priority !== previous.priority ||
      task.taskQueueSid !== previous.taskQueueSid ||
      task.virtualStartTime !== previous.virtualStartTime
    ) {
      dirtyQueue(this, previous.taskQueueSid);
      dirtyQueue(this, task.taskQueueSid);
    }
    if (task.assignmentStatus !== previous.assignmentStatus) {
      dirtyQueue(this, task.taskQueueSid);
      if (task.assignmentStatus === "pending") {
        r.needsPlacement = true;
        this.intents.push({ kind: "place", taskSid: r.sid });
      } else if (task.assignmentStatus === "assigned") {
        // The workflow is done once a reservation is accepted.
        this.clock.cancel(r.stepTimer);
        unlist(this, r);
      }
    }
    schedule(this);
  }

  /** Forget a task that can no longer be routed (canceled, completed, deleted). */
  private finish(taskSid: string): void {
    const r = this.routed.get(taskSid);
    if (!r) return;
    this.clock.cancel(r.stepTimer);
    this.clock.cancel(r.ttlTimer);
    unlist(this, r);
    this.routed.delete(taskSid);
    schedule(this);
  }

  private countPending(taskSid: string, delta: number): void {
    const n = (this.pendingByTask.get(taskSid) ?? 0) + delta;
    if (n > 0) this.pendingByTask.set(taskSid, n);
    else this.pendingByTask.delete(taskSid);
  }

  /** After a reservation left pending (through the engine or REST). */
  reservationChanged(reservation: ReservationRec, previous: ReservationRec): void {
    const status = reservation.reservationStatus;
    const state = this.reservations.get(reservation.sid);
    const worker = this.store.workers.get(reservation.workerSid);
    const ws = this.store.workspaces.get(reservation.workspaceSid);
    const r = this.routed.get(reservation.taskSid);
    if (status === "rejected" && r) r.rejectedBy.add(reservation.workerSid);
    if (
      status === "accepted" &&
      previous.reservationStatus === "pending" &&
      worker &&
      ws &&
      !ws.multiTaskEnabled
    ) {
      const t = this.store.tasks.get(reservation.taskSid);
      const q = t?.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
      if (q?.assignmentActivitySid) setActivity(this, worker, q.assignmentActivitySid);
    }
    if ((status === "canceled" || status === "rescinded") && worker && state?.previousActivity) {
      const t = this.store.tasks.get(reservation.taskSid);
      const q = t?.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
      if (q?.reservationActivitySid === worker.activitySid)
        setActivity(this, worker, state.previousActivity);
    }
    if (status === "rejected" && worker && state?.previousActivity) {
      // REST reject with WorkerActivitySid has already moved the worker; otherwise restore.
      const t = this.store.tasks.get(reservation.taskSid);
      const q = t?.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
      if (q?.reservationActivitySid === worker.activitySid)
        setActivity(this, worker, state.previousActivity);
    }
    if (status !== "pending" && status !== "accepted" && status !== "wrapping") {
      this.reservations.delete(reservation.sid);
    }
  }

  /** The parameters of the assignment callback (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks). */
  assignmentParams(
    reservation: ReservationRec,
    t: TaskRec,
    q: TaskQueueRec,
    w: WorkerRec,
    wf: WorkflowRec,
  ): Record<string, string> {
    return assignmentParams(this, reservation, t, q, w, wf);
  }

  /** Carries out an assignment instruction on a pending reservation; throws InstructionError. */
  carryOut(reservation: ReservationRec, instruction: Instruction): void {
    carryOut(this, reservation, instruction);
  }
}
