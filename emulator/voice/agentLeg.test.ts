// The agent's leg of dequeue and call instructions, and <Dial><Number>, on virtual calls. Each
// behaviour quotes https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks or
// https://www.twilio.com/docs/voice/twiml/dial; where they are silent the choice is the one
// emulator/README.md documents.
import { strict as assert } from "node:assert";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { placeCall, type CallResult } from "./phone";
import { admin, TEST_AUTH_TOKEN, TEST_NUMBERS, useEmulator } from "../testing/fixture";
import {
  advance,
  buildCentre,
  json,
  startWebhookServer,
  xml,
  type Centre,
  type Hit,
  type Reply,
  type WebhookServer,
} from "../testing/engineTestKit";

const CALLER = "+15555550123";
const NUMBER = TEST_NUMBERS[0];
const ANN = "+15555550201";
const CUSTOMER = "+15555550777";

describe("virtual calls: the agent's leg (dequeue, call) and <Dial>", () => {
  const fx = useEmulator({ clock: "virtual" });
  let hooks: WebhookServer;
  let c: Centre;
  let assignment: (hit: Hit) => Reply;
  let docs: Record<string, string>;

  before(async () => {
    hooks = await startWebhookServer((hit) => {
      if (hit.path === "/assignment") return assignment(hit);
      if (hit.path === "/status") return { status: 204 };
      return xml(docs[hit.path] ?? "<Response/>");
    });
  });
  after(() => hooks.close());

  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    hooks.hits.length = 0;
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: NUMBER });
    await fx.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${hooks.url}/voice` });
    c = await buildCentre(fx.client, {
      activities: { "Wrap-Up": false },
      queues: { Everyone: {} },
      workers: { Ann: { attributes: { contact_uri: ANN } } },
      routing: { task_routing: { default_filter: { queue: "Everyone" } } },
      assignmentCallbackUrl: `${hooks.url}/assignment`,
    });
    docs = {
      "/voice":
        `<Response><Enqueue workflowSid="${c.workflow}" waitUrl="/hold" waitUrlMethod="GET">` +
        "<Task>{}</Task></Enqueue><Say>Goodbye</Say></Response>",
      "/hold": "<Response><Play>https://example.invalid/music.mp3</Play></Response>",
    };
  });

  const dequeue = (extra: Record<string, unknown>) => () =>
    json({
      instruction: "dequeue",
      post_work_activity_sid: c.activity["Wrap-Up"],
      status_callback_url: `${hooks.url}/status`,
      ...extra,
    });
  const kinds = (r: CallResult, only: string[]) =>
    r.steps.filter((s) => only.includes(s.kind)).map((s) => `${s.at} ${s.kind}`);
  const statusHits = () => hooks.on("/status");
  /** The one task's reservation, left pending by an assignment callback with no instruction. */
  const pendingReservation = async () => {
    const tr = fx.client.taskrouter.v1.workspaces(c.ws);
    const [task] = await tr.tasks.list();
    const [reservation] = await tr.tasks(task.sid).reservations.list();
    return tr.tasks(task.sid).reservations(reservation.sid);
  };
  const signed = (h: Hit) => validateRequest(TEST_AUTH_TOKEN, h.signature ?? "", h.url, {});

  it("dequeue: the worker answers after 5 s of ringing, the caller is bridged then; every subscribed event goes to the status callback with taskCallSid", async () => {
    // timeout: "The integer number of seconds that Twilio should allow the phone associated with
    // contact_uri to ring before assuming there is no answer."
    // status_callback_events: "If you wish to listen to all, simply provide
    // initiated,ringing,answered,completed."
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 5 });
    assignment = dequeue({
      timeout: 20,
      status_callback_events: "initiated,ringing,answered,completed",
    });
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER, talkSeconds: 40 });
    assert.deepEqual(kinds(result, ["dequeue", "agent.ringing", "bridged", "bridge.ended"]), [
      "0 dequeue",
      "0 agent.ringing",
      "5 bridged",
      "45 bridge.ended",
    ]);
    assert.equal(result.outcome, "bridged");
    const [leg] = result.legs;
    assert.deepEqual(
      [leg.kind, leg.from, leg.to, leg.status, leg.recording],
      ["dequeue", NUMBER, ANN, "completed", null],
    );
    const hits = statusHits();
    assert.deepEqual(
      hits.map((h) => [h.method, h.params.CallStatus, h.params.SequenceNumber]),
      [
        ["GET", "initiated", "0"],
        ["GET", "ringing", "1"],
        ["GET", "in-progress", "2"],
        ["GET", "completed", "3"],
      ],
    );
    // "TaskRouter sends taskCallSid as parameter with sid of the call that created the Task."
    for (const h of hits) {
      assert.equal(h.params.taskCallSid, result.callSid);
      assert.equal(h.params.CallSid, leg.callSid);
      assert.deepEqual(
        [h.params.From, h.params.To, h.params.Direction],
        [NUMBER, ANN, "outbound-api"],
      );
      assert.ok(signed(h), "the status callback is signed");
    }
    assert.equal(hits[3].params.CallDuration, "40");
    assert.equal(hits[3].params.RecordingUrl, undefined);
    const task = await fx.client.taskrouter.v1
      .workspaces(c.ws)
      .tasks(result.taskSid as string)
      .fetch();
    assert.equal(JSON.parse(task.attributes).worker_call_sid, leg.callSid);
  });

  it("dequeue with record-from-answer: the recording of the bridged conversation rides on the completed status callback", async () => {
    // record: "Whether or not to record the call: do-not-record or record-from-answer";
    // status_callback_events: "By default, we will send only the call completed event."
    assignment = dequeue({ record: "record-from-answer" });
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER, talkSeconds: 25 });
    const [hit] = statusHits();
    assert.equal(statusHits().length, 1);
    const rec = result.legs[0].recording;
    assert.ok(rec);
    assert.match(
      rec.recordingUrl,
      /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Recordings\/RE[0-9a-f]{32}$/,
    );
    assert.deepEqual(
      [
        hit.params.CallStatus,
        hit.params.CallDuration,
        hit.params.RecordingUrl,
        hit.params.RecordingSid,
        hit.params.RecordingDuration,
      ],
      ["completed", "25", rec.recordingUrl, rec.recordingSid, "25"],
    );
    assert.equal(rec.duration, 25);
  });

  it("dequeue: a worker who does not answer within the ring timeout ends no-answer and the caller stays in the queue", async () => {
    // status_callback_url: "This is very useful in the event a call to worker fails, where you
    // could remove the original call from queue and send to voice mail or enqueue again".
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: null });
    assignment = dequeue({ timeout: 15 });
    const { callSid, done } = fx.emu.phone.start({
      to: NUMBER,
      from: CALLER,
      hangupAfterSeconds: 100,
    });
    await advance(fx.emu, 15);
    const [hit] = statusHits();
    assert.deepEqual(
      [hit.params.CallStatus, hit.params.CallDuration, hit.params.taskCallSid],
      ["no-answer", "0", callSid],
    );
    const holdFetches = hooks.on("/hold").length;
    await advance(fx.emu, 60);
    assert.ok(hooks.on("/hold").length > holdFetches, "the caller still hears the wait URL");
    assert.equal(
      fx.emu.phone.get(callSid)?.steps.some((s) => s.kind === "bridged"),
      false,
    );
    await advance(fx.emu, 30);
    const result = await done;
    assert.deepEqual(kinds(result, ["agent.ringing", "agent.no-answer", "caller.hangup"]), [
      "0 agent.ringing",
      "15 agent.no-answer",
      "100 caller.hangup",
    ]);
    assert.deepEqual([result.outcome, result.legs[0].status], ["hung-up", "no-answer"]);
  });

  it("dequeue: a caller who hangs up while the worker's phone rings cancels the leg then", async () => {
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 30 });
    assignment = dequeue({ timeout: 40 });
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER, hangupAfterSeconds: 12 });
    assert.deepEqual(kinds(result, ["agent.ringing", "caller.hangup", "agent.canceled"]), [
      "0 agent.ringing",
      "12 caller.hangup",
      "12 agent.canceled",
    ]);
    assert.deepEqual(
      [result.outcome, result.legs[0].status, result.legs[0].answeredAt],
      ["hung-up", "canceled", null],
    );
    await advance(fx.emu, 60);
    assert.deepEqual(
      statusHits().map((h) => [h.params.CallStatus, h.params.CallDuration]),
      [["canceled", "0"]],
    );
  });

  it("REST Instruction=dequeue: DequeueTimeout, DequeueRecord, DequeueStatusCallbackUrl and DequeueStatusCallbackEvent act as the callback's keys", async () => {
    // The Reservation resource's update takes the dequeue instruction's keys as Dequeue* parameters
    // (https://www.twilio.com/docs/taskrouter/api/reservation#update-a-taskreservation-resource):
    // DequeueStatusCallbackEvent "The Call progress events sent via webhooks as a result of a
    // Dequeue instruction". An assignment callback answering 200 without an instruction leaves
    // the reservation pending for the REST update.
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 4 });
    assignment = () => json({});
    const { callSid, done } = fx.emu.phone.start({ to: NUMBER, from: CALLER, talkSeconds: 10 });
    await advance(fx.emu, 1);
    await (
      await pendingReservation()
    ).update({
      instruction: "dequeue",
      dequeuePostWorkActivitySid: c.activity["Wrap-Up"],
      dequeueTimeout: 7,
      dequeueRecord: "record-from-answer",
      dequeueStatusCallbackUrl: `${hooks.url}/status`,
      dequeueStatusCallbackEvent: ["ringing", "completed"],
    });
    await advance(fx.emu, 30);
    const result = await done;
    assert.equal(result.callSid, callSid);
    assert.deepEqual(kinds(result, ["dequeue", "agent.ringing", "bridged", "bridge.ended"]), [
      "1 dequeue",
      "1 agent.ringing",
      "5 bridged",
      "15 bridge.ended",
    ]);
    assert.deepEqual(
      statusHits().map((h) => [h.params.CallStatus, h.params.RecordingDuration]),
      [
        ["ringing", undefined],
        ["completed", "10"],
      ],
    );
  });

  it("REST Instruction=dequeue: a DequeueTimeout the worker's phone outlasts ends the leg no-answer", async () => {
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 10 });
    assignment = () => json({});
    fx.emu.phone.start({ to: NUMBER, from: CALLER, hangupAfterSeconds: 60 });
    await advance(fx.emu, 1);
    await (
      await pendingReservation()
    ).update({
      instruction: "dequeue",
      dequeueTimeout: 7,
      dequeueStatusCallbackUrl: `${hooks.url}/status`,
    });
    await advance(fx.emu, 10);
    assert.deepEqual(
      statusHits().map((h) => h.params.CallStatus),
      ["no-answer"],
    );
  });

  const refusals: Array<[string, Record<string, unknown>, number, string]> = [
    [
      "status_callback_events with an unknown event",
      { status_callback_events: "answered,hungup" },
      40134,
      'Dequeue: invalid status_callback_events "answered,hungup": a comma-separated list of initiated, ringing, answered, completed',
    ],
    [
      "a status_callback_url that is not HTTP",
      { status_callback_url: "ftp://x" },
      40157,
      'Dequeue: invalid status_callback_url "ftp://x": not an HTTP or HTTPS URL',
    ],
    [
      "a record value Twilio does not list",
      { record: "record-from-ringing" },
      40133,
      'Dequeue: invalid record "record-from-ringing": do-not-record or record-from-answer',
    ],
    [
      "a timeout over 999",
      { timeout: 1000 },
      40133,
      "Dequeue: invalid timeout 1000: a whole number of seconds from 1 to 999",
    ],
  ];
  for (const [name, extra, code, message] of refusals) {
    it(`dequeue refuses ${name} with ${code}`, async () => {
      assignment = dequeue(extra);
      fx.emu.phone.start({ to: NUMBER, from: CALLER, hangupAfterSeconds: 5 });
      await advance(fx.emu, 6);
      const failures = fx.emu.engine.failures.map((f) => [f.code, f.message]);
      assert.deepEqual(failures, [[code, message]]);
    });
  }

  describe("call instruction and <Dial>", () => {
    const callInstruction =
      (extra: Record<string, unknown> = {}) =>
      () =>
        json({
          instruction: "call",
          accept: true,
          from: NUMBER,
          url: `${hooks.url}/agent`,
          status_callback_url: `${hooks.url}/status`,
          ...extra,
        });

    beforeEach(async () => {
      docs["/agent"] =
        `<Response><Say>Calling back a customer.</Say><Dial callerId="${NUMBER}" action="/dialed">` +
        `<Number>${CUSTOMER}</Number></Dial></Response>`;
      docs["/dialed"] = "<Response><Hangup/></Response>";
      // A task with no call: the callback the agent makes.
      await fx.client.taskrouter.v1.workspaces(c.ws).tasks.create({
        workflowSid: c.workflow,
        attributes: JSON.stringify({ caller: CUSTOMER }),
      });
    });

    const workerCall = () => {
      const calls = fx.emu.phone.list().filter((r) => r.direction === "outbound-api");
      assert.equal(calls.length, 1);
      return calls[0];
    };

    it("rings the worker, runs the url's TwiML once they answer, and <Dial> reaches the customer from callerId", async () => {
      // "If the party at 415-123-4567 answers the call, the two parties can communicate until one
      // hangs up." "Twilio will make a GET or POST request to the action URL (if provided) when the
      // <Dial> call ends."
      fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 4 });
      fx.emu.phone.answering.set(CUSTOMER, { answerAfterSeconds: 3, talkSeconds: 50 });
      assignment = callInstruction({ timeout: 20, record: "record-from-answer" });
      await advance(fx.emu, 120);
      const call = workerCall();
      assert.deepEqual([call.from, call.to, call.outcome], [NUMBER, ANN, "hung-up"]);
      assert.deepEqual(
        kinds(call, [
          "worker.call",
          "answered",
          "say",
          "dial",
          "dial.answered",
          "dial.ended",
          "hangup",
          "call.ended",
        ]),
        [
          "0 worker.call",
          "4 answered",
          "4 say",
          "6 dial",
          "9 dial.answered",
          "59 dial.ended",
          "59 hangup",
          "59 call.ended",
        ],
      );
      const [party] = call.legs;
      assert.deepEqual(
        [party.kind, party.from, party.to, party.status],
        ["dial", NUMBER, CUSTOMER, "completed"],
      );
      const [dialed] = hooks.on("/dialed");
      assert.deepEqual(
        [dialed.params.DialCallStatus, dialed.params.DialCallSid, dialed.params.DialCallDuration],
        ["completed", party.callSid, "50"],
      );
      // The call instruction's status_callback_url: the completed event, with the recording.
      const [status] = statusHits();
      assert.equal(statusHits().length, 1);
      assert.deepEqual(
        [
          status.params.CallSid,
          status.params.CallStatus,
          status.params.CallDuration,
          status.params.RecordingUrl,
        ],
        [call.callSid, "completed", "55", call.recording?.recordingUrl],
      );
      assert.equal(status.params.taskCallSid, undefined);
    });

    it("REST Instruction=call: CallTo, CallFrom, CallUrl, CallAccept, CallTimeout, CallRecord and CallStatusCallbackUrl act as the callback's keys", async () => {
      // https://www.twilio.com/docs/taskrouter/api/reservation#update-a-taskreservation-resource
      fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 2 });
      fx.emu.phone.answering.set(CUSTOMER, { answerAfterSeconds: 1, talkSeconds: 20 });
      assignment = () => json({});
      await advance(fx.emu, 1);
      const reservation = await pendingReservation();
      await reservation.update({
        instruction: "call",
        callTo: ANN,
        callFrom: NUMBER,
        callUrl: `${hooks.url}/agent`,
        callAccept: true,
        callTimeout: 5,
        callRecord: "record-from-answer",
        callStatusCallbackUrl: `${hooks.url}/status`,
      });
      await advance(fx.emu, 60);
      const call = workerCall();
      assert.deepEqual(
        [call.from, call.to, call.outcome, call.legs[0].to],
        [NUMBER, ANN, "hung-up", CUSTOMER],
      );
      assert.deepEqual(
        statusHits().map((h) => [h.params.CallStatus, h.params.RecordingDuration]),
        [["completed", "23"]], // from answer: the say (2 s), the customer ringing (1 s), 20 s talk
      );
      assert.equal((await reservation.fetch()).reservationStatus, "accepted");
    });

    it("a worker who does not answer within the call's timeout: no-answer, the url is never requested", async () => {
      fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 30 });
      assignment = callInstruction({ timeout: 10 });
      await advance(fx.emu, 60);
      const call = workerCall();
      assert.deepEqual(
        [call.outcome, kinds(call, ["no-answer", "call.ended"])],
        ["no-answer", ["10 no-answer", "10 call.ended"]],
      );
      assert.equal(hooks.on("/agent").length, 0);
      assert.deepEqual(
        statusHits().map((h) => [h.params.CallStatus, h.params.CallDuration]),
        [["no-answer", "0"]],
      );
    });

    it("<Dial> to a number nobody answers: DialCallStatus no-answer after its timeout", async () => {
      // <Dial> "will end the new call if: The called party does not pick up."
      fx.emu.phone.answering.set(CUSTOMER, { answerAfterSeconds: null });
      docs["/agent"] =
        `<Response><Dial timeout="12" action="/dialed">${CUSTOMER}</Dial></Response>`;
      assignment = callInstruction();
      await advance(fx.emu, 60);
      const call = workerCall();
      assert.deepEqual(kinds(call, ["dial", "dial.no-answer"]), ["0 dial", "12 dial.no-answer"]);
      const [dialed] = hooks.on("/dialed");
      assert.deepEqual(
        [dialed.params.DialCallStatus, dialed.params.DialCallDuration],
        ["no-answer", "0"],
      );
      // callerId omitted: the calling call's number.
      assert.equal(call.legs[0].from, NUMBER);
    });

    it("<Dial> without an action goes on with the next verb when the dialled party hangs up", async () => {
      // "If you do not provide an action URL in your <Dial> and the original caller is still on
      // the line, Twilio will continue to render the original TwiML document."
      fx.emu.phone.answering.set(CUSTOMER, { answerAfterSeconds: 0, talkSeconds: 8 });
      docs["/agent"] = `<Response><Dial>${CUSTOMER}</Dial><Say>Note the call.</Say></Response>`;
      assignment = callInstruction();
      await advance(fx.emu, 60);
      const call = workerCall();
      assert.deepEqual(kinds(call, ["dial", "dial.answered", "dial.ended", "say", "call.ended"]), [
        "0 dial",
        "0 dial.answered",
        "8 dial.ended",
        "8 say",
        "10 call.ended",
      ]);
      assert.equal(hooks.on("/dialed").length, 0);
    });

    it("call refuses a status_callback_url that is not HTTP with 40158", async () => {
      assignment = callInstruction({ status_callback_url: "nope" });
      await advance(fx.emu, 5);
      assert.deepEqual(
        fx.emu.engine.failures.map((f) => [f.code, f.message]),
        [[40158, 'Call: invalid status_callback_url "nope": not an HTTP or HTTPS URL']],
      );
    });
  });

  it("POST /__emulator/answering scripts a phone; bad bodies are refused", async () => {
    assert.deepEqual(
      await admin(fx.emu, "POST", "/answering", { uri: ANN, answerAfterSeconds: null }),
      { answering: { [ANN]: { answerAfterSeconds: null } } },
    );
    await assert.rejects(
      admin(fx.emu, "POST", "/answering", { uri: ANN, answerAfterSeconds: -1 }),
      /400 \{"error":"answerAfterSeconds must be a non-negative number, or null for a phone nobody answers"\}/,
    );
    await admin(fx.emu, "POST", "/reset");
    assert.deepEqual(await admin(fx.emu, "GET", "/answering"), { answering: {} });
  });
});
