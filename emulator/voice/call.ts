/** One virtual call (its trace, virtual time, scripted digits and Twilio call parameters), the call types and the transcript. */
import type { Clock, TimerHandle } from "../taskrouter/clock";
import { newCallSid, type Engine } from "../taskrouter/engine";
import { type Deliver } from "../taskrouter/deliver";
import type { ReservationRec, Store } from "../state/store";
import type { Phone } from "./phone";

export interface CallOptions {
  /** The number dialled: one the account owns. */
  to: string;
  from: string;
  /** Keys typed at each <Gather>, in order ("2" answers the first menu with 2). */
  digits?: string | string[];
  /** The caller hangs up this many seconds after the call starts. */
  hangupAfterSeconds?: number;
  /** How long the caller talks to the worker once bridged. */
  talkSeconds?: number;
  /**
   * What the caller does at each <Record>, in order: speaks `seconds`, then presses `key` (if any).
   * A <Record> with no entry left hears silence.
   */
  messages?: CallerMessage[];
  /**
   * The call's own time at its start (ISO 8601 with Z or an offset, see `callTimeProblem`). Every
   * webhook of the call carries it, plus the call's elapsed virtual time, in CALL_TIME_HEADER.
   * Default: the emulator's clock.
   */
  at?: string;
}

/**
 * Not a Twilio header: the emulator's way of telling the local webhook host what time it is for
 * this call, so call-flow handlers compute hours from it (the host passes it to them as "now").
 */
export const CALL_TIME_HEADER = "X-Emulator-Call-Time";

const CALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Why `at` is not a call time, or null when it is one. */
export function callTimeProblem(at: string): string | null {
  if (!CALL_TIME.test(at) || Number.isNaN(Date.parse(at)))
    return `${at} is not an ISO 8601 time with Z or an offset (e.g. 2026-12-25T10:00:00Z, 2026-12-25T10:00:00+01:00)`;
  return null;
}

export interface CallerMessage {
  seconds: number;
  key?: string;
}

export interface CallStep {
  /** Virtual seconds since the call started. */
  at: number;
  kind: string;
  detail: Record<string, unknown>;
}

export type CallOutcome = "bridged" | "hung-up" | "canceled" | "failed" | "no-answer";

/**
 * How a virtual phone the emulator dials answers: an agent's contact_uri (dequeue, call) or the
 * number a <Dial> calls. `answerAfterSeconds` null: it rings until the caller gives up.
 * `talkSeconds` (a <Dial>ed party only): how long they talk before hanging up.
 */
export interface Answering {
  answerAfterSeconds: number | null;
  talkSeconds?: number;
}

/** A recording of a leg (record-from-answer): Twilio's URL, no audio. */
export interface LegRecording {
  recordingSid: string;
  recordingUrl: string;
  /** Whole seconds, from answer to hang-up. */
  duration: number;
}

/** Sends one call progress event of a leg to its status callback URL, if it asked for it. */
export type Notify = (event: string, status: string, extra?: Record<string, string>) => void;

/** A leg the emulator dialled for a call: the agent of a dequeue, or the party of a <Dial>. */
export interface LegResult {
  callSid: string;
  kind: "dequeue" | "dial";
  from: string;
  to: string;
  /** ISO clock times. */
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** Twilio's final CallStatus of the leg. */
  status: "ringing" | "in-progress" | "completed" | "no-answer" | "canceled";
  recording: LegRecording | null;
}

export interface CallResult {
  callSid: string;
  from: string;
  to: string;
  direction: "inbound" | "outbound-api";
  /** ISO clock time. */
  startedAt: string;
  endedAt: string | null;
  outcome: CallOutcome | null;
  taskSid: string | null;
  /** Friendly name of the task's queue when it was assigned (else the last queue it was in). */
  queue: string | null;
  /** Friendly name of the worker whose reservation was accepted. */
  assignedWorker: string | null;
  /** The contact URI the dequeue dialled. */
  bridgedTo: string | null;
  error: { code: number; message: string } | null;
  /** The legs the emulator dialled for this call, in order. */
  legs: LegResult[];
  /** The recording of this call (a `call` instruction's leg with record-from-answer). */
  recording: LegRecording | null;
  steps: CallStep[];
}

export interface PhoneOptions {
  store: Store;
  engine: Engine;
  clock: Clock;
  authToken: string;
  deliver?: Deliver;
  playSeconds?: number;
  talkSeconds?: number;
  /** Twilio's longest call: 4 hours. */
  maxCallSeconds?: number;
  /** Called after the call layer changed state on its own (persist). */
  onChange?: () => void;
  /** How the phones the emulator dials answer, by contact URI or number (default: at once). */
  answering?: Record<string, Answering>;
}

/** A call in progress: its SID now, its result when it ends. */
export interface ActiveCall {
  callSid: string;
  done: Promise<CallResult>;
}

export const API_VERSION = "2010-04-01";
export const CALLER_HUNG_UP = "Caller hung up";
export const CALL_ENDED = "Call ended";
export const MAX_QUEUE_SIZE = 100;

/** The <Enqueue> action's QueueResult values the emulator produces (not bridging-in-process, system-error). */
export type QueueEnd = "bridged" | "hangup" | "leave" | "redirected" | "error" | "queue-full";

/** One virtual call and its runner. */
export class VirtualCall {
  readonly result: CallResult;
  readonly startMs: number;
  /** The call's own time minus the emulator's clock (CallOptions.at). */
  readonly offsetMs: number;
  state: "in-progress" | "queued" | "bridged" | "ended" = "in-progress";
  hungUp = false;
  /** The caller left the queue through <Leave> or <Redirect> in the wait document. */
  leaving = false;
  taskCanceled = false;
  /** An outbound call nobody answered within its ring timeout. */
  noAnswer = false;
  /** Ends the agent's leg of a dequeue that is still ringing (as canceled). */
  endRinging: (() => void) | null = null;
  bridgedAt = 0;
  everBridged = false;
  redirectTo: string | null = null;
  queueSid: string | null = null;
  enqueuedAt = 0;
  bridge: {
    to: string;
    from: string;
    postWork: string | null;
    reservation: ReservationRec;
    /** The agent's leg and its status callback. */
    leg: LegResult;
    notify: Notify;
  } | null = null;
  private digits: string[];
  private messages: CallerMessage[];
  private firstRequest = true;
  private waker: { timer?: TimerHandle; resolve: (full: boolean) => void } | null = null;
  private timers: TimerHandle[] = [];

  constructor(
    readonly phone: Phone,
    readonly opts: CallOptions,
    readonly direction: "inbound" | "outbound-api",
    callSid = newCallSid(),
  ) {
    this.startMs = phone.clock.now();
    this.offsetMs = opts.at === undefined ? 0 : Date.parse(opts.at) - this.startMs;
    this.digits =
      opts.digits === undefined
        ? []
        : Array.isArray(opts.digits)
          ? [...opts.digits]
          : [opts.digits];
    this.messages = [...(opts.messages ?? [])];
    this.result = {
      callSid,
      from: opts.from,
      to: opts.to,
      direction,
      startedAt: phone.iso(this.startMs + this.offsetMs),
      endedAt: null,
      outcome: null,
      taskSid: null,
      queue: null,
      assignedWorker: null,
      bridgedTo: null,
      error: null,
      legs: [],
      recording: null,
      steps: [],
    };
  }

  /** The call's own time now (ISO, whole seconds). */
  callTime(): string {
    return this.phone.iso(this.phone.clock.now() + this.offsetMs);
  }

  get sid(): string {
    return this.result.callSid;
  }

  step(kind: string, detail: Record<string, unknown> = {}): void {
    const at = (this.phone.clock.now() - this.startMs) / 1000;
    this.result.steps.push({ at, kind, detail });
  }

  /** Waits `seconds` of clock time; resolves false when something interrupts the call first. */
  wait(seconds: number): Promise<boolean> {
    if (this.hungUp || this.state === "ended") return Promise.resolve(false);
    return new Promise((resolve) => {
      const waker: { timer?: TimerHandle; resolve: (full: boolean) => void } = { resolve };
      if (Number.isFinite(seconds)) {
        waker.timer = this.phone.clock.setTimer(this.phone.clock.now() + seconds * 1000, () => {
          if (this.waker === waker) this.waker = null;
          resolve(true);
        });
      }
      this.waker = waker;
    });
  }

  /** Wakes the runner (dequeue, hang-up, cancel, redirect). */
  interrupt(): void {
    const waker = this.waker;
    this.waker = null;
    if (waker) {
      this.phone.clock.cancel(waker.timer);
      waker.resolve(false);
    }
  }

  at(seconds: number, fn: () => void): void {
    this.timers.push(this.phone.clock.setTimer(this.startMs + seconds * 1000, fn));
  }

  callParams(): Record<string, string> {
    const status = this.firstRequest ? "ringing" : "in-progress";
    this.firstRequest = false;
    return {
      CallSid: this.sid,
      AccountSid: this.phone.store.accountSid,
      From: this.opts.from,
      To: this.opts.to,
      CallStatus: status,
      Direction: this.direction,
      ApiVersion: API_VERSION,
    };
  }

  nextDigits(): string | undefined {
    return this.digits.shift();
  }

  nextMessage(): CallerMessage | undefined {
    return this.messages.shift();
  }

  cleanup(): void {
    for (const t of this.timers) this.phone.clock.cancel(t);
    this.interrupt();
  }
}

/** The in-process API: place a call on an emulator (`createEmulator`'s result) and get its trace. */
export function placeCall(emulator: { phone: Phone }, opts: CallOptions): Promise<CallResult> {
  return emulator.phone.place(opts);
}

/** A readable transcript of a call, one line per step. */
export function transcript(result: CallResult): string {
  const lines = [
    `Call ${result.callSid} from ${result.from} to ${result.to}, started ${result.startedAt}`,
  ];
  for (const s of result.steps) {
    const detail = Object.entries(s.detail)
      .filter(([k]) => k !== "params" && k !== "attributes")
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    lines.push(`${`+${s.at}s`.padStart(8)}  ${s.kind.padEnd(22)} ${detail}`.trimEnd());
  }
  lines.push(
    `Outcome: ${result.outcome}` +
      (result.queue ? `; queue ${result.queue}` : "") +
      (result.assignedWorker ? `; worker ${result.assignedWorker}` : "") +
      (result.bridgedTo ? `; bridged to ${result.bridgedTo}` : "") +
      (result.error ? `; error ${result.error.code}: ${result.error.message}` : ""),
  );
  return lines.join("\n");
}
