// The call flow the handlers run, as the stack sets it in the CALL_FLOW environment variable (JSON):
// one entry per line (owned number), each with its IVR, hours and exits when nobody answers, plus the
// voicemail, callback and agent-leg settings shared by every line. Types only (the handler bundles
// must stay free of the stack-file schema); `callFlowFromSpec` (infra/taskrouter) builds it from a
// loaded stack and `readHandlerConfig` validates it.
import type { IvrMenu } from "./config";

/** Mon … Sun, as the stack file spells them. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** An opening interval in the line's local time: "09:00" to "17:30"; close may be "24:00". */
export interface OpenInterval {
  open: string;
  close: string;
}

/** A closure in the line's local time: `from` inclusive, `to` exclusive, both "YYYY-MM-DDTHH:MM". */
export interface Closure {
  name: string;
  from: string;
  to: string;
}

export interface Hours {
  /** IANA time zone, e.g. Europe/London; every time above is local to it (DST included). */
  timeZone: string;
  /** A day not listed is closed all day. */
  weekly: Partial<Record<Weekday, OpenInterval[]>>;
  closures: Closure[];
  /** Said to a caller out of hours, before the exits are offered. */
  closedMessage: string;
}

/** What a caller is offered when they cannot be answered: in this order, as a keypad menu (1, 2). */
export type Exit = "voicemail" | "callback";

export interface IvrOptionFlow {
  label: string;
  attributes: Record<string, unknown>;
  /** Seconds in the queue before the exits are offered; overrides the line's maxWait. */
  maxWait?: number;
}

export interface LineFlow {
  /** The line's logical name in the stack file. */
  name: string;
  /** E.164; matched against the call's `To`. */
  number: string;
  ivr: Omit<IvrMenu, "options"> & { options: Record<string, IvrOptionFlow> };
  /** Merged into every task from this line (the called number is added as `called`). */
  taskAttributes: Record<string, unknown>;
  /** Absent: open around the clock. */
  hours?: Hours;
  /** Offered out of hours after the closed message; [] = the message, then hang up. */
  whenClosed: Exit[];
  /** Seconds in the queue before the exits are offered; absent = no limit. */
  maxWait?: number;
  /** Offered at maxWait, or when the workflow ends without an agent; [] = hang up with a message. */
  whenNobodyAnswers: Exit[];
  /** Record the caller–agent conversation (from answer), with a recording status callback. */
  recordCalls: boolean;
}

export interface CallFlow {
  lines: LineFlow[];
  voicemail: {
    /** Said before the beep. */
    prompt: string;
    /** Seconds; <Record maxLength>. */
    maxLength: number;
    /** Task attributes of the voicemail task (plus caller, called, line, recording_url). */
    attributes: Record<string, unknown>;
    /** TaskChannel unique name of the voicemail task. */
    taskChannel: string;
  };
  callback: {
    /** Said when the callback is booked. */
    confirmation: string;
    /** Task attributes of the callback task (plus caller, called, line, last_agent_sid if known). */
    attributes: Record<string, unknown>;
    taskChannel: string;
    /** Look up the agent who last answered this caller and set `last_agent_sid` on the task. */
    preferLastAgent: boolean;
  };
  agentLeg: {
    /** Seconds the agent's phone rings (dequeue `timeout`). */
    ringTimeout: number;
  };
}
