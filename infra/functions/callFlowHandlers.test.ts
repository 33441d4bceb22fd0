import assert from "node:assert/strict";
import type { HandlerConfig } from "./config";
import type { RouteName } from "./routes";
import { CALL_FLOW, SALES_NUMBER, SUPPORT_NUMBER } from "./testdata/callFlow";
import {
  AGENT,
  BASE_URL,
  CALLER,
  CONFIG,
  INCOMING_CALL,
  SIDS,
  WAITING,
  assignmentParams,
  gathered,
  handleEvent,
  twilioEvent,
  type TwilioEventOptions,
} from "./testdata/twilioEvents";
import type { CentreRest, NewTask } from "./twilioRest";
import { WEBHOOKS } from "./webhooks";

const FLOW_CONFIG: HandlerConfig = { ...CONFIG, callFlow: CALL_FLOW };

/** A REST fake that records what the handlers asked for; `task` is what fetchTask answers. */
function fakeRest(
  lastAgent?: string,
  task: { assignmentStatus: string; attributes: Record<string, unknown> } = {
    assignmentStatus: "assigned",
    attributes: {},
  },
) {
  const calls: ({ created?: NewTask } & Record<string, unknown>)[] = [];
  const rest = (accountSid: string): CentreRest => ({
    createTask: async (created) => (calls.push({ accountSid, created }), NEW_TASK),
    lastAgentSid: async (caller) => (calls.push({ accountSid, lastAgentOf: caller }), lastAgent),
    fetchTask: async (sid) => (calls.push({ fetched: sid }), task),
    endTask: async (sid, status, reason) => void calls.push({ ended: sid, status, reason }),
    setWorkerActivity: async (worker, activity) => void calls.push({ worker, activity }),
  });
  return { rest, calls };
}
const NEW_TASK = `WT${"7".repeat(32)}`;

const at = (iso: string) => () => new Date(iso);
const call = (
  route: RouteName,
  opts: Omit<TwilioEventOptions, "route">,
  extra: Parameters<typeof handleEvent>[3] = {},
) => handleEvent(WEBHOOKS[route], twilioEvent({ route, ...opts }), FLOW_CONFIG, extra);

const twiml = (inner: string) => ({
  statusCode: 200,
  headers: { "content-type": "text/xml" },
  body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`,
});
const json = (value: unknown) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

const SALES_SAY = '<Say voice="Polly.Amy" language="en-GB">';
const SUPPORT_SAY = '<Say voice="Polly.Joanna" language="en-US">';
const TO_SALES = { ...INCOMING_CALL, To: SALES_NUMBER, Called: SALES_NUMBER };
const TO_SUPPORT = { ...INCOMING_CALL, To: SUPPORT_NUMBER, Called: SUPPORT_NUMBER };

const SALES_IVR =
  `${SALES_SAY}Thanks for calling Owl Shoes sales.</Say>` +
  `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/enqueue-call">` +
  `${SALES_SAY}For new orders, press 1.</Say>${SALES_SAY}For returns, press 2.</Say></Gather>` +
  `<Redirect method="POST">${BASE_URL}/incoming-call?attempt=2</Redirect>`;
const SALES_CLOSED =
  `${SALES_SAY}Owl Shoes sales is closed.</Say>` +
  `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/exit-choice?line=sales&amp;why=closed">` +
  `${SALES_SAY}To leave a voicemail, press 1.</Say>${SALES_SAY}To be called back, press 2.</Say>` +
  `</Gather>${SALES_SAY}Goodbye.</Say><Hangup/>`;

describe("CALL_FLOW: POST /incoming-call picks the line by To and judges its hours", () => {
  const incoming = (clock: string, params: Record<string, string> = TO_SALES) =>
    call("incomingCall", { params }, { clock: at(clock) });

  it("open (Wednesday 10:00 in London): the line's own IVR", async () => {
    assert.deepEqual((await incoming("2026-12-02T10:00:00Z")).result, twiml(SALES_IVR));
  });

  it("closed (Wednesday 17:30 in London, the close is exclusive): the closed message, then the exits as a keypad menu", async () => {
    assert.deepEqual((await incoming("2026-12-02T17:30:00Z")).result, twiml(SALES_CLOSED));
  });

  it("on a holiday (Christmas Day, a Friday, 10:00): closed", async () => {
    assert.deepEqual((await incoming("2026-12-25T10:00:00Z")).result, twiml(SALES_CLOSED));
  });

  // Europe/London springs forward on 2026-03-29 at 01:00 UTC (01:00 GMT becomes 02:00 BST); the
  // line is open on Sundays 00:30–02:30 local time.
  it("before the DST change: 00:20 UTC is 00:20 GMT (closed), 00:40 UTC is 00:40 GMT (open)", async () => {
    assert.deepEqual((await incoming("2026-03-29T00:20:00Z")).result, twiml(SALES_CLOSED));
    assert.deepEqual((await incoming("2026-03-29T00:40:00Z")).result, twiml(SALES_IVR));
  });

  it("after the DST change: 01:20 UTC is 02:20 BST (open), 01:40 UTC is 02:40 BST (closed)", async () => {
    assert.deepEqual((await incoming("2026-03-29T01:20:00Z")).result, twiml(SALES_IVR));
    assert.deepEqual((await incoming("2026-03-29T01:40:00Z")).result, twiml(SALES_CLOSED));
  });

  it("a line without hours is always open, with its own IVR", async () => {
    const { result } = await incoming("2026-12-25T03:00:00Z", TO_SUPPORT);
    assert.deepEqual(
      result,
      twiml(
        `${SUPPORT_SAY}Owl Shoes support.</Say>` +
          `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/enqueue-call">` +
          `${SUPPORT_SAY}For support, press 1.</Say></Gather>` +
          `<Redirect method="POST">${BASE_URL}/incoming-call?attempt=2</Redirect>`,
      ),
    );
  });

  it("a number no line lists: not in service, with a warning, never a guessed line", async () => {
    const { result, lines } = await incoming("2026-12-02T10:00:00Z", {
      ...INCOMING_CALL,
      To: "+15555550111",
    });
    assert.deepEqual(
      result,
      twiml(
        '<Say voice="Polly.Joanna" language="en-US">This number is not in service. Goodbye.</Say><Hangup/>',
      ),
    );
    assert.deepEqual(lines, [
      { level: "warn", msg: "call to an unknown line", To: "+15555550111" },
    ]);
  });
});

describe("CALL_FLOW: POST /enqueue-call", () => {
  it("enqueues with the line's attributes, the option's, called/caller/line, the action and the option's maxWait", async () => {
    const { result } = await call("enqueueCall", {
      params: { ...gathered("1"), To: SALES_NUMBER },
    });
    const attributes = {
      department: "sales",
      selected_option: "new orders",
      skill: "orders",
      called: SALES_NUMBER,
      caller: CALLER,
      line: "sales",
    };
    assert.deepEqual(
      result,
      twiml(
        `<Enqueue workflowSid="${SIDS.workflow}" action="${BASE_URL}/queue-result?line=sales" method="POST" ` +
          `waitUrl="${BASE_URL}/hold-music?line=sales&amp;maxWait=60" waitUrlMethod="GET">` +
          `<Task>${JSON.stringify(attributes)}</Task></Enqueue>`,
      ),
    );
  });

  it("without an option maxWait uses the line's; a line without one sets none", async () => {
    const sales = await call("enqueueCall", { params: { ...gathered("2"), To: SALES_NUMBER } });
    assert.match(
      sales.result.body as string,
      /waitUrl="[^"]*\/hold-music\?line=sales&amp;maxWait=300"/,
    );
    const support = await call("enqueueCall", { params: { ...gathered("1"), To: SUPPORT_NUMBER } });
    assert.match(support.result.body as string, /waitUrl="[^"]*\/hold-music\?line=support"/);
  });
});

describe("CALL_FLOW: GET /hold-music", () => {
  const waiting = (queueTime: string, maxWait?: string) =>
    call("holdMusic", {
      params: {
        ...WAITING,
        QueueTime: queueTime,
        line: "sales",
        ...(maxWait === undefined ? {} : { maxWait }),
      },
    });

  it("before maxWait: the position and the music once, so Twilio fetches again", async () => {
    assert.deepEqual(
      (await waiting("59", "60")).result,
      twiml(
        `${SALES_SAY}You are number 3 in the queue.</Say>` +
          '<Play loop="1">https://media.example.com/hold/jazz.mp3</Play>',
      ),
    );
  });

  it("at or past maxWait: <Leave>", async () => {
    assert.deepEqual((await waiting("60", "60")).result, twiml("<Leave/>"));
    assert.deepEqual((await waiting("61", "60")).result, twiml("<Leave/>"));
  });

  it("without maxWait: music for ever", async () => {
    assert.deepEqual(
      (await waiting("9999")).result,
      twiml(
        `${SALES_SAY}You are number 3 in the queue.</Say>` +
          '<Play loop="0">https://media.example.com/hold/jazz.mp3</Play>',
      ),
    );
  });
});

describe("CALL_FLOW: POST /queue-result (the Enqueue action)", () => {
  const result = (QueueResult: string, line = "sales") =>
    call("queueResult", {
      params: { ...TO_SALES, QueueResult, QueueTime: "300" },
      query: `line=${line}`,
    });

  for (const ended of ["bridged", "hangup"]) {
    it(`${ended}: hangs up`, async () => {
      assert.deepEqual((await result(ended)).result, twiml("<Hangup/>"));
    });
  }

  it("leave (maxWait reached) or the workflow ending without an agent: the line's exits menu", async () => {
    const menu =
      `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/exit-choice?line=sales&amp;why=nobodyAnswers">` +
      `${SALES_SAY}To leave a voicemail, press 1.</Say>${SALES_SAY}To be called back, press 2.</Say>` +
      `</Gather>${SALES_SAY}Goodbye.</Say><Hangup/>`;
    assert.deepEqual((await result("leave")).result, twiml(menu));
    assert.deepEqual((await result("system-error")).result, twiml(menu));
  });

  it("one exit: straight to it", async () => {
    assert.deepEqual(
      (await result("leave", "support")).result,
      twiml(`<Redirect method="POST">${BASE_URL}/voicemail?line=support</Redirect>`),
    );
  });
});

describe("CALL_FLOW: POST /exit-choice", () => {
  const choose = (digit: string, why: string) =>
    call("exitChoice", {
      params: { ...gathered(digit), To: SALES_NUMBER },
      query: `line=sales&why=${why}`,
    });

  it("1 → voicemail, 2 → callback, in the line's order", async () => {
    assert.deepEqual(
      (await choose("1", "closed")).result,
      twiml(`<Redirect method="POST">${BASE_URL}/voicemail?line=sales</Redirect>`),
    );
    assert.deepEqual(
      (await choose("2", "nobodyAnswers")).result,
      twiml(`<Redirect method="POST">${BASE_URL}/callback?line=sales</Redirect>`),
    );
  });

  it("another key: goodbye", async () => {
    assert.deepEqual(
      (await choose("3", "closed")).result,
      twiml('<Say voice="Polly.Joanna" language="en-US">Goodbye.</Say><Hangup/>'),
    );
  });
});

describe("CALL_FLOW: voicemail", () => {
  it("POST /voicemail: the prompt and <Record> with its action, maxLength and recording status callback", async () => {
    const { result } = await call("voicemail", { params: TO_SALES, query: "line=sales" });
    assert.deepEqual(
      result,
      twiml(
        `${SALES_SAY}Please leave a message after the tone.</Say>` +
          `<Record action="${BASE_URL}/voicemail?line=sales&amp;done=1" method="POST" maxLength="120" playBeep="true" ` +
          `recordingStatusCallback="${BASE_URL}/voicemail-recorded?line=sales&amp;caller=%2B14155550123" ` +
          'recordingStatusCallbackMethod="POST"/>',
      ),
    );
  });

  it("the Record action thanks the caller and hangs up", async () => {
    const { result } = await call("voicemail", { params: TO_SALES, query: "line=sales&done=1" });
    assert.deepEqual(result, twiml(`${SALES_SAY}Thank you. Goodbye.</Say><Hangup/>`));
  });

  const recorded = {
    AccountSid: SIDS.account,
    CallSid: SIDS.call,
    RecordingSid: "RE0123456789abcdef0123456789abcdef",
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SIDS.account}/Recordings/RE0123456789abcdef0123456789abcdef`,
    RecordingStatus: "completed",
    RecordingDuration: "14",
  };

  it("POST /voicemail-recorded creates the voicemail task through the REST API, as the request's account", async () => {
    const { rest, calls } = fakeRest();
    const { result, lines } = await call(
      "voicemailRecorded",
      { params: recorded, query: "line=sales&caller=%2B14155550123" },
      { rest },
    );
    assert.deepEqual(result, { statusCode: 204 });
    assert.deepEqual(calls, [
      {
        accountSid: SIDS.account,
        created: {
          workflowSid: SIDS.workflow,
          taskChannel: "voicemail",
          attributes: {
            type: "voicemail",
            department: "sales",
            called: SALES_NUMBER,
            caller: CALLER,
            line: "sales",
            call_flow: "voicemail",
            call_sid: SIDS.call,
            recording_sid: recorded.RecordingSid,
            recording_url: recorded.RecordingUrl,
          },
        },
      },
    ]);
    assert.deepEqual(lines, [
      {
        level: "info",
        msg: "voicemail task created",
        CallSid: SIDS.call,
        RecordingSid: recorded.RecordingSid,
        RecordingStatus: "completed",
        TaskSid: NEW_TASK,
        line: "sales",
      },
    ]);
  });

  it("a failed recording makes no task", async () => {
    const { rest, calls } = fakeRest();
    const { result } = await call(
      "voicemailRecorded",
      {
        params: { ...recorded, RecordingStatus: "failed" },
        query: "line=sales&caller=%2B14155550123",
      },
      { rest },
    );
    assert.deepEqual(result, { statusCode: 204 });
    assert.deepEqual(calls, []);
  });
});

describe("CALL_FLOW: POST /callback", () => {
  it("looks up the caller's last agent, creates the callback task, confirms and hangs up", async () => {
    const { rest, calls } = fakeRest(SIDS.worker);
    const { result } = await call("callback", { params: TO_SALES, query: "line=sales" }, { rest });
    assert.deepEqual(result, twiml(`${SALES_SAY}We will call you back. Goodbye.</Say><Hangup/>`));
    assert.deepEqual(calls, [
      { accountSid: SIDS.account, lastAgentOf: CALLER },
      {
        accountSid: SIDS.account,
        created: {
          workflowSid: SIDS.workflow,
          taskChannel: "callback",
          attributes: {
            type: "callback",
            department: "sales",
            called: SALES_NUMBER,
            caller: CALLER,
            line: "sales",
            call_flow: "callback",
            last_agent_sid: SIDS.worker,
          },
        },
      },
    ]);
  });

  it("no last agent (or preferLastAgent off): no last_agent_sid, and no look-up when off", async () => {
    const none = fakeRest(undefined);
    await call("callback", { params: TO_SALES, query: "line=sales" }, { rest: none.rest });
    assert.equal("last_agent_sid" in (none.calls[1].created?.attributes ?? {}), false);
    const off = fakeRest(SIDS.worker);
    const config = {
      ...FLOW_CONFIG,
      callFlow: { ...CALL_FLOW, callback: { ...CALL_FLOW.callback, preferLastAgent: false } },
    };
    await handleEvent(
      WEBHOOKS.callback,
      twilioEvent({ route: "callback", params: TO_SALES, query: "line=sales" }),
      config,
      { rest: off.rest },
    );
    assert.deepEqual(
      off.calls.map((c) => c.lastAgentOf),
      [undefined],
    );
  });
});

describe("CALL_FLOW: POST /assignment by kind of task", () => {
  const assign = (task: Record<string, unknown>) =>
    call("assignment", {
      params: { ...assignmentParams({ contact_uri: AGENT }), TaskAttributes: JSON.stringify(task) },
    });

  it("a call from a recording line: dequeue with the ring timeout, recording and the status callback", async () => {
    const { result } = await assign({ call_sid: SIDS.call, line: "sales", caller: CALLER });
    assert.deepEqual(
      result,
      json({
        instruction: "dequeue",
        from: SALES_NUMBER,
        to: AGENT,
        post_work_activity_sid: SIDS.wrapUp,
        timeout: 20,
        record: "record-from-answer",
        status_callback_url: `${BASE_URL}/agent-leg-status`,
        status_callback_events: "completed",
      }),
    );
  });

  it("a call from a line that does not record: do-not-record", async () => {
    const { result } = await assign({ call_sid: SIDS.call, line: "support", caller: CALLER });
    assert.equal(JSON.parse(result.body as string).record, "do-not-record");
  });

  it("a callback: the call instruction whose url dials the customer back from the line's number", async () => {
    const { result } = await assign({ call_flow: "callback", line: "sales", caller: CALLER });
    assert.deepEqual(
      result,
      json({
        instruction: "call",
        accept: true,
        from: SALES_NUMBER,
        to: AGENT,
        url: `${BASE_URL}/dial-back?line=sales&customer=%2B14155550123&task=${SIDS.task}&worker=${SIDS.worker}`,
        timeout: 20,
        record: "record-from-answer",
        status_callback_url: `${BASE_URL}/agent-leg-status?task=${SIDS.task}&worker=${SIDS.worker}`,
      }),
    );
  });

  it("a voicemail: accept", async () => {
    const { result } = await assign({ call_flow: "voicemail", line: "sales", caller: CALLER });
    assert.deepEqual(result, json({ instruction: "accept" }));
  });
});

describe("CALL_FLOW: POST /dial-back", () => {
  const CUSTOMER_QUERY = `line=sales&customer=%2B14155550123&task=${SIDS.task}&worker=${SIDS.worker}`;
  const dialBack = (params: Record<string, string>, rest = fakeRest().rest) =>
    call("dialBack", { params, query: CUSTOMER_QUERY }, { rest });
  const dialled = (DialCallStatus: string) => ({
    ...INCOMING_CALL,
    From: SALES_NUMBER,
    To: AGENT,
    DialCallStatus,
  });

  it("dials the customer from the line's number, the <Dial> action coming back here", async () => {
    const { result } = await dialBack({ ...INCOMING_CALL, From: SALES_NUMBER, To: AGENT });
    assert.deepEqual(
      result,
      twiml(
        `${SALES_SAY}Calling back a customer of sales.</Say>` +
          `<Dial callerId="${SALES_NUMBER}" action="${BASE_URL}/dial-back?${CUSTOMER_QUERY.replace(/&/g, "&amp;")}">` +
          `<Number>${CALLER}</Number></Dial>`,
      ),
    );
  });

  it("the customer answered (DialCallStatus completed): hang up, the task is left to /agent-leg-status", async () => {
    const fake = fakeRest();
    const { result } = await dialBack(dialled("completed"), fake.rest);
    assert.deepEqual(result, twiml("<Hangup/>"));
    assert.deepEqual(fake.calls, []);
  });

  it("the customer did not answer: the callback is re-queued as attempt 2, the accepted task completed (Twilio cancels only pending or reserved tasks), and the agent is told", async () => {
    const attributes = { call_flow: "callback", line: "sales", caller: CALLER };
    const fake = fakeRest(undefined, { assignmentStatus: "assigned", attributes });
    const { result, lines } = await dialBack(dialled("no-answer"), fake.rest);
    assert.deepEqual(
      result,
      twiml(
        `${SALES_SAY}The customer did not answer. The callback goes back to the queue.</Say><Hangup/>`,
      ),
    );
    assert.deepEqual(fake.calls, [
      { fetched: SIDS.task },
      { worker: SIDS.worker, activity: SIDS.wrapUp },
      {
        accountSid: INCOMING_CALL.AccountSid,
        created: {
          workflowSid: SIDS.workflow,
          taskChannel: CALL_FLOW.callback.taskChannel,
          attributes: { ...attributes, callback_attempt: 2 },
        },
      },
      {
        ended: SIDS.task,
        status: "completed",
        reason: `customer no-answer; re-queued as ${NEW_TASK}`,
      },
    ]);
    assert.deepEqual(lines, [
      {
        level: "info",
        msg: "callback re-queued",
        TaskSid: SIDS.task,
        NewTaskSid: NEW_TASK,
        attempt: 2,
        why: "customer no-answer",
      },
    ]);
  });

  it("a callback still pending (never accepted) is canceled, not completed", async () => {
    const fake = fakeRest(undefined, { assignmentStatus: "pending", attributes: {} });
    await dialBack(dialled("failed"), fake.rest);
    assert.deepEqual(fake.calls.at(-1), {
      ended: SIDS.task,
      status: "canceled",
      reason: `customer failed; re-queued as ${NEW_TASK}`,
    });
  });

  it("the third attempt not answered either: the callback is canceled, not re-queued, with a warning", async () => {
    const fake = fakeRest(undefined, {
      assignmentStatus: "assigned",
      attributes: { call_flow: "callback", callback_attempt: 3 },
    });
    const { result, lines } = await dialBack(dialled("busy"), fake.rest);
    assert.deepEqual(
      result,
      twiml(`${SALES_SAY}The customer did not answer. That was the last attempt.</Say><Hangup/>`),
    );
    assert.deepEqual(fake.calls, [
      { fetched: SIDS.task },
      { worker: SIDS.worker, activity: SIDS.wrapUp },
      { ended: SIDS.task, status: "completed", reason: "customer busy; callback given up" },
    ]);
    assert.deepEqual(lines, [
      {
        level: "warn",
        msg: "callback given up",
        TaskSid: SIDS.task,
        attempts: 3,
        why: "customer busy",
      },
    ]);
  });

  it("refuses a customer that is not E.164, or no task or worker SID", async () => {
    for (const query of [
      `line=sales&customer=sip%3Aevil&task=${SIDS.task}&worker=${SIDS.worker}`,
      `line=sales&customer=%2B14155550123&worker=${SIDS.worker}`,
      `line=sales&customer=%2B14155550123&task=${SIDS.task}`,
    ]) {
      const { result, lines } = await call("dialBack", { params: INCOMING_CALL, query });
      assert.deepEqual(
        result,
        twiml('<Say voice="Polly.Joanna" language="en-US">Goodbye.</Say><Hangup/>'),
      );
      const params = new URLSearchParams(query);
      assert.deepEqual(lines, [
        {
          level: "warn",
          msg: "dial-back refused",
          line: "sales",
          customer: params.get("customer"),
          task: params.get("task") ?? "",
          worker: params.get("worker") ?? "",
        },
      ]);
    }
  });
});

describe("CALL_FLOW: GET /agent-leg-status of a callback's leg", () => {
  const QUERY = `task=${SIDS.task}&worker=${SIDS.worker}`;
  const status = (CallStatus: string, rest: ReturnType<typeof fakeRest>, query = QUERY) =>
    call(
      "agentLegStatus",
      { params: { CallSid: SIDS.call, CallStatus, AccountSid: INCOMING_CALL.AccountSid }, query },
      { rest: rest.rest },
    );

  it("completed: the agent goes to wrap-up first, then the task is completed", async () => {
    const fake = fakeRest();
    const { result, lines } = await status("completed", fake);
    assert.deepEqual(result, { statusCode: 204 });
    assert.deepEqual(fake.calls, [
      { worker: SIDS.worker, activity: SIDS.wrapUp },
      { fetched: SIDS.task },
      { ended: SIDS.task, status: "completed", reason: "callback call ended" },
    ]);
    assert.deepEqual(lines.at(-1), {
      level: "info",
      msg: "callback completed",
      TaskSid: SIDS.task,
      WorkerSid: SIDS.worker,
    });
  });

  it("completed after the customer's no-answer re-queued it: wrap-up only, the ended task is left alone", async () => {
    const fake = fakeRest(undefined, { assignmentStatus: "completed", attributes: {} });
    await status("completed", fake);
    assert.deepEqual(fake.calls, [
      { worker: SIDS.worker, activity: SIDS.wrapUp },
      { fetched: SIDS.task },
    ]);
  });

  it("no-answer: the agent never picked up, the callback is re-queued", async () => {
    const fake = fakeRest(undefined, {
      assignmentStatus: "assigned",
      attributes: { caller: CALLER },
    });
    await status("no-answer", fake);
    assert.deepEqual(
      fake.calls.slice(1).map((c) => (c.reason ?? c.created) as unknown),
      [
        {
          workflowSid: SIDS.workflow,
          taskChannel: CALL_FLOW.callback.taskChannel,
          attributes: { caller: CALLER, callback_attempt: 2 },
        },
        `agent leg no-answer; re-queued as ${NEW_TASK}`,
      ],
    );
  });

  it("ringing, or a dequeue's leg (no task in the query): logged, nothing asked of Twilio", async () => {
    for (const [callStatus, query] of [
      ["ringing", QUERY],
      ["completed", ""],
    ]) {
      const fake = fakeRest();
      const { lines } = await status(callStatus, fake, query);
      assert.deepEqual(fake.calls, []);
      assert.deepEqual(lines, [
        { level: "info", msg: "agent leg status", CallSid: SIDS.call, CallStatus: callStatus },
      ]);
    }
  });

  it("a task or worker that is not a SID: a warning, nothing asked of Twilio", async () => {
    const fake = fakeRest();
    const { lines } = await status("completed", fake, `task=${SIDS.task}&worker=Ann`);
    assert.deepEqual(fake.calls, []);
    assert.deepEqual(lines.at(-1), {
      level: "warn",
      msg: "agent leg status ignored: no callback task and worker SIDs",
      task: SIDS.task,
      worker: "Ann",
    });
  });
});
