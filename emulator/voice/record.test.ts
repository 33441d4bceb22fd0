// <Record> on a virtual call: each behaviour quotes https://www.twilio.com/docs/voice/twiml/record.
import { strict as assert } from "node:assert";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { placeCall, type CallResult } from "./phone";
import { parseTwiml } from "./twiml";
import { admin, TEST_AUTH_TOKEN, TEST_NUMBERS, useEmulator } from "../testing/fixture";
import { startWebhookServer, xml, type WebhookServer } from "../testing/engineTestKit";

const CALLER = "+15555550123";
const NUMBER = TEST_NUMBERS[0];

describe("virtual calls: <Record>", () => {
  const fx = useEmulator({ clock: "virtual" });
  let hooks: WebhookServer;
  /** The TwiML the test server answers per path. */
  let docs: Record<string, string>;

  before(async () => {
    hooks = await startWebhookServer((hit) =>
      hit.path === "/status" ? { status: 204 } : xml(docs[hit.path] ?? "<Response/>"),
    );
  });
  after(() => hooks.close());

  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    hooks.hits.length = 0;
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: NUMBER });
    await fx.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${hooks.url}/voice` });
  });

  const voicemail = (attrs: string) =>
    `<Response><Say>Leave a message</Say><Record ${attrs}/><Say>No message</Say></Response>`;
  const step = (r: CallResult, kind: string) => r.steps.filter((s) => s.kind === kind);
  const recordingShape = /^RE[0-9a-f]{32}$/;

  it("posts RecordingUrl, RecordingSid, RecordingDuration and the finishing key to the action", async () => {
    docs = {
      "/voice": voicemail('action="/recorded" finishOnKey="#" maxLength="60"'),
      "/recorded": "<Response><Say>Thanks</Say><Hangup/></Response>",
    };
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      messages: [{ seconds: 12, key: "#" }],
    });
    const [hit] = hooks.on("/recorded");
    const sid = hit.params.RecordingSid;
    assert.match(sid, recordingShape);
    // "RecordingUrl: The URL of the recorded audio." Shaped as the REST Recording resource's URL.
    assert.equal(
      hit.params.RecordingUrl,
      `https://api.twilio.com/2010-04-01/Accounts/${fx.emu.accountSid}/Recordings/${sid}`,
    );
    // "finishOnKey ... if you set finishOnKey to # and the caller presses #, Twilio will immediately
    // stop recording and submit RecordingUrl, RecordingDuration, and the # to the action URL."
    assert.deepEqual(
      { method: hit.method, duration: hit.params.RecordingDuration, digits: hit.params.Digits },
      { method: "POST", duration: "12", digits: "#" },
    );
    assert.equal(hit.params.CallSid, result.callSid);
    assert.equal(
      validateRequest(TEST_AUTH_TOKEN, hit.signature as string, hit.url, hit.params),
      true,
    );
    // "playBeep ... defaults to true": the beep comes before the recording.
    assert.deepEqual(result.steps.map((s) => `${s.at} ${s.kind}`).slice(2), [
      "0 say",
      "2 beep",
      "2 record",
      "14 record.ended",
      "14 webhook",
      "14 say",
      "15 hangup",
      "15 call.ended",
    ]);
  });

  it("ends after timeout seconds of silence; trim-silence drops it, do-not-trim keeps it", async () => {
    // "The timeout attribute tells Twilio to end the recording after a number of seconds of silence
    // has passed." "trim ... trim-silence ... removes any silence at the beginning and end of your
    // recording."
    docs = {
      "/voice": voicemail('action="/recorded" timeout="3"'),
      "/recorded": "<Response/>",
    };
    const trimmed = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      messages: [{ seconds: 7 }],
    });
    assert.deepEqual(step(trimmed, "record.ended")[0].detail.endedBy, "silence");
    assert.equal(step(trimmed, "record.ended")[0].at, 12); // 2 s prompt + 7 s speech + 3 s silence
    docs["/voice"] = voicemail('action="/recorded" timeout="3" trim="do-not-trim"');
    await placeCall(fx.emu, { to: NUMBER, from: CALLER, messages: [{ seconds: 7 }] });
    assert.deepEqual(
      hooks.on("/recorded").map((h) => [h.params.RecordingDuration, h.params.Digits]),
      [
        ["7", ""],
        ["10", ""],
      ],
    );
  });

  it("stops at maxLength", async () => {
    // "The maxLength attribute lets you set the maximum length for the recording in seconds."
    docs = { "/voice": voicemail('action="/recorded" maxLength="20"'), "/recorded": "<Response/>" };
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      messages: [{ seconds: 45 }],
    });
    assert.deepEqual(step(result, "record.ended")[0].detail, {
      recordingSid: hooks.on("/recorded")[0].params.RecordingSid,
      endedBy: "max-length",
      duration: 20,
      digits: "",
    });
    assert.equal(hooks.on("/recorded")[0].params.RecordingDuration, "20");
  });

  it("ignores a key that is not in finishOnKey and plays no beep with playBeep=false", async () => {
    docs = {
      "/voice": voicemail('action="/recorded" finishOnKey="*" playBeep="false" timeout="2"'),
      "/recorded": "<Response/>",
    };
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      messages: [{ seconds: 4, key: "5" }],
    });
    assert.equal(step(result, "beep").length, 0);
    assert.deepEqual(step(result, "record.key-ignored")[0].detail, { key: "5", finishOnKey: "*" });
    assert.deepEqual(
      [hooks.on("/recorded")[0].params.Digits, hooks.on("/recorded")[0].params.RecordingDuration],
      ["", "4"],
    );
  });

  it("requests the current document's URL when there is no action", async () => {
    // "If you do not provide an action URL, <Record> will request the current document's URL by
    // default." The second time round the caller is silent: an empty recording.
    docs = { "/voice": voicemail("") };
    await placeCall(fx.emu, { to: NUMBER, from: CALLER, messages: [{ seconds: 3, key: "1" }] });
    assert.deepEqual(
      hooks.on("/voice").map((h) => h.params.RecordingDuration ?? null),
      [null, "3"],
    );
  });

  it("does not request the action for an empty recording and goes on with the next verb", async () => {
    // "Note: if Twilio receives an empty recording, it will not make a request to the action URL.
    // The current call flow will continue with the next verb in the current TwiML document."
    docs = {
      "/voice": voicemail(
        'action="/recorded" recordingStatusCallback="/status" recordingStatusCallbackEvent="completed absent"',
      ),
    };
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    assert.equal(hooks.on("/recorded").length, 0);
    assert.deepEqual(
      step(result, "say").map((s) => s.detail.text),
      ["Leave a message", "No message"],
    );
    assert.deepEqual(
      hooks.on("/status").map((h) => h.params.RecordingStatus),
      ["absent"],
    );
  });

  it("sends the completed recording status callback with the recording's details", async () => {
    // "recordingStatusCallbackEvent ... completed" is the default event; the request carries
    // AccountSid, CallSid, RecordingSid, RecordingUrl, RecordingStatus, RecordingDuration,
    // RecordingChannels, RecordingStartTime, RecordingSource, ErrorCode.
    docs = {
      "/voice": voicemail('action="/recorded" recordingStatusCallback="/status"'),
      "/recorded": "<Response/>",
    };
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      messages: [{ seconds: 9 }],
    });
    const [status] = hooks.on("/status");
    const sid = hooks.on("/recorded")[0].params.RecordingSid;
    assert.equal(hooks.on("/status").length, 1);
    assert.deepEqual(
      { ...status.params, RecordingStartTime: "…" },
      {
        AccountSid: fx.emu.accountSid,
        CallSid: result.callSid,
        RecordingSid: sid,
        RecordingUrl: hooks.on("/recorded")[0].params.RecordingUrl,
        RecordingStatus: "completed",
        RecordingDuration: "9",
        RecordingChannels: "1",
        RecordingStartTime: "…",
        RecordingSource: "RecordVerb",
        ErrorCode: "0",
      },
    );
    assert.match(
      status.params.RecordingStartTime,
      /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
    );
    assert.equal(
      validateRequest(TEST_AUTH_TOKEN, status.signature as string, status.url, status.params),
      true,
    );
  });

  it("sends in-progress and completed with GET when asked", async () => {
    docs = {
      "/voice": voicemail(
        'action="/recorded" recordingStatusCallback="/status" recordingStatusCallbackMethod="GET" recordingStatusCallbackEvent="in-progress completed"',
      ),
      "/recorded": "<Response/>",
    };
    await placeCall(fx.emu, { to: NUMBER, from: CALLER, messages: [{ seconds: 2, key: "#" }] });
    assert.deepEqual(
      hooks
        .on("/status")
        .map((h) => [h.method, h.params.RecordingStatus, h.params.RecordingDuration ?? null]),
      [
        ["GET", "in-progress", null],
        ["GET", "completed", "2"],
      ],
    );
  });

  it("still requests the action with Digits=hangup when the caller hangs up, and plays none of it", async () => {
    // "Digits: The key (if any) pressed to end the recording or 'hangup' if the caller hung up".
    // The 2 s prompt, then 10 s of speech before the hang-up.
    docs = {
      "/voice": voicemail('action="/recorded"'),
      "/recorded": "<Response><Say>Never heard</Say></Response>",
    };
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      messages: [{ seconds: 30 }],
      hangupAfterSeconds: 12,
    });
    assert.deepEqual(
      [hooks.on("/recorded")[0].params.Digits, hooks.on("/recorded")[0].params.RecordingDuration],
      ["hangup", "10"],
    );
    assert.equal(step(result, "say").length, 1);
    assert.equal(result.outcome, "hung-up");
  });

  it("refuses bad <Record> attributes with 12200 and fills in Twilio's defaults", async () => {
    assert.throws(() => parseTwiml('<Response><Record trim="both"/></Response>'), {
      code: 12200,
      message: '<Record> trim="both" is not trim-silence or do-not-trim',
    });
    assert.throws(() => parseTwiml('<Response><Record maxLength="0"/></Response>'), {
      code: 12200,
      message: '<Record> maxLength="0" is not between 1 and 14400',
    });
    assert.throws(
      () => parseTwiml('<Response><Record recordingStatusCallbackEvent="failed"/></Response>'),
      {
        code: 12200,
        message:
          '<Record> recordingStatusCallbackEvent "failed" is not in-progress, completed or absent',
      },
    );
    assert.deepEqual(parseTwiml("<Response><Record/></Response>"), [
      {
        verb: "Record",
        method: "POST",
        timeout: 5,
        finishOnKey: "1234567890*#",
        maxLength: 3600,
        playBeep: true,
        trim: "trim-silence",
        recordingStatusCallbackMethod: "POST",
        recordingStatusCallbackEvent: ["completed"],
      },
    ]);
  });
});
