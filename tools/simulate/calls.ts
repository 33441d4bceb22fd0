// The callers' side of a simulated day, as the call handlers (infra/functions) treat them: the
// task attributes a call gets on its line, the maximum wait that applies, which exit a caller
// takes when offered voicemail or a callback, the attributes of the voicemail and callback tasks,
// and where every call ended. Pure.
import type { CallFlow, Exit, LineFlow } from "../../infra/functions/callFlow";
import { exitsFor, lineAttributes, type ExitReason } from "../../infra/functions/callFlowLines";
import type { Caller, ExitWeights } from "./scenario";

/** The task attributes of a call, as /enqueue-call builds them: line's, the choice's, who called which line. */
export function callAttributes(
  line: LineFlow,
  caller: Caller,
  from: string,
): Record<string, unknown> {
  let chosen: Record<string, unknown>;
  if (caller.kind === "attributes") chosen = caller.attributes;
  else if (caller.kind === "default") chosen = { ...line.ivr.defaultAttributes };
  else {
    const option = line.ivr.options[caller.digit];
    if (!option) throw new Error(`line ${line.name} has no IVR option "${caller.digit}"`);
    chosen = { selected_option: option.label, ...option.attributes };
  }
  return { ...line.taskAttributes, ...chosen, ...lineAttributes(line, from) };
}

/** Seconds in the queue before the exits are offered: the option's, else the line's; absent = none. */
export function maxWaitOf(line: LineFlow, caller: Caller): number | undefined {
  const option = caller.kind === "ivr" ? line.ivr.options[caller.digit] : undefined;
  return option?.maxWait ?? line.maxWait;
}

/**
 * The exit a caller takes from those the line offers for `why`: by `weights` among those on offer
 * and hanging up, with `draw` (uniform in [0, 1)) deciding; without weights the first on offer.
 * undefined: none (nothing offered, or the caller hung up).
 */
export function chooseExit(
  line: LineFlow,
  why: ExitReason,
  weights: ExitWeights | undefined,
  draw: number,
): Exit | undefined {
  const offered = exitsFor(line, why);
  if (weights === undefined) return offered[0];
  const total = offered.reduce((n, e) => n + weights[e], weights.hangUp);
  let point = draw * total;
  for (const exit of offered) {
    if (point < weights[exit]) return exit;
    point -= weights[exit];
  }
  return undefined;
}

/**
 * The voicemail or callback task's attributes, as /voicemail-recorded and /callback make them (the
 * recording's SIDs and URL aside: nothing is recorded; no last_agent_sid: every simulated caller
 * is calling for the first time).
 */
export function followUpAttributes(
  flow: CallFlow,
  exit: Exit,
  line: LineFlow,
  from: string,
): Record<string, unknown> {
  return { ...flow[exit].attributes, ...lineAttributes(line, from), call_flow: exit };
}

/** How a call ended. `noExit`: offered the exits (or none) and took none. */
export type CallEnd =
  "answered" | "abandoned" | "voicemail" | "callback" | "noExit" | "waitingAtEnd";

export interface CallOutcome {
  line: string;
  /** The local hour the call came in, "HH:00". */
  hour: string;
  end: CallEnd;
  /** The line was closed: the caller heard the closed message and was offered whenClosed. */
  outOfHours: boolean;
  /** The queue key the call was last in, if it reached one. */
  queue?: string;
  /** Why a queued caller was offered whenNobodyAnswers. */
  left?: "maxWait" | "workflow";
}

/** Where calls ended: calls = answered + abandoned + voicemails + callbacks + noExit + waitingAtEnd. */
export interface CallCounts {
  calls: number;
  answered: number;
  abandoned: number;
  voicemails: number;
  callbacks: number;
  noExit: number;
  waitingAtEnd: number;
  /** Of the calls, those that found the line closed (each ends voicemail, callback or noExit). */
  outOfHours: number;
}

const FIELD: Record<CallEnd, keyof CallCounts> = {
  answered: "answered",
  abandoned: "abandoned",
  voicemail: "voicemails",
  callback: "callbacks",
  noExit: "noExit",
  waitingAtEnd: "waitingAtEnd",
};

/** The fields of CallCounts, in the order reports show them. */
export const CALL_COUNT_FIELDS = [
  "calls",
  "answered",
  "abandoned",
  "voicemails",
  "callbacks",
  "noExit",
  "waitingAtEnd",
  "outOfHours",
] as const satisfies readonly (keyof CallCounts)[];

export function countCalls(outcomes: readonly CallOutcome[]): CallCounts {
  const c = Object.fromEntries(CALL_COUNT_FIELDS.map((f) => [f, 0])) as unknown as CallCounts;
  for (const o of outcomes) {
    c.calls++;
    c[FIELD[o.end]]++;
    if (o.outOfHours) c.outOfHours++;
  }
  return c;
}

/** Outcomes grouped by a key, in first-seen order (`keys` first, so empty groups show too). */
export function countBy(
  outcomes: readonly CallOutcome[],
  key: (o: CallOutcome) => string,
  keys: readonly string[] = [],
): Record<string, CallCounts> {
  const groups = new Map<string, CallOutcome[]>(keys.map((k) => [k, []]));
  for (const o of outcomes) {
    const k = key(o);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(o);
  }
  return Object.fromEntries([...groups].map(([k, list]) => [k, countCalls(list)]));
}
