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
 * - Multitasking workspaces: one task per channel at a time (every channel's capacity is 1).
 */
import { randomBytes } from "node:crypto";
import {
  chooseWorkers,
  compareTasks,
  countWorkers,
  inQueue,
  parseConfiguration,
  placeTask,
  routingSteps,
  skipIfHolds,
  targetAdmits,
  type QueuedTask,
  type RoutingStep,
  type WorkerView,
} from "../../infra/taskrouter/routing";
import type { Clock, TimerHandle } from "./clock";
import {
  describeFailure,
  fetchDeliver,
  signedRequest,
  type Deliver,
  type WebhookResponse,
} from "./deliver";
import { TwilioError } from "../errors";
import type {
  ReservationRec,
  Store,
  StoreEvents,
  TaskQueueRec,
  TaskRec,
  WorkerRec,
  WorkflowRec,
  WorkspaceRec,
} from "../state/store";

export const WORKFLOW_TIMEOUT_REASON = "Task canceled on Workflow timeout";
export const TTL_REASON = "Task TTL Exceeded";
export const MAX_ASSIGNMENTS_REASON = "Task canceled: Max Assignment Count reached";
const MAX_ASSIGNMENTS = 1000;
const DEFAULT_RESERVATION_TIMEOUT = 120;
const RECORD_LIMIT = 10_000;

/** An instruction error with Twilio's code (https://www.twilio.com/docs/api/errors). */
export class InstructionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "InstructionError";
  }
}

/** The voice side the engine hands calls to (voice/phone.ts implements it). */
export interface VoiceBridge {
  /** Bridges a waiting caller to `to`; throws InstructionError when the call cannot be found. */
  dequeue(order: {
    callSid: string;
    to: string;
    from: string;
    workerCallSid: string;
    postWorkActivitySid: string | null;
    timeout: number;
    reservation: ReservationRec;
  }): void;
  /** Places a call to the worker that runs the TwiML at `url`. */
  call(order: {
    to: string;
    from: string;
    url: string;
    workerCallSid: string;
    reservation: ReservationRec;
  }): void;
  /** Moves a caller out of the queue to the TwiML at `url`. */
  redirect(order: { callSid: string; url: string; reservation: ReservationRec }): void;
}

export interface EngineOptions {
  clock: Clock;
  /** Signs callbacks (X-Twilio-Signature). */
  authToken: string;
  deliver?: Deliver;
  /** How long an assignment callback may take on the real clock (Twilio: 5 s). */
  callbackTimeoutMs?: number;
  /** Called after changes the engine made on its own (timers, callbacks), e.g. to persist. */
  onChange?: () => void;
}

/**
 * A task the engine could not route because evaluating its workflow step threw (e.g. an `order_by`
 * the store accepted but the engine cannot read). Recorded, never swallowed: the task stays where it
 * was, and callers (the simulator) report it.
 */
export interface RoutingFailure {
  /** ISO time (clock time). */
  at: string;
  taskSid: string;
  /** Which workflow step, e.g. `filter "English", target 0`; null when the task had none yet. */
  step: string | null;
  message: string;
}

export interface CallbackFailure {
  /** ISO time (clock time). */
  at: string;
  reservationSid: string;
  taskSid: string;
  workerSid: string;
  url: string;
  /** Whether the failing URL was the workflow's fallback URL. */
  fallback: boolean;
  code: number;
  message: string;
}

export interface CallbackRecord {
  at: string;
  kind: "assignment" | "event";
  url: string;
  eventType?: string;
  reservationSid?: string;
  params: Record<string, string>;
  /** HTTP status; null when no response arrived. */
  status: number | null;
  error?: string;
}

interface Routed {
  sid: string;
  ws: string;
  seq: number;
  steps: RoutingStep[];
  /** Current step, in seconds of task age; null until first placed. */
  pos: { index: number; enteredAt: number } | null;
  needsPlacement: boolean;
  stepTimer?: TimerHandle;
  ttlTimer?: TimerHandle;
  /** Queue the task is listed in (its current step's queue). */
  queue: string | null;
  rejectedBy: Set<string>;
  assignments: number;
  /** RoutingTarget=WK…: only this worker. */
  knownWorker?: string;
  /** Workflow of the route (null for a task sent straight to a queue). */
  workflowSid: string | null;
  /** The task's virtual start time in ms (queue order), kept in step with the store. */
  since: number;
}

interface ReservationState {
  timer?: TimerHandle;
  /** The worker's activity before a reservation activity was applied. */
  previousActivity?: string;
  /** Set once the reservation leaves pending, so late callback answers are ignored. */
  settled: boolean;
}

type Intent =
  | { kind: "place"; taskSid: string }
  | { kind: "reservation"; reservation: ReservationRec; previous: ReservationRec };

/** Twilio's instruction JSON (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks). */
export interface Instruction {
  instruction?: unknown;
  [key: string]: unknown;
}

const nowIso = (clock: Clock) => new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const parseAttributes = (json: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(json) as unknown;
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
};
const ACTIVE_RESERVATION = new Set(["pending", "accepted", "wrapping"]);
type Listener = Parameters<Store["events"]["on"]>[1];

export class Engine {
  readonly clock: Clock;
  readonly failures: CallbackFailure[] = [];
  readonly routingFailures: RoutingFailure[] = [];
  private readonly routingFailureKeys = new Set<string>();
  readonly callbacks: CallbackRecord[] = [];
  /** Set by the voice layer; without it dequeue/call/redirect fail with Twilio's codes. */
  voice: VoiceBridge | null = null;

  private readonly store: Store;
  private readonly deliver: Deliver;
  private readonly authToken: string;
  private readonly callbackTimeoutMs: number;
  private readonly onChange?: () => void;
  private readonly routed = new Map<string, Routed>();
  private readonly byQueue = new Map<string, Set<Routed>>();
  private readonly sortedQueues = new Map<string, Routed[]>();
  private readonly reservations = new Map<string, ReservationState>();
  /** Task → how many of its reservations are pending. */
  private readonly pendingByTask = new Map<string, number>();
  /** Worker → their pending/accepted/wrapping reservation SIDs. */
  private readonly busy = new Map<string, Set<string>>();
  private readonly lastReservedAt = new Map<string, number>();
  /** Worker → queue → member? (cleared when the worker or the queue changes). */
  private readonly membership = new Map<string, Map<string, boolean>>();
  /** Workspace → SIDs of workers who could take a task now. */
  private readonly idle = new Map<string, Set<string>>();
  private readonly workerSeq = new Map<string, number>();
  private readonly views = new Map<string, { revision: number; view: WorkerView }>();
  private readonly eventChains = new Map<string, Promise<void>>();
  private intents: Intent[] = [];
  private pumpScheduled = false;
  private seq = 0;
  private stopped = false;
  private readonly listeners: Array<[string, Listener]> = [];

  constructor(store: Store, options: EngineOptions) {
    this.store = store;
    this.clock = options.clock;
    this.deliver = options.deliver ?? fetchDeliver;
    this.authToken = options.authToken;
    this.callbackTimeoutMs = options.callbackTimeoutMs ?? 5000;
    this.onChange = options.onChange;
    store.now = () => new Date(this.clock.now());
    store.instructionHandler = (r, p) => this.restInstruction(r, p);
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
      this.taskEvent("task.created", task, `Task ${task.sid} created`);
    });
    this.on("task.updated", ({ task, previous }) => this.taskUpdated(task, previous));
    this.on("task.canceled", ({ task, reason }) => {
      this.finish(task.sid);
      this.taskEvent("task.canceled", task, `Task ${task.sid} canceled`, {
        TaskCanceledReason: reason ?? "",
      });
    });
    this.on("task.completed", ({ task, reason }) => {
      this.finish(task.sid);
      this.taskEvent("task.completed", task, `Task ${task.sid} completed`, {
        TaskCompletedReason: reason ?? "",
      });
    });
    this.on("task.deleted", ({ task }) => {
      this.finish(task.sid);
      this.taskEvent("task.deleted", task, `Task ${task.sid} deleted`);
    });
    this.on("reservation.created", ({ reservation }) => {
      this.markBusy(reservation);
      this.countPending(reservation.taskSid, 1);
      this.reservationEvent("reservation.created", reservation);
    });
    this.on("reservation.updated", ({ reservation, previous }) => {
      this.markBusy(reservation);
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
        this.reservationEvent(
          `reservation.${eventName(reservation.reservationStatus)}`,
          reservation,
        );
        this.schedule();
      }
    });
    this.on("worker.created", ({ worker }) => {
      this.refreshIdle(worker.sid);
      this.workerEvent("worker.created", worker, `Worker ${worker.friendlyName} created`);
      this.schedule();
    });
    this.on("worker.updated", ({ worker, previous, activityChanged }) => {
      this.membership.delete(worker.sid);
      this.views.delete(worker.sid);
      this.refreshIdle(worker.sid);
      if (activityChanged) {
        this.workerEvent(
          "worker.activity.update",
          worker,
          `Worker ${worker.friendlyName} updated to ${this.activityName(worker.activitySid)} Activity`,
          {
            WorkerPreviousActivitySid: previous.activitySid,
            WorkerPreviousActivityName: this.activityName(previous.activitySid),
            WorkerTimeInPreviousActivity: String(
              Math.max(
                0,
                Math.floor((this.clock.now() - Date.parse(previous.dateStatusChanged)) / 1000),
              ),
            ),
          },
        );
      }
      if (worker.attributes !== previous.attributes) {
        this.workerEvent(
          "worker.attributes.update",
          worker,
          `Worker ${worker.friendlyName} attributes updated`,
        );
      }
      this.schedule();
    });
    this.on("worker.deleted", ({ worker }) => {
      this.membership.delete(worker.sid);
      this.busy.delete(worker.sid);
      this.refreshIdle(worker.sid);
      this.workerSeq.delete(worker.sid);
      this.workerEvent("worker.deleted", worker, `Worker ${worker.friendlyName} deleted`);
    });
    const queuesChanged = () => {
      this.membership.clear();
      this.views.clear();
      this.sortedQueues.clear();
      this.schedule();
    };
    this.on("taskqueue.created", queuesChanged);
    this.on("taskqueue.updated", queuesChanged);
    this.on("taskqueue.deleted", queuesChanged);
    this.on("activity.updated", queuesChanged);
    this.on("workspace.updated", ({ workspace }) => {
      for (const w of this.workersOf(workspace.sid)) this.refreshIdle(w.sid);
      this.schedule();
    });
    this.on("workflow.updated", ({ workflow, reEvaluateTasks }) => {
      if (!reEvaluateTasks) return;
      for (const r of this.routed.values()) {
        if (r.workflowSid === workflow.sid) this.replan(r, workflow);
      }
      this.schedule();
    });
    this.on("workspace.deleted", ({ workspace }) => {
      for (const r of [...this.routed.values()]) if (r.ws === workspace.sid) this.finish(r.sid);
    });
    this.on("state.reset", () => this.clear());
  }

  /** Tasks already in the store (loaded state): route the live ones again from their age. */
  private adopt(): void {
    for (const w of this.store.workers.values()) this.refreshIdle(w.sid);
    for (const t of this.store.tasks.values()) {
      if (t.assignmentStatus === "pending" || t.assignmentStatus === "reserved") this.track(t);
    }
    for (const r of this.store.reservations.values()) {
      this.markBusy(r);
      if (r.reservationStatus === "pending") {
        this.countPending(r.taskSid, 1);
        const t = this.store.tasks.get(r.taskSid);
        const wf = t?.workflowSid ? this.store.workflows.get(t.workflowSid) : undefined;
        this.armReservationTimer(r, wf);
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
    this.membership.clear();
    this.views.clear();
    this.lastReservedAt.clear();
    this.intents = [];
    this.failures.length = 0;
    this.callbacks.length = 0;
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
    }
    this.routed.set(r.sid, r);
    const ttlAt = Date.parse(live.dateCreated) + live.timeout * 1000;
    r.ttlTimer = this.clock.setTimer(ttlAt, () =>
      this.fromTimer(() => {
        const t = this.store.tasks.get(r.sid);
        if (t && (t.assignmentStatus === "pending" || t.assignmentStatus === "reserved")) {
          this.store.setTaskStatus(t, "canceled", TTL_REASON);
        }
      }),
    );
    this.intents.push({ kind: "place", taskSid: r.sid });
    this.schedule();
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
      this.taskEvent("task.updated", task, `Task ${task.sid} updated`);
    }
    if (task.assignmentStatus === "wrapping" && previous.assignmentStatus !== "wrapping") {
      this.taskEvent("task.wrapup", task, `Task ${task.sid} wrapping up`);
    }
    if (!r) return;
    if (task.attributes !== previous.attributes && r.workflowSid) this.replan(r);
    r.since = Date.parse(task.virtualStartTime);
    if (
      task.priority !== previous.priority ||
      task.taskQueueSid !== previous.taskQueueSid ||
      task.virtualStartTime !== previous.virtualStartTime
    ) {
      this.dirtyQueue(previous.taskQueueSid);
      this.dirtyQueue(task.taskQueueSid);
    }
    if (task.assignmentStatus !== previous.assignmentStatus) {
      this.dirtyQueue(task.taskQueueSid);
      if (task.assignmentStatus === "pending") {
        r.needsPlacement = true;
        this.intents.push({ kind: "place", taskSid: r.sid });
      } else if (task.assignmentStatus === "assigned") {
        // The workflow is done once a reservation is accepted.
        this.clock.cancel(r.stepTimer);
        this.unlist(r);
      }
    }
    this.schedule();
  }

  /** Forget a task that can no longer be routed (canceled, completed, deleted). */
  private finish(taskSid: string): void {
    const r = this.routed.get(taskSid);
    if (!r) return;
    this.clock.cancel(r.stepTimer);
    this.clock.cancel(r.ttlTimer);
    this.unlist(r);
    this.routed.delete(taskSid);
    this.schedule();
  }

  private countPending(taskSid: string, delta: number): void {
    const n = (this.pendingByTask.get(taskSid) ?? 0) + delta;
    if (n > 0) this.pendingByTask.set(taskSid, n);
    else this.pendingByTask.delete(taskSid);
  }

  /**
   * Keeps `idle` up to date for one worker: in an available activity and, single-tasking, without an
   * active reservation. Dispatch reads this set instead of scanning every worker.
   */
  private refreshIdle(workerSid: string): void {
    const w = this.store.workers.get(workerSid);
    if (!w) {
      for (const set of this.idle.values()) set.delete(workerSid);
      return;
    }
    if (!this.workerSeq.has(w.sid)) this.workerSeq.set(w.sid, this.seq++);
    const ws = this.store.workspaces.get(w.workspaceSid);
    const active = this.busy.get(w.sid);
    const idle =
      !!this.store.activities.get(w.activitySid)?.available &&
      (!!ws?.multiTaskEnabled || !active || active.size === 0);
    let set = this.idle.get(w.workspaceSid);
    if (!set) this.idle.set(w.workspaceSid, (set = new Set()));
    if (idle) set.add(w.sid);
    else set.delete(w.sid);
  }

  /** The workspace's idle workers in creation order (round robin's last tie-breaker). */
  private freeWorkers(ws: WorkspaceRec): WorkerRec[] {
    const set = this.idle.get(ws.sid);
    if (!set || set.size === 0) return [];
    const out: WorkerRec[] = [];
    for (const sid of set) {
      const w = this.store.workers.get(sid);
      if (w) out.push(w);
    }
    const seq = (w: WorkerRec) => this.workerSeq.get(w.sid) ?? 0;
    return out.sort((a, b) => seq(a) - seq(b));
  }

  private markBusy(r: ReservationRec): void {
    let set = this.busy.get(r.workerSid);
    if (ACTIVE_RESERVATION.has(r.reservationStatus)) {
      if (!set) this.busy.set(r.workerSid, (set = new Set()));
      set.add(r.sid);
    } else if (set) {
      set.delete(r.sid);
      if (set.size === 0) this.busy.delete(r.workerSid);
    }
    this.refreshIdle(r.workerSid);
  }

  // ------------------------------------------------------------------------------ the pump

  private schedule(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    queueMicrotask(() => this.pump());
  }

  private fromTimer(work: () => void): void {
    if (this.stopped) return;
    work();
    this.schedule();
    this.onChange?.();
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (this.stopped) return;
    try {
      let rounds = 0;
      while (this.intents.length > 0 && rounds++ < 1000) {
        const intents = this.intents;
        this.intents = [];
        for (const intent of intents) {
          if (intent.kind === "place")
            this.routing(intent.taskSid, () => this.place(intent.taskSid));
          else this.reservationChanged(intent.reservation, intent.previous);
        }
      }
      this.dispatch();
    } catch (err) {
      process.stderr.write(`emulator engine: ${(err as Error).stack ?? String(err)}\n`);
    }
  }

  /** Runs one task's routing step; a throw is recorded against the task (and logged), not lost. */
  private routing(taskSid: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      const r = this.routed.get(taskSid);
      const step = r?.pos ? r.steps[r.pos.index] : undefined;
      const failure: RoutingFailure = {
        at: nowIso(this.clock),
        taskSid,
        step: step ? `filter ${JSON.stringify(step.filterName)}, target ${step.targetIndex}` : null,
        message: err instanceof Error ? err.message : String(err),
      };
      const key = `${taskSid}\n${failure.message}`;
      if (this.routingFailureKeys.has(key)) return; // the same step fails again on every pass
      this.routingFailureKeys.add(key);
      this.routingFailures.push(failure);
      const where = failure.step ? ` (${failure.step})` : "";
      process.stderr.write(`emulator engine: task ${taskSid}${where}: ${failure.message}\n`);
    }
  }

  // ------------------------------------------------------------------------------ placement

  private ageOf(t: TaskRec): number {
    return (this.clock.now() - Date.parse(t.virtualStartTime)) / 1000;
  }

  private place(taskSid: string): void {
    const r = this.routed.get(taskSid);
    const t = this.store.tasks.get(taskSid);
    if (!r || !t || !r.needsPlacement) return;
    if (t.assignmentStatus !== "pending") return;
    r.needsPlacement = false;
    const first = r.pos === null;
    const skipped: RoutingStep[] = [];
    const placement = placeTask(r.steps, this.ageOf(t), {
      from: r.pos ?? undefined,
      skip: (step) => {
        if (step.skipIf === undefined) return false;
        const queue = this.store.taskQueues.get(step.queue);
        if (!queue || this.candidates(t, r, step, queue).length > 0) return false;
        const members = this.workersOf(t.workspaceSid).filter((w) => this.isMember(w, queue));
        const skip = skipIfHolds(step.skipIf, countWorkers(members.map((w) => this.view(w))));
        if (skip) skipped.push(step);
        return skip;
      },
    });
    for (const step of skipped) {
      this.taskEvent(
        "workflow.skipped",
        t,
        `Task ${t.sid} skipped a target of ${step.filterName}`,
        {
          WorkflowFilterName: step.filterName,
          WorkflowFilterTargetIndex: String(step.targetIndex),
        },
      );
    }
    this.clock.cancel(r.stepTimer);
    if (placement.kind === "fell-out") {
      if (r.steps.length > 0)
        this.taskEvent("workflow.timeout", t, `Task ${t.sid} fell out of the workflow`);
      this.unlist(r);
      this.store.setTaskStatus(t, "canceled", WORKFLOW_TIMEOUT_REASON);
      return;
    }
    const changedStep = first || r.pos?.index !== placement.index;
    r.pos = { index: placement.index, enteredAt: placement.enteredAt };
    const step = placement.step;
    if (first && r.workflowSid) {
      this.taskEvent("workflow.entered", t, `Task ${t.sid} entered the workflow`);
    }
    if (changedStep && r.workflowSid) {
      this.taskEvent(
        "workflow.target-matched",
        t,
        `Task ${t.sid} matched a target of ${step.filterName}`,
        {
          WorkflowFilterName: step.filterName,
          WorkflowFilterTargetIndex: String(step.targetIndex),
        },
      );
    }
    const priority =
      step.priority !== undefined && step.priority !== t.priority ? step.priority : undefined;
    if (t.taskQueueSid !== step.queue || priority !== undefined) {
      const moved = t.taskQueueSid !== null && t.taskQueueSid !== step.queue;
      this.store.moveTask(t, step.queue, priority);
      if (moved)
        this.taskEvent("task-queue.moved", t, `Task ${t.sid} moved to queue ${step.queue}`);
    }
    if (changedStep && (first || r.queue !== step.queue)) {
      this.taskEvent("task-queue.entered", t, `Task ${t.sid} entered queue ${step.queue}`);
    }
    this.list(r, step.queue);
    if (placement.deadline !== null) {
      const at = Date.parse(t.virtualStartTime) + placement.deadline * 1000;
      r.stepTimer = this.clock.setTimer(at, () =>
        this.fromTimer(() => {
          r.needsPlacement = true;
          this.intents.push({ kind: "place", taskSid: r.sid });
        }),
      );
    }
  }

  private list(r: Routed, queue: string): void {
    if (r.queue === queue) return;
    this.unlist(r);
    r.queue = queue;
    let set = this.byQueue.get(queue);
    if (!set) this.byQueue.set(queue, (set = new Set()));
    set.add(r);
    this.sortedQueues.delete(queue);
  }

  private unlist(r: Routed): void {
    if (r.queue === null) return;
    this.byQueue.get(r.queue)?.delete(r);
    this.sortedQueues.delete(r.queue);
    r.queue = null;
  }

  private dirtyQueue(queue: string | null): void {
    if (queue) this.sortedQueues.delete(queue);
  }

  // ------------------------------------------------------------------------------ dispatch

  private workersOf(ws: string): WorkerRec[] {
    const out: WorkerRec[] = [];
    for (const w of this.store.workers.values()) if (w.workspaceSid === ws) out.push(w);
    return out;
  }

  private view(w: WorkerRec): WorkerView {
    // Parsing attributes for every candidate of every task is the hot path; cache per revision.
    const cached = this.views.get(w.sid);
    if (cached && cached.revision === w.revision && cached.view.activitySid === w.activitySid) {
      return cached.view;
    }
    const view = this.makeView(w);
    this.views.set(w.sid, { revision: w.revision, view });
    return view;
  }

  private makeView(w: WorkerRec): WorkerView {
    const activity = this.store.activities.get(w.activitySid);
    return {
      sid: w.sid,
      friendlyName: w.friendlyName,
      activitySid: w.activitySid,
      activityName: activity?.friendlyName ?? "",
      available: activity?.available ?? false,
      attributes: parseAttributes(w.attributes),
    };
  }

  private isMember(w: WorkerRec, q: TaskQueueRec): boolean {
    let byQueue = this.membership.get(w.sid);
    if (!byQueue) this.membership.set(w.sid, (byQueue = new Map()));
    let member = byQueue.get(q.sid);
    if (member === undefined) {
      member = inQueue(q.targetWorkers, this.view(w));
      byQueue.set(q.sid, member);
    }
    return member;
  }

  private hasCapacity(w: WorkerRec, t: TaskRec, ws: WorkspaceRec): boolean {
    const active = this.busy.get(w.sid);
    if (!active || active.size === 0) return true;
    if (!ws.multiTaskEnabled) return false;
    for (const sid of active) {
      const other = this.store.reservations.get(sid);
      const otherTask = other && this.store.tasks.get(other.taskSid);
      if (otherTask?.taskChannelSid === t.taskChannelSid) return false;
    }
    return true;
  }

  /** Workers who could be reserved for the task on this step right now. */
  private candidates(
    t: TaskRec,
    r: Routed,
    step: RoutingStep,
    q: TaskQueueRec,
    pool?: WorkerRec[],
  ): WorkerView[] {
    const ws = this.store.workspaces.get(t.workspaceSid);
    if (!ws) return [];
    const attrs = parseAttributes(t.attributes);
    const out: WorkerView[] = [];
    for (const w of pool ?? this.workersOf(t.workspaceSid)) {
      if (r.knownWorker !== undefined && w.sid !== r.knownWorker) continue;
      if (r.rejectedBy.has(w.sid)) continue;
      const view = this.view(w);
      if (!view.available || !this.hasCapacity(w, t, ws)) continue;
      if (r.knownWorker === undefined && !this.isMember(w, q)) continue;
      if (!targetAdmits(step.expression, attrs, view)) continue;
      out.push(view);
    }
    return out;
  }

  private queued(r: Routed, t: TaskRec): QueuedTask {
    return { sid: r.sid, priority: t.priority, since: r.since, seq: r.seq };
  }

  private sortedQueue(q: TaskQueueRec): Routed[] {
    let list = this.sortedQueues.get(q.sid);
    if (!list) {
      const entries = [...(this.byQueue.get(q.sid) ?? [])]
        .map((r) => ({ r, t: this.store.tasks.get(r.sid) }))
        .filter((e): e is { r: Routed; t: TaskRec } => e.t !== undefined);
      entries.sort((a, b) =>
        compareTasks(q.taskOrder, this.queued(a.r, a.t), this.queued(b.r, b.t)),
      );
      list = entries.map((e) => e.r);
      this.sortedQueues.set(q.sid, list);
    }
    return list;
  }

  /**
   * Reserves workers for waiting tasks. Per workspace: the free workers (available activity, spare
   * capacity); the queues with a free member; then tasks are taken across those queues in queue order
   * (FIFO before LIFO queues unless the workspace prioritises LIFO) and each gets its worker(s).
   */
  private dispatch(): void {
    for (const ws of this.store.workspaces.values()) {
      const free = this.freeWorkers(ws);
      if (free.length === 0) continue;
      const cursors: Array<{
        q: TaskQueueRec;
        list: Routed[];
        i: number;
        members: WorkerRec[];
        done: boolean;
      }> = [];
      for (const q of this.store.taskQueues.values()) {
        if (q.workspaceSid !== ws.sid || !this.byQueue.get(q.sid)?.size) continue;
        const members = free.filter((w) => this.isMember(w, q));
        const list = this.sortedQueue(q);
        const hasKnown = list.some((r) => r.knownWorker !== undefined);
        if (members.length === 0 && !hasKnown) continue;
        cursors.push({ q, list, i: 0, members: hasKnown ? free : members, done: false });
      }
      const rank = (order: "FIFO" | "LIFO") => (order === ws.prioritizeQueueOrder ? 0 : 1);
      const taken = new Set<string>();
      const single = !ws.multiTaskEnabled;
      // Tasks that could take another reservation now; others are stepped over cheaply.
      const offerable = (r: Routed, q: TaskQueueRec) => {
        const t = this.store.tasks.get(r.sid);
        if (!t) return undefined;
        if (t.assignmentStatus === "pending") return t;
        const more =
          t.assignmentStatus === "reserved" && !r.knownWorker && q.maxReservedWorkers > 1;
        return more ? t : undefined;
      };
      while (!single || taken.size < free.length) {
        let best: (typeof cursors)[number] | undefined;
        let bestTask: TaskRec | undefined;
        for (const c of cursors) {
          if (c.done) continue;
          if (single && c.members.every((w) => taken.has(w.sid))) {
            c.done = true;
            continue;
          }
          let t: TaskRec | undefined;
          while (c.i < c.list.length && !(t = offerable(c.list[c.i], c.q))) c.i++;
          if (!t) {
            c.done = true;
            continue;
          }
          if (!best || !bestTask) {
            best = c;
            bestTask = t;
            continue;
          }
          const a = this.queued(c.list[c.i], t);
          const b = this.queued(best.list[best.i], bestTask);
          const byRank = rank(c.q.taskOrder) - rank(best.q.taskOrder);
          const better = byRank !== 0 ? byRank < 0 : compareTasks(c.q.taskOrder, a, b) < 0;
          if (better) {
            best = c;
            bestTask = t;
          }
        }
        if (!best || !bestTask) break;
        const r = best.list[best.i++];
        const pool = single ? best.members.filter((w) => !taken.has(w.sid)) : best.members;
        this.routing(r.sid, () => this.offer(r, bestTask, best.q, ws, pool, taken));
      }
    }
  }

  private offer(
    r: Routed,
    t: TaskRec,
    q: TaskQueueRec,
    ws: WorkspaceRec,
    pool: WorkerRec[],
    taken: Set<string>,
  ): void {
    if (t.assignmentStatus !== "pending" && t.assignmentStatus !== "reserved") return;
    if (t.assignmentStatus === "reserved" && (r.knownWorker || q.maxReservedWorkers <= 1)) return;
    if (r.pos === null || r.needsPlacement) return;
    const step = r.steps[r.pos.index];
    if (!step) return;
    const pending = this.pendingByTask.get(t.sid) ?? 0;
    const room = (r.knownWorker ? 1 : q.maxReservedWorkers) - pending;
    if (room <= 0 || pool.length === 0) return;
    const candidates = this.candidates(t, r, step, q, pool);
    if (candidates.length === 0) return;
    const chosen = chooseWorkers(candidates, room, {
      orderBy: step.orderBy,
      lastReservedAt: (sid) => this.lastReservedAt.get(sid),
    });
    for (const w of chosen) {
      taken.add(w.sid);
      this.reserve(r, t, q, ws, this.store.workers.get(w.sid) as WorkerRec);
    }
  }

  private reserve(r: Routed, t: TaskRec, q: TaskQueueRec, ws: WorkspaceRec, w: WorkerRec): void {
    r.assignments++;
    if (r.assignments > MAX_ASSIGNMENTS) {
      this.store.setTaskStatus(t, "canceled", MAX_ASSIGNMENTS_REASON);
      return;
    }
    const reservation = this.store.createReservation(ws.sid, t.sid, w.sid);
    this.lastReservedAt.set(w.sid, this.clock.now());
    const state: ReservationState = { settled: false };
    this.reservations.set(reservation.sid, state);
    if (
      !ws.multiTaskEnabled &&
      q.reservationActivitySid &&
      w.activitySid !== q.reservationActivitySid
    ) {
      state.previousActivity = w.activitySid;
      this.setActivity(w, q.reservationActivitySid);
    }
    const wf = r.workflowSid ? this.store.workflows.get(r.workflowSid) : undefined;
    this.armReservationTimer(reservation, wf);
    if (wf?.assignmentCallbackUrl) {
      void this.clock.track(this.assign(reservation, t, q, w, wf));
    }
  }

  private armReservationTimer(reservation: ReservationRec, wf: WorkflowRec | undefined): void {
    let state = this.reservations.get(reservation.sid);
    if (!state) this.reservations.set(reservation.sid, (state = { settled: false }));
    const seconds = wf?.taskReservationTimeout ?? DEFAULT_RESERVATION_TIMEOUT;
    state.timer = this.clock.setTimer(this.clock.now() + seconds * 1000, () =>
      this.fromTimer(() => {
        const live = this.store.reservations.get(reservation.sid);
        if (!live || live.reservationStatus !== "pending") return;
        this.store.setReservationStatus(live, "timeout");
        const ws = this.store.workspaces.get(live.workspaceSid);
        const worker = this.store.workers.get(live.workerSid);
        if (ws && worker) this.setActivity(worker, ws.timeoutActivitySid);
      }),
    );
  }

  private setActivity(w: WorkerRec, activitySid: string): void {
    if (w.activitySid === activitySid || !this.store.activities.has(activitySid)) return;
    this.store.updateWorker(w.workspaceSid, w.sid, { activitySid });
  }

  /** After a reservation left pending (through the engine or REST). */
  private reservationChanged(reservation: ReservationRec, previous: ReservationRec): void {
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
      if (q?.assignmentActivitySid) this.setActivity(worker, q.assignmentActivitySid);
    }
    if ((status === "canceled" || status === "rescinded") && worker && state?.previousActivity) {
      const t = this.store.tasks.get(reservation.taskSid);
      const q = t?.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
      if (q?.reservationActivitySid === worker.activitySid)
        this.setActivity(worker, state.previousActivity);
    }
    if (status === "rejected" && worker && state?.previousActivity) {
      // REST reject with WorkerActivitySid has already moved the worker; otherwise restore.
      const t = this.store.tasks.get(reservation.taskSid);
      const q = t?.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
      if (q?.reservationActivitySid === worker.activitySid)
        this.setActivity(worker, state.previousActivity);
    }
    if (status !== "pending" && status !== "accepted" && status !== "wrapping") {
      this.reservations.delete(reservation.sid);
    }
  }

  // ------------------------------------------------------------------------------ assignment callback

  private record(entry: CallbackRecord): void {
    this.callbacks.push(entry);
    if (this.callbacks.length > RECORD_LIMIT)
      this.callbacks.splice(0, this.callbacks.length - RECORD_LIMIT);
  }

  private fail(
    reservation: ReservationRec,
    url: string,
    fallback: boolean,
    code: number,
    message: string,
  ): void {
    this.failures.push({
      at: nowIso(this.clock),
      reservationSid: reservation.sid,
      taskSid: reservation.taskSid,
      workerSid: reservation.workerSid,
      url,
      fallback,
      code,
      message,
    });
    if (this.failures.length > RECORD_LIMIT)
      this.failures.splice(0, this.failures.length - RECORD_LIMIT);
  }

  /** The parameters of the assignment callback (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks). */
  assignmentParams(
    reservation: ReservationRec,
    t: TaskRec,
    q: TaskQueueRec,
    w: WorkerRec,
    wf: WorkflowRec,
  ): Record<string, string> {
    return {
      AccountSid: this.store.accountSid,
      WorkspaceSid: t.workspaceSid,
      WorkflowSid: wf.sid,
      TaskQueueSid: q.sid,
      WorkerSid: w.sid,
      WorkerAttributes: w.attributes,
      TaskSid: t.sid,
      TaskAttributes: t.attributes,
      TaskAge: String(Math.max(0, Math.floor(this.ageOf(t)))),
      TaskPriority: String(t.priority),
      ReservationSid: reservation.sid,
      Timestamp: String(Math.floor(this.clock.now() / 1000)),
    };
  }

  private async assign(
    reservation: ReservationRec,
    t: TaskRec,
    q: TaskQueueRec,
    w: WorkerRec,
    wf: WorkflowRec,
  ): Promise<void> {
    const params = this.assignmentParams(reservation, t, q, w, wf);
    const urls: Array<[string, boolean]> = [[wf.assignmentCallbackUrl as string, false]];
    if (wf.fallbackAssignmentCallbackUrl) urls.push([wf.fallbackAssignmentCallbackUrl, true]);
    for (const [url, fallback] of urls) {
      const outcome = await this.askForInstruction(url, params, reservation);
      const state = this.reservations.get(reservation.sid);
      const live = this.store.reservations.get(reservation.sid);
      if (!state || state.settled || !live || live.reservationStatus !== "pending") return;
      if (outcome.kind === "manual") return;
      if (outcome.kind === "failed") {
        this.fail(reservation, url, fallback, outcome.code, outcome.message);
        continue;
      }
      try {
        this.carryOut(live, outcome.instruction);
      } catch (err) {
        if (!(err instanceof InstructionError)) throw err;
        this.fail(reservation, url, fallback, err.code, err.message);
      }
      this.schedule();
      this.onChange?.();
      return;
    }
    // Both URLs failed: the reservation stays pending and times out (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks).
  }

  private async askForInstruction(
    url: string,
    params: Record<string, string>,
    reservation: ReservationRec,
  ): Promise<
    | { kind: "instruction"; instruction: Instruction }
    | { kind: "manual" }
    | { kind: "failed"; code: number; message: string }
  > {
    const timeoutMs = this.clock.kind === "real" ? this.callbackTimeoutMs : undefined;
    const entry: CallbackRecord = {
      at: nowIso(this.clock),
      kind: "assignment",
      url,
      reservationSid: reservation.sid,
      params,
      status: null,
    };
    this.record(entry);
    let res: WebhookResponse;
    try {
      res = await this.deliver(signedRequest(this.authToken, url, "POST", params, timeoutMs));
    } catch (err) {
      entry.error = describeFailure(err, timeoutMs);
      return {
        kind: "failed",
        code: 11200,
        message: `Assignment callback ${url} failed: ${entry.error}`,
      };
    }
    entry.status = res.status;
    if (res.status < 200 || res.status > 299) {
      return {
        kind: "failed",
        code: 11200,
        message: `Assignment callback ${url} answered HTTP ${res.status}`,
      };
    }
    if (res.body.trim() === "") return { kind: "manual" };
    const type = (res.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return {
        kind: "failed",
        code: 40000,
        message: `Assignment callback response Content-Type is ${JSON.stringify(type)}, not application/json`,
      };
    }
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      return {
        kind: "failed",
        code: 40001,
        message: "Assignment callback response is not valid JSON",
      };
    }
    if (!isRecord(body) || body.instruction === undefined) {
      return {
        kind: "failed",
        code: 40005,
        message: "Assignment callback response has no instruction",
      };
    }
    return { kind: "instruction", instruction: body };
  }

  // ------------------------------------------------------------------------------ instructions

  /** Carries out an assignment instruction on a pending reservation; throws InstructionError. */
  carryOut(reservation: ReservationRec, instruction: Instruction): void {
    const kind = instruction.instruction;
    const str = (key: string): string | undefined => {
      const v = instruction[key];
      if (v === undefined || v === null) return undefined;
      return typeof v === "string" ? v : String(v);
    };
    const flag = (key: string) => instruction[key] === true || instruction[key] === "true";
    switch (kind) {
      case "accept":
        this.store.setReservationStatus(reservation, "accepted");
        return;
      case "reject":
        return this.reject(reservation, str("activity_sid"));
      case "dequeue":
        return this.dequeue(reservation, {
          to: str("to"),
          from: str("from"),
          postWorkActivitySid: str("post_work_activity_sid"),
          timeout: str("timeout"),
        });
      case "call":
        return this.call(reservation, {
          to: str("to"),
          from: str("from"),
          url: str("url"),
          accept: flag("accept"),
        });
      case "redirect":
        return this.redirect(reservation, {
          callSid: str("call_sid"),
          url: str("url"),
          accept: flag("accept"),
        });
      case "conference":
        throw new InstructionError(55555, "Instruction conference is not emulated");
      default:
        throw new InstructionError(55555, `Invalid instruction ${JSON.stringify(kind)}`);
    }
  }

  private reject(reservation: ReservationRec, activitySid: string | undefined): void {
    let activity;
    if (activitySid !== undefined) {
      activity = this.store.activities.get(activitySid);
      if (!activity || activity.workspaceSid !== reservation.workspaceSid) {
        throw new InstructionError(
          40100,
          `Invalid activity_sid ${activitySid} in reject instruction`,
        );
      }
    }
    this.store.setReservationStatus(reservation, "rejected");
    const worker = this.store.workers.get(reservation.workerSid);
    if (worker && activity) this.setActivity(worker, activity.sid);
  }

  private contactOf(reservation: ReservationRec): string | undefined {
    const worker = this.store.workers.get(reservation.workerSid);
    const uri = worker ? parseAttributes(worker.attributes).contact_uri : undefined;
    return typeof uri === "string" ? uri : undefined;
  }

  private dequeue(
    reservation: ReservationRec,
    o: { to?: string; from?: string; postWorkActivitySid?: string; timeout?: string },
  ): void {
    const t = this.store.tasks.get(reservation.taskSid) as TaskRec;
    const attrs = parseAttributes(t.attributes);
    const callSid = typeof attrs.call_sid === "string" ? attrs.call_sid : undefined;
    if (!callSid) throw new InstructionError(40140, `Dequeue: task ${t.sid} has no call_sid`);
    const to = o.to ?? this.contactOf(reservation);
    if (!to || !isDialable(to))
      throw new InstructionError(40131, `Dequeue: invalid to ${JSON.stringify(to ?? null)}`);
    const from = o.from ?? (typeof attrs.to === "string" ? attrs.to : undefined);
    if (!from || !isDialable(from)) {
      throw new InstructionError(40132, `Dequeue: invalid from ${JSON.stringify(from ?? null)}`);
    }
    const post = o.postWorkActivitySid;
    if (
      post !== undefined &&
      this.store.activities.get(post)?.workspaceSid !== reservation.workspaceSid
    ) {
      throw new InstructionError(40130, `Dequeue: invalid post_work_activity_sid ${post}`);
    }
    const timeout = o.timeout === undefined ? 60 : Number(o.timeout);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 999) {
      throw new InstructionError(40133, `Dequeue: invalid timeout ${o.timeout}`);
    }
    if (!this.voice) throw new InstructionError(40133, "Dequeue: no voice layer to place the call");
    const workerCallSid = newCallSid();
    this.voice.dequeue({
      callSid,
      to,
      from,
      workerCallSid,
      postWorkActivitySid: post ?? null,
      timeout,
      reservation,
    });
    this.store.setReservationStatus(reservation, "accepted");
    this.addAttributes(t, { worker_call_sid: workerCallSid });
  }

  private call(
    reservation: ReservationRec,
    o: { to?: string; from?: string; url?: string; accept: boolean },
  ): void {
    const to = o.to ?? this.contactOf(reservation);
    if (!to || !isDialable(to))
      throw new InstructionError(40110, `Call: invalid to ${JSON.stringify(to ?? null)}`);
    if (!o.from || !isDialable(o.from))
      throw new InstructionError(40111, `Call: invalid from ${JSON.stringify(o.from ?? null)}`);
    if (!o.url || !isHttpUrl(o.url))
      throw new InstructionError(40112, `Call: invalid url ${JSON.stringify(o.url ?? null)}`);
    if (!this.voice) throw new InstructionError(40113, "Call: no voice layer to place the call");
    const workerCallSid = newCallSid();
    this.voice.call({ to, from: o.from, url: o.url, workerCallSid, reservation });
    if (o.accept) this.store.setReservationStatus(reservation, "accepted");
    const t = this.store.tasks.get(reservation.taskSid);
    if (t) this.addAttributes(t, { worker_call_sid: workerCallSid });
  }

  private redirect(
    reservation: ReservationRec,
    o: { callSid?: string; url?: string; accept: boolean },
  ): void {
    if (!o.callSid || !/^CA[0-9a-f]{32}$/i.test(o.callSid)) {
      throw new InstructionError(
        40121,
        `Redirect: invalid call_sid ${JSON.stringify(o.callSid ?? null)}`,
      );
    }
    if (!o.url || !isHttpUrl(o.url))
      throw new InstructionError(40120, `Redirect: invalid url ${JSON.stringify(o.url ?? null)}`);
    if (!this.voice)
      throw new InstructionError(40122, "Redirect: no voice layer to redirect the call");
    this.voice.redirect({ callSid: o.callSid, url: o.url, reservation });
    if (o.accept) this.store.setReservationStatus(reservation, "accepted");
  }

  private addAttributes(t: TaskRec, extra: Record<string, unknown>): void {
    const attrs = { ...parseAttributes(t.attributes), ...extra };
    this.store.updateTask(t.workspaceSid, t.sid, { attributes: JSON.stringify(attrs) });
  }

  /** REST `Instruction=…` on a reservation (store hook; the wire parsed it into the instruction). */
  private restInstruction(reservation: ReservationRec, body: Instruction): void {
    try {
      this.carryOut(reservation, body);
    } catch (err) {
      if (err instanceof InstructionError) throw new TwilioError(400, err.code, err.message);
      throw err;
    }
  }

  // ------------------------------------------------------------------------------ event callbacks

  private activityName(sid: string): string {
    return this.store.activities.get(sid)?.friendlyName ?? "";
  }

  private taskFields(t: TaskRec): Record<string, string> {
    const q = t.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
    const wf = t.workflowSid ? this.store.workflows.get(t.workflowSid) : undefined;
    const channel = this.store.taskChannels.get(t.taskChannelSid);
    return {
      TaskSid: t.sid,
      TaskAttributes: t.attributes,
      TaskAge: String(Math.max(0, Math.floor(this.ageOf(t)))),
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

  private workerFields(w: WorkerRec): Record<string, string> {
    return {
      WorkerSid: w.sid,
      WorkerName: w.friendlyName,
      WorkerAttributes: w.attributes,
      WorkerActivitySid: w.activitySid,
      WorkerActivityName: this.activityName(w.activitySid),
    };
  }

  private taskEvent(
    type: string,
    task: TaskRec,
    description: string,
    extra: Record<string, string> = {},
  ): void {
    const live = this.store.tasks.get(task.sid) ?? task;
    this.event(live.workspaceSid, type, "Task", live.sid, description, {
      ...this.taskFields(live),
      ...extra,
    });
  }

  private reservationEvent(type: string, reservation: ReservationRec): void {
    const t = this.store.tasks.get(reservation.taskSid);
    const w = this.store.workers.get(reservation.workerSid);
    const fields: Record<string, string> = { ReservationSid: reservation.sid };
    Object.assign(fields, t ? this.taskFields(t) : { TaskSid: reservation.taskSid });
    Object.assign(fields, w ? this.workerFields(w) : { WorkerSid: reservation.workerSid });
    const verb = type.slice("reservation.".length);
    this.event(
      reservation.workspaceSid,
      type,
      "Reservation",
      reservation.sid,
      `Reservation ${reservation.sid} for task ${reservation.taskSid} and worker ${w?.friendlyName ?? reservation.workerSid} ${verb}`,
      fields,
    );
  }

  private workerEvent(
    type: string,
    w: WorkerRec,
    description: string,
    extra: Record<string, string> = {},
  ): void {
    this.event(w.workspaceSid, type, "Worker", w.sid, description, {
      ...this.workerFields(w),
      ...extra,
    });
  }

  /** Queues one signed event POST; deliveries to a workspace go out one at a time, in order. */
  private event(
    wsSid: string,
    type: string,
    resourceType: string,
    resourceSid: string,
    description: string,
    fields: Record<string, string>,
  ): void {
    const ws = this.store.workspaces.get(wsSid);
    if (!ws?.eventCallbackUrl || this.stopped) return;
    if (ws.eventsFilter) {
      const wanted = ws.eventsFilter.split(",").map((s) => s.trim());
      if (!wanted.includes(type)) return;
    }
    const url = ws.eventCallbackUrl;
    const params: Record<string, string> = {
      AccountSid: this.store.accountSid,
      WorkspaceSid: ws.sid,
      WorkspaceName: ws.friendlyName,
      Sid: "EV" + randomBytes(16).toString("hex"),
      EventType: type,
      ResourceType: resourceType,
      ResourceSid: resourceSid,
      EventDescription: description,
      Timestamp: String(Math.floor(this.clock.now() / 1000)),
      ...fields,
    };
    const entry: CallbackRecord = {
      at: nowIso(this.clock),
      kind: "event",
      url,
      eventType: type,
      params,
      status: null,
    };
    this.record(entry);
    const previous = this.eventChains.get(ws.sid) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const res = await this.deliver(
          signedRequest(
            this.authToken,
            url,
            "POST",
            params,
            this.clock.kind === "real" ? this.callbackTimeoutMs : undefined,
          ),
        );
        entry.status = res.status;
      } catch (err) {
        entry.error = describeFailure(err, this.callbackTimeoutMs);
      }
    });
    this.eventChains.set(ws.sid, next);
    void this.clock.track(next);
  }
}

function eventName(status: string): string {
  return status === "wrapping" ? "wrapup" : status;
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
