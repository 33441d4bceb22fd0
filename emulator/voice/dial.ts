/**
 * <Dial><Number> for a virtual call (https://www.twilio.com/docs/voice/twiml/dial): the emulator
 * rings the number, whose virtual phone answers as scripted (`Phone.answering`; default at once),
 * talks `talkSeconds` (the phone's default 30, at most `timeLimit`) and hangs up. "If the party
 * … answers the call, the two parties can communicate until one hangs up." Then the action URL is
 * requested with DialCallStatus, DialCallSid and DialCallDuration, or the document goes on.
 */
import { resolveUrl } from "../taskrouter/deliver";
import { newCallSid } from "../taskrouter/engine";
import type { LegResult, VirtualCall } from "./call";
import type { Leg, Outcome } from "./interpreter";
import type { Dial } from "./twiml";

export async function dial(
  leg: Leg,
  call: VirtualCall,
  verb: Dial,
  docUrl: string,
): Promise<Outcome> {
  const phone = call.phone;
  const party: LegResult = {
    callSid: newCallSid(),
    kind: "dial",
    from: verb.callerId ?? call.opts.from,
    to: verb.number,
    startedAt: call.callTime(),
    answeredAt: null,
    endedAt: null,
    status: "ringing",
    recording: null,
  };
  call.result.legs.push(party);
  call.step("dial", {
    to: party.to,
    from: party.from,
    callSid: party.callSid,
    timeout: verb.timeout,
  });
  const answering = phone.answeringOf(verb.number);
  const after = answering.answerAfterSeconds;
  const answers = after !== null && after < verb.timeout;
  const ringing = answers ? after : verb.timeout;
  if (ringing > 0 && !(await call.wait(ringing))) {
    party.status = "canceled";
    party.endedAt = call.callTime();
    return "stop";
  }
  let duration = 0;
  if (!answers) {
    party.status = "no-answer";
    call.step("dial.no-answer", { to: party.to, timeout: verb.timeout });
  } else {
    party.status = "in-progress";
    party.answeredAt = call.callTime();
    call.step("dial.answered", { to: party.to });
    const started = phone.clock.now();
    const full = await call.wait(
      Math.min(answering.talkSeconds ?? phone.talkSeconds, verb.timeLimit),
    );
    duration = Math.round((phone.clock.now() - started) / 1000);
    party.status = "completed";
    call.step("dial.ended", { by: full ? "callee" : "caller", duration });
    if (!full) {
      party.endedAt = call.callTime();
      return "stop";
    }
  }
  party.endedAt = call.callTime();
  if (verb.action === undefined) return "next";
  return leg.fetch(resolveUrl(verb.action, docUrl), verb.method, {
    DialCallStatus: answers ? "completed" : "no-answer",
    DialCallSid: party.callSid,
    DialCallDuration: String(duration),
  });
}
