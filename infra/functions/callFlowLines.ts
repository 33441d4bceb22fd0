// The CALL_FLOW side of the handlers: which line a call is on, whether it is open, the exits menu
// (voicemail, callback) and the routes' own query state. Twilio signs the whole URL, so state we
// put in our own query strings (line, caller, why) reaches the next handler untampered.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { isOpen } from "../taskrouter/hours";
import type { CallFlow, Exit, LineFlow } from "./callFlow";
import type { HandlerConfig, IvrMenu } from "./config";
import { sayAttributes } from "./ivr";
import { routeUrl, type RouteName } from "./routes";
import type { TwilioRequest } from "./twilioRequest";

/** The line whose number the call dialled (`To`), or the line named in our own query (`line`). */
export function lineOf(flow: CallFlow, req: TwilioRequest): LineFlow | undefined {
  const name = req.query.get("line");
  if (name !== null) return flow.lines.find((l) => l.name === name);
  const to = req.param("To");
  return flow.lines.find((l) => l.number === to);
}

/** The IVR a call hears: its line's under CALL_FLOW, else IVR_MENU. */
export function ivrOf(config: HandlerConfig, line: LineFlow | undefined): IvrMenu {
  if (!line) return config.ivr;
  return config.ivr.holdMusicUrl === undefined
    ? line.ivr
    : { ...line.ivr, holdMusicUrl: config.ivr.holdMusicUrl };
}

export const lineIsOpen = (line: LineFlow, now: Date): boolean =>
  line.hours === undefined || isOpen(line.hours, now);

/** Why the exits are offered; it picks the line's list. */
export type ExitReason = "closed" | "nobodyAnswers";
export const exitsFor = (line: LineFlow, why: ExitReason): Exit[] =>
  why === "closed" ? line.whenClosed : line.whenNobodyAnswers;

const EXIT_ROUTE: Record<Exit, RouteName> = { voicemail: "voicemail", callback: "callback" };
const EXIT_LABEL: Record<Exit, string> = {
  voicemail: "leave a voicemail",
  callback: "be called back",
};
export const GOODBYE = "Goodbye.";

/** A route URL with the line (and more) in its query. */
export function lineUrl(
  baseUrl: string,
  name: RouteName,
  line: LineFlow,
  more: Record<string, string> = {},
): string {
  return `${routeUrl(baseUrl, name)}?${new URLSearchParams({ line: line.name, ...more })}`;
}

/**
 * Appends the exits to `vr`: none → goodbye and hang up; one → straight to it; several → a keypad
 * menu (1, 2 in the stack's order) whose choice /exit-choice reads, then goodbye on no input.
 */
export function offerExits(
  vr: VoiceResponse,
  baseUrl: string,
  line: LineFlow,
  why: ExitReason,
): void {
  const say = sayAttributes(line.ivr);
  const exits = exitsFor(line, why);
  if (exits.length === 0) {
    vr.say(say, GOODBYE);
    vr.hangup();
    return;
  }
  if (exits.length === 1) {
    vr.redirect({ method: "POST" }, lineUrl(baseUrl, EXIT_ROUTE[exits[0]], line));
    return;
  }
  const gather = vr.gather({
    input: ["dtmf"],
    numDigits: 1,
    method: "POST",
    action: lineUrl(baseUrl, "exitChoice", line, { why }),
  });
  exits.forEach((exit, i) => gather.say(say, `To ${EXIT_LABEL[exit]}, press ${i + 1}.`));
  vr.say(say, GOODBYE);
  vr.hangup();
}

/** The exit a keypad digit picks from the line's list, if any. */
export function chosenExit(line: LineFlow, why: ExitReason, digits: string): Exit | undefined {
  const exits = exitsFor(line, why);
  const i = /^[1-9]$/.test(digits) ? Number(digits) - 1 : -1;
  return exits[i];
}

export const exitRoute = (exit: Exit): RouteName => EXIT_ROUTE[exit];

/** Attributes every task from a line carries: the line's, then who called which number. */
export const lineAttributes = (line: LineFlow, caller: string) => ({
  ...line.taskAttributes,
  called: line.number,
  caller,
  line: line.name,
});

/**
 * The line of a route that only CALL_FLOW's TwiML links to. Without one (no CALL_FLOW, or a line
 * the flow no longer has) the caller hears goodbye and the log says why, never a 500.
 */
export function flowLine(
  config: HandlerConfig,
  req: TwilioRequest,
): { flow: CallFlow; line: LineFlow } | undefined {
  const line = config.callFlow && lineOf(config.callFlow, req);
  return config.callFlow && line ? { flow: config.callFlow, line } : undefined;
}

/** Goodbye and hang up, for a call whose line cannot be found. */
export function goodbye(config: HandlerConfig): string {
  const vr = new VoiceResponse();
  vr.say(sayAttributes(config.ivr), GOODBYE);
  vr.hangup();
  return vr.toString();
}
