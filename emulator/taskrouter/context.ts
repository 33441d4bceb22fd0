/** Types, limits and small helpers shared by the engine's files (engine.ts and the functions it delegates to). */
import { type RoutingStep } from "../../infra/taskrouter/routing";
import type { Clock, TimerHandle } from "./clock";
import { type Deliver } from "./deliver";
import type { ReservationRec, Store } from "../state/store";
import { isoSeconds } from "../state/records";

export const WORKFLOW_TIMEOUT_REASON = "Task canceled on Workflow timeout";
export const TTL_REASON = "Task TTL Exceeded";
export const MAX_ASSIGNMENTS_REASON = "Task canceled: Max Assignment Count reached";
export const MAX_ASSIGNMENTS = 1000;
export const DEFAULT_RESERVATION_TIMEOUT = 120;
export const RECORD_LIMIT = 10_000;

/** The voice side the engine hands calls to (voice/phone.ts implements it). */
export interface VoiceBridge {
  /** Bridges a waiting caller to `to`; throws InstructionError when the call cannot be found. */
  dequeue(order: {
    callSid: string;
    to: string;
    from: string;
    workerCallSid: string;
    postWorkActivitySid: string | null;
    /** Seconds the worker's phone rings before the leg ends unanswered. */
    timeout: number;
    /** `record: record-from-answer`. */
    record: boolean;
    statusCallbackUrl: string | null;
    /** Call progress events for statusCallbackUrl: initiated, ringing, answered, completed. */
    statusCallbackEvents: string[];
    reservation: ReservationRec;
  }): void;
  /** Places a call to the worker that runs the TwiML at `url`. */
  call(order: {
    to: string;
    from: string;
    url: string;
    workerCallSid: string;
    timeout: number;
    record: boolean;
    statusCallbackUrl: string | null;
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

export interface Routed {
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

export interface ReservationState {
  timer?: TimerHandle;
  /** The worker's activity before a reservation activity was applied. */
  previousActivity?: string;
  /** Set once the reservation leaves pending, so late callback answers are ignored. */
  settled: boolean;
}

export type Intent =
  | { kind: "place"; taskSid: string }
  | { kind: "reservation"; reservation: ReservationRec; previous: ReservationRec };

/** Twilio's instruction JSON (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks). */
export interface Instruction {
  instruction?: unknown;
  [key: string]: unknown;
}

export const nowIso = (clock: Clock) => isoSeconds(clock.now());
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
export const parseAttributes = (json: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(json) as unknown;
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
};
export const ACTIVE_RESERVATION = new Set(["pending", "accepted", "wrapping"]);
export type Listener = Parameters<Store["events"]["on"]>[1];
