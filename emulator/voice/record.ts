/**
 * <Record> for the virtual caller (https://www.twilio.com/docs/voice/twiml/record). The caller's
 * script (`CallOptions.messages`) says how long they speak and which key they press; the recording
 * ends on a finishOnKey key, `timeout` seconds of silence, `maxLength` or a hang-up, like Twilio's.
 *
 * Choices where Twilio is silent (see emulator/README.md): the beep takes no time; `Digits` is ""
 * when silence or maxLength ended the recording; RecordingDuration is whole seconds (rounded); the
 * `completed`/`absent` status callback is sent after the action request. No audio exists: a GET on
 * RecordingUrl is not emulated (it names api.twilio.com, which the emulator does not serve).
 */
import { randomBytes } from "node:crypto";
import { describeFailure, resolveUrl, signedRequest } from "../taskrouter/deliver";
import { API_VERSION, CALL_TIME_HEADER, type VirtualCall } from "./call";
import type { Leg, Outcome } from "./interpreter";
import type { RecordVerb } from "./twiml";

export function newRecordingSid(): string {
  return "RE" + randomBytes(16).toString("hex");
}

export function recordingUrl(accountSid: string, recordingSid: string): string {
  return `https://api.twilio.com/${API_VERSION}/Accounts/${accountSid}/Recordings/${recordingSid}`;
}

/** Twilio's RecordingStartTime format (RFC 2822): "Mon, 28 Jun 2021 22:01:07 +0000". */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace("GMT", "+0000");
}

interface Take {
  /** Seconds of speech recorded. */
  spoken: number;
  /** Seconds of silence recorded after the speech. */
  silence: number;
  digits: string;
  endedBy: "key" | "silence" | "max-length" | "hangup";
}

/** Lets the scripted caller speak and press a key; returns how the recording ended. */
async function take(call: VirtualCall, verb: RecordVerb): Promise<Take> {
  const clock = call.phone.clock;
  const message = call.nextMessage();
  const speak = Math.min(message?.seconds ?? 0, verb.maxLength);
  const start = clock.now();
  const elapsed = () => (clock.now() - start) / 1000;
  if (!(await call.wait(speak)))
    return { spoken: elapsed(), silence: 0, digits: "hangup", endedBy: "hangup" };
  if (speak >= verb.maxLength)
    return { spoken: speak, silence: 0, digits: "", endedBy: "max-length" };
  const key = message?.key;
  if (key !== undefined) {
    if (verb.finishOnKey.includes(key))
      return { spoken: speak, silence: 0, digits: key, endedBy: "key" };
    call.step("record.key-ignored", { key, finishOnKey: verb.finishOnKey });
  }
  const room = verb.maxLength - speak;
  const bySilence = verb.timeout > 0 && verb.timeout <= room;
  if (!(await call.wait(bySilence ? verb.timeout : room)))
    return { spoken: speak, silence: elapsed() - speak, digits: "hangup", endedBy: "hangup" };
  return {
    spoken: speak,
    silence: elapsed() - speak,
    digits: "",
    endedBy: bySilence ? "silence" : "max-length",
  };
}

/**
 * Runs a <Record>: beep, the caller's take, the action request (not for an empty recording), and
 * the recording status callbacks. A caller who hung up still causes the action request; its TwiML
 * is not played.
 */
export async function record(
  leg: Leg,
  call: VirtualCall,
  verb: RecordVerb,
  docUrl: string,
): Promise<Outcome> {
  const phone = call.phone;
  const accountSid = phone.store.accountSid;
  const recordingSid = newRecordingSid();
  const url = recordingUrl(accountSid, recordingSid);
  const startedAt = phone.clock.now() + call.offsetMs;
  if (verb.playBeep) call.step("beep", {});
  call.step("record", {
    recordingSid,
    maxLength: verb.maxLength,
    timeout: verb.timeout,
    finishOnKey: verb.finishOnKey,
    trim: verb.trim,
  });
  const statusCallback = (status: "in-progress" | "completed" | "absent", duration?: number) => {
    if (!verb.recordingStatusCallback || !verb.recordingStatusCallbackEvent.includes(status))
      return;
    const params: Record<string, string> = {
      AccountSid: accountSid,
      CallSid: call.sid,
      RecordingSid: recordingSid,
      RecordingUrl: url,
      RecordingStatus: status,
      RecordingChannels: "1",
      RecordingStartTime: rfc2822(startedAt),
      RecordingSource: "RecordVerb",
      ErrorCode: "0",
    };
    if (duration !== undefined) params.RecordingDuration = String(duration);
    const target = resolveUrl(verb.recordingStatusCallback, docUrl);
    const method = verb.recordingStatusCallbackMethod;
    const request = signedRequest(phone.authToken, target, method, params);
    request.headers[CALL_TIME_HEADER] = call.callTime();
    void phone.clock.track(
      phone.deliver(request).then(
        (res) =>
          call.step("recording.callback", { url: target, method, status: res.status, params }),
        (err: unknown) =>
          call.step("recording.callback", { url: target, method, error: describeFailure(err) }),
      ),
    );
  };
  statusCallback("in-progress");
  const t = await take(call, verb);
  const duration = Math.round(verb.trim === "do-not-trim" ? t.spoken + t.silence : t.spoken);
  call.step("record.ended", { recordingSid, endedBy: t.endedBy, duration, digits: t.digits });
  if (duration === 0) {
    statusCallback("absent");
    return t.endedBy === "hangup" ? "stop" : "next";
  }
  const action = resolveUrl(verb.action ?? docUrl, docUrl);
  const extra = {
    RecordingUrl: url,
    RecordingSid: recordingSid,
    RecordingDuration: String(duration),
    Digits: t.digits,
  };
  try {
    if (t.endedBy === "hangup") {
      await leg.fetch(action, verb.method, extra).catch(() => null);
      return "stop";
    }
    return await leg.fetch(action, verb.method, extra);
  } finally {
    statusCallback("completed", duration);
  }
}
