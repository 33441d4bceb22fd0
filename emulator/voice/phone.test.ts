import { strict as assert } from "node:assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { placeCall, transcript, type CallResult } from "./phone";
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

/** The seed's centre: English and Hindi queues escalating to Everyone, Shyam speaks Hindi. */
const seed = (hooks: string, shyamActivity = "Available") => ({
  activities: { "Wrap-Up": false },
  queues: {
    English: { targetWorkers: 'languages HAS "english"' },
    Hindi: { targetWorkers: 'languages HAS "hindi"' },
    Everyone: {},
  },
  workers: {
    Asha: {
      attributes: { languages: ["english"], contact_uri: "+15555550201" },
      activity: "Offline",
    },
    Shyam: {
      attributes: { languages: ["hindi", "english"], contact_uri: "+15555550202" },
      activity: shyamActivity,
    },
    Bala: {
      attributes: { languages: ["english"], contact_uri: "+15555550203" },
      activity: "Offline",
    },
  },
  routing: {
    task_routing: {
      filters: [
        {
          filter_friendly_name: "English",
          expression: 'selected_language == "english"',
          targets: [{ queue: "English", timeout: 60 }, { queue: "Everyone" }],
        },
        {
          filter_friendly_name: "Hindi",
          expression: 'selected_language == "hindi"',
          targets: [{ queue: "Hindi", timeout: 60 }, { queue: "Everyone" }],
        },
      ],
      default_filter: { queue: "Everyone" },
    },
  },
  assignmentCallbackUrl: `${hooks}/assignment`,
});

describe("virtual calls", () => {
  const fx = useEmulator({ clock: "virtual" });
  let twiml: WebhookServer;
  let c: Centre;
  /** The assignment callback's answer; the test TwiML server plays the seed's IVR. */
  let assignment: (hit: Hit) => Reply;

  before(async () => {
    twiml = await startWebhookServer((hit) => {
      const vr = new VoiceResponse();
      switch (hit.path) {
        case "/incoming-call": {
          const g = vr.gather({ numDigits: 1, action: "/menu", method: "POST", timeout: 5 });
          g.say("Welcome to the contact centre. Press 1 for English, 2 for Hindi.");
          vr.say("We did not get that.");
          vr.hangup();
          return xml(vr.toString());
        }
        case "/menu": {
          const language = ({ "1": "english", "2": "hindi" } as Record<string, string>)[
            hit.params.Digits
          ];
          vr.enqueue({
            workflowSid: c.workflow,
            waitUrl: "/hold",
            waitUrlMethod: "GET",
            action: "/after",
          }).task({ priority: 1 }, JSON.stringify({ selected_language: language }));
          return xml(vr.toString());
        }
        case "/hold":
          vr.say("Please hold.");
          vr.play("https://example.invalid/music.mp3");
          return xml(vr.toString());
        case "/after":
          vr.say("Goodbye.");
          return xml(vr.toString());
        case "/assignment":
          return assignment(hit);
        default:
          return { status: 404 };
      }
    });
  });
  after(() => twiml.close());

  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    twiml.hits.length = 0;
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: NUMBER });
    await fx.client
      .incomingPhoneNumbers(number.sid)
      .update({ voiceUrl: `${twiml.url}/incoming-call` });
  });

  const dequeueToContact = () =>
    json({ instruction: "dequeue", post_work_activity_sid: c.activity["Wrap-Up"] });
  const kinds = (r: CallResult) => r.steps.map((s) => `${s.at} ${s.kind}`);

  it("plays the seed's whole flow: IVR press 2, Hindi queue, Shyam, bridged, Wrap-Up", async () => {
    c = await buildCentre(fx.client, seed(twiml.url));
    assignment = dequeueToContact;
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER, digits: "2" });
    assert.deepEqual(
      {
        outcome: result.outcome,
        queue: result.queue,
        assignedWorker: result.assignedWorker,
        bridgedTo: result.bridgedTo,
        error: result.error,
      },
      {
        outcome: "bridged",
        queue: "Hindi",
        assignedWorker: "Shyam",
        bridgedTo: "+15555550202",
        error: null,
      },
    );
    assert.deepEqual(kinds(result), [
      "0 call.started",
      "0 webhook",
      "0 gather",
      "0 say",
      "1 digits",
      "1 webhook",
      "1 enqueue",
      "1 reservation.created",
      "1 webhook",
      "1 say",
      "1 dequeue",
      "1 bridged",
      "1 reservation.accepted",
      "31 bridge.ended",
      "31 worker.activity",
      "31 reservation.completed",
      "31 task.completed",
      "31 enqueue.action",
      "31 webhook",
      "31 say",
      "32 call.ended",
    ]);
    const tr = fx.client.taskrouter.v1.workspaces(c.ws);
    const task = await tr.tasks(result.taskSid as string).fetch();
    const attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    assert.equal(task.assignmentStatus, "completed");
    assert.deepEqual(
      { ...attributes, worker_call_sid: "…" },
      {
        selected_language: "hindi",
        call_sid: result.callSid,
        account_sid: fx.emu.accountSid,
        from: CALLER,
        to: NUMBER,
        call_status: "in-progress",
        api_version: "2010-04-01",
        direction: "inbound",
        worker_call_sid: "…",
      },
    );
    assert.equal(task.priority, 1);
    assert.equal((await tr.workers(c.worker.Shyam).fetch()).activityName, "Wrap-Up");
    const first = twiml.on("/incoming-call")[0];
    assert.deepEqual(first.params, {
      CallSid: result.callSid,
      AccountSid: fx.emu.accountSid,
      From: CALLER,
      To: NUMBER,
      CallStatus: "ringing",
      Direction: "inbound",
      ApiVersion: "2010-04-01",
    });
    for (const hit of twiml.hits) {
      assert.equal(
        validateRequest(
          TEST_AUTH_TOKEN,
          hit.signature as string,
          hit.url,
          hit.method === "GET" ? {} : hit.params, // a GET is signed over its URL alone
        ),
        true,
        hit.path,
      );
    }
    assert.deepEqual(
      { ...twiml.on("/hold")[0].params, CallSid: "…", AccountSid: "…", QueueSid: "…" },
      {
        CallSid: "…",
        AccountSid: "…",
        From: CALLER,
        To: NUMBER,
        CallStatus: "in-progress",
        Direction: "inbound",
        ApiVersion: "2010-04-01",
        QueueSid: "…",
        QueuePosition: "1",
        QueueTime: "0",
        AvgQueueTime: "0",
        CurrentQueueSize: "1",
        MaxQueueSize: "100",
      },
    );
    assert.deepEqual(
      {
        QueueResult: twiml.on("/after")[0].params.QueueResult,
        QueueTime: twiml.on("/after")[0].params.QueueTime,
      },
      { QueueResult: "bridged", QueueTime: "30" },
    );
  });

  it("loops the wait URL while the caller waits, then escalates to Everyone after the Hindi timeout", async () => {
    c = await buildCentre(fx.client, {
      ...seed(twiml.url, "Offline"),
      workers: {
        Shyam: {
          attributes: { languages: ["hindi"], contact_uri: "+15555550202" },
          activity: "Offline",
        },
        Asha: { attributes: { languages: ["english"], contact_uri: "client:asha" } },
      },
    });
    assignment = dequeueToContact;
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      digits: ["2"],
      talkSeconds: 10,
    });
    assert.deepEqual(
      [result.outcome, result.queue, result.assignedWorker, result.bridgedTo],
      ["bridged", "Everyone", "Asha", "client:asha"],
    );
    // Hold document: 1 s of speech + 30 s of music; fetched at 1, 32 and then interrupted at 61.
    assert.deepEqual(
      twiml.on("/hold").map((h) => [h.params.QueueTime, h.params.QueuePosition]),
      [
        ["0", "1"],
        ["31", "1"],
      ],
    );
    assert.deepEqual(
      result.steps
        .filter((s) => ["dequeue", "bridge.ended", "call.ended"].includes(s.kind))
        .map((s) => `${s.at} ${s.kind}`),
      ["61 dequeue", "71 bridge.ended", "72 call.ended"],
    );
  });

  it("cancels the task when the caller hangs up before assignment", async () => {
    c = await buildCentre(fx.client, seed(twiml.url, "Offline"));
    assignment = dequeueToContact;
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: CALLER,
      digits: "1",
      hangupAfterSeconds: 20,
    });
    assert.equal(result.outcome, "hung-up");
    const task = await fx.client.taskrouter.v1
      .workspaces(c.ws)
      .tasks(result.taskSid as string)
      .fetch();
    assert.deepEqual([task.assignmentStatus, task.reason], ["canceled", "Caller hung up"]);
    assert.deepEqual(
      result.steps.slice(-5).map((s) => `${s.at} ${s.kind}`),
      ["20 caller.hangup", "20 task.canceled", "20 enqueue.action", "20 webhook", "20 call.ended"],
    );
    assert.equal(twiml.on("/after")[0].params.QueueResult, "hangup");
  });

  it("falls through a Gather with no input to the next verb", async () => {
    c = await buildCentre(fx.client, seed(twiml.url));
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    assert.deepEqual(kinds(result), [
      "0 call.started",
      "0 webhook",
      "0 gather",
      "0 say",
      "10 gather.timeout",
      "10 say",
      "12 hangup",
      "12 call.ended",
    ]);
    assert.equal(result.outcome, "hung-up");
  });

  it("bridges a caller dequeued through the REST reservation Instruction", async () => {
    c = await buildCentre(fx.client, seed(twiml.url));
    assignment = () => ({ status: 200 });
    const call = fx.emu.phone.start({ to: NUMBER, from: CALLER, digits: "2", talkSeconds: 5 });
    await advance(fx.emu, 3);
    const tr = fx.client.taskrouter.v1.workspaces(c.ws);
    const [reservation] = await tr.workers(c.worker.Shyam).reservations.list();
    await tr.workers(c.worker.Shyam).reservations(reservation.sid).update({
      instruction: "dequeue",
      dequeueFrom: NUMBER,
      dequeuePostWorkActivitySid: c.activity["Wrap-Up"],
    });
    await advance(fx.emu, 10);
    const result = await call.done;
    assert.deepEqual(
      [result.outcome, result.assignedWorker, result.bridgedTo],
      ["bridged", "Shyam", "+15555550202"],
    );
    assert.equal((await tr.workers(c.worker.Shyam).fetch()).activityName, "Wrap-Up");
  });

  it("refuses a dequeue instruction for a task without a call with error 40140", async () => {
    c = await buildCentre(fx.client, seed(twiml.url));
    assignment = () => ({ status: 200 });
    const tr = fx.client.taskrouter.v1.workspaces(c.ws);
    const task = await tr.tasks.create({
      workflowSid: c.workflow,
      attributes: JSON.stringify({ selected_language: "hindi" }),
    });
    await advance(fx.emu, 0);
    const [reservation] = await tr.tasks(task.sid).reservations.list();
    await assert.rejects(
      tr.tasks(task.sid).reservations(reservation.sid).update({ instruction: "dequeue" }),
      {
        status: 400,
        code: 40140,
        message: `Dequeue: task ${task.sid} has no call_sid`,
      },
    );
  });

  it("answers POST /__emulator/calls with the call trace and lists it afterwards", async () => {
    c = await buildCentre(fx.client, seed(twiml.url));
    assignment = dequeueToContact;
    const result = (await admin(fx.emu, "POST", "/calls", {
      to: NUMBER,
      from: CALLER,
      digits: "2",
    })) as CallResult;
    assert.deepEqual(
      [result.outcome, result.queue, result.assignedWorker],
      ["bridged", "Hindi", "Shyam"],
    );
    const listed = (await admin(fx.emu, "GET", "/calls")) as { calls: CallResult[] };
    assert.deepEqual(
      listed.calls.map((x) => x.callSid),
      [result.callSid],
    );
    assert.deepEqual(await admin(fx.emu, "GET", `/calls/${result.callSid}`), result);
    await assert.rejects(admin(fx.emu, "POST", "/calls", { to: "12", from: CALLER }), {
      message: 'admin POST /calls: 400 {"error":"to must be an E.164 number"}',
    });
  });

  it("writes a readable transcript", async () => {
    c = await buildCentre(fx.client, seed(twiml.url));
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    const lines = transcript(result).split("\n");
    assert.equal(
      lines[0],
      `Call ${result.callSid} from ${CALLER} to ${NUMBER}, started ${result.startedAt}`,
    );
    assert.equal(
      lines[4],
      "     +0s  say                    text=Welcome to the contact centre. Press 1 for English, 2 for Hindi. voice=man language=en-US",
    );
    assert.equal(lines[lines.length - 1], "Outcome: hung-up");
  });
});
