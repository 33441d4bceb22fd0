// Virtual calls through the whole call flow, on the emulator's virtual clock: the local Twilio
// places the calls and the agent's legs, the local webhook host runs the handlers with CALL_FLOW.
// A caller who waits too long books a callback that an agent dials back from the line's number;
// two lines each greet and tag their own calls; an agent who does not answer the dequeue; a
// recorded line's conversation and the agent-leg status callback.
import assert from "node:assert/strict";
import { transcript, type CallResult } from "../../emulator";
import {
  admin,
  buildCentre,
  TEST_AUTH_TOKEN,
  TEST_NUMBERS,
  useEmulator,
  type Centre,
} from "../../emulator/testing";
import { startLocalWebhookHost, type LocalWebhookHost } from "./localHost";
import { memoryLogger } from "./log";
import { CALL_FLOW } from "./testdata/callFlow";
import type { CallFlow } from "./callFlow";

const SALES = TEST_NUMBERS[0];
const SUPPORT = TEST_NUMBERS[1];
const CALLER = "+15555550777";
const ANN = "+15555550900";

/** The test data's two lines on numbers the emulator owns, open around the clock. */
const FLOW: CallFlow = {
  ...CALL_FLOW,
  lines: CALL_FLOW.lines.map((line) => ({
    ...line,
    number: line.name === "sales" ? SALES : SUPPORT,
    hours: undefined,
  })),
  voicemail: { ...CALL_FLOW.voicemail, taskChannel: "voice" },
  callback: { ...CALL_FLOW.callback, taskChannel: "default" },
};
const SALES_LINE = FLOW.lines[0];
const SUPPORT_LINE = FLOW.lines[1];

describe("virtual calls through the call flow: callbacks, lines and the agent's leg", () => {
  const fx = useEmulator({ clock: "virtual" });
  let centre: Centre;
  let host: LocalWebhookHost;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    centre = await buildCentre(fx.client, {
      queues: { everyone: {} },
      workers: { Ann: { activity: "Offline", attributes: { contact_uri: ANN } } },
      routing: { task_routing: { filters: [], default_filter: { queue: "everyone" } } },
    });
    log = memoryLogger();
    host = await startLocalWebhookHost({
      log,
      config: {
        stack: "local",
        workspaceSid: centre.ws,
        workflowSid: centre.workflow,
        wrapUpActivitySid: centre.activity.Offline,
        centreNumber: SALES,
        ivr: { ...SALES_LINE.ivr },
        callFlow: FLOW,
        twilioApiBaseUrl: fx.emu.url,
        authToken: { from: "env", value: TEST_AUTH_TOKEN },
        signatureValidation: true,
      },
    });
    const tr = fx.client.taskrouter.v1.workspaces(centre.ws);
    await tr.workflows(centre.workflow).update({ assignmentCallbackUrl: `${host.url}/assignment` });
    for (const number of [SALES, SUPPORT]) {
      const [n] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: number });
      await fx.client
        .incomingPhoneNumbers(n.sid)
        .update({ voiceUrl: `${host.url}/incoming-call`, voiceMethod: "POST" });
    }
  });
  afterEach(() => host.close());

  const tr = () => fx.client.taskrouter.v1.workspaces(centre.ws);
  const annAvailable = () =>
    tr().workers(centre.worker.Ann).update({ activitySid: centre.activity.Available });
  const advance = (seconds: number) =>
    admin(fx.emu, "POST", "/clock/advance", { seconds }) as Promise<unknown>;
  const steps = (r: CallResult, kinds: string[]) =>
    r.steps.filter((s) => kinds.includes(s.kind)).map((s) => `${s.at} ${s.kind}`);
  const said = (r: CallResult) => r.steps.filter((s) => s.kind === "say").map((s) => s.detail.text);
  const taskOf = async (sid: string) => {
    const t = await tr().tasks(sid).fetch();
    return { ...t, attrs: JSON.parse(t.attributes) as Record<string, unknown> };
  };
  const agentLegLogs = () => log.lines.filter((l) => l.msg === "agent leg status");

  it("waits past maxWait, books a callback; the agent is rung, answers, and /dial-back dials the customer from the line's number", async () => {
    // Option 1's maxWait is 60 s: the hold music (its position, then 30 s of music) is fetched at 0,
    // 33 and 66 s in the queue; at 66 s QueueTime ≥ 60 and /hold-music answers <Leave>. The exits
    // menu is 1 voicemail, 2 callback; the caller presses 2 during its first prompt.
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 3 });
    const caller = fx.emu.phone.start({ to: SALES, from: CALLER, digits: ["1", "2"] });
    await advance(200);
    const call = await caller.done;
    assert.match(transcript(call), /To leave a voicemail, press 1\./);
    assert.deepEqual(steps(call, ["enqueue", "leave", "enqueue.action", "call.ended"]), [
      "4 enqueue",
      "70 leave",
      "70 enqueue.action",
      "74 call.ended",
    ]);
    assert.equal(said(call).at(-1), "We will call you back. Goodbye.");
    const queued = await taskOf(call.taskSid as string);
    assert.deepEqual(
      [queued.assignmentStatus, queued.reason],
      ["canceled", "Caller left the queue"],
    );

    const [callback] = await tr().tasks.list({ assignmentStatus: ["pending"] });
    const task = await taskOf(callback.sid);
    assert.deepEqual(task.attrs, {
      type: "callback",
      department: "sales",
      called: SALES,
      caller: CALLER,
      line: "sales",
      call_flow: "callback",
    });
    assert.equal(task.taskChannelUniqueName, "default");

    await annAvailable();
    await advance(120);
    const agent = fx.emu.phone.list().find((r) => r.direction === "outbound-api");
    assert.ok(agent, "the call instruction placed a call to the agent");
    assert.deepEqual([agent.from, agent.to], [SALES, ANN]);
    assert.deepEqual(
      steps(agent, [
        "worker.call",
        "answered",
        "dial",
        "dial.answered",
        "dial.ended",
        "call.ended",
      ]),
      [
        "0 worker.call",
        "3 answered",
        "6 dial",
        "6 dial.answered",
        "36 dial.ended",
        "36 call.ended",
      ],
    );
    assert.deepEqual(said(agent), ["Calling back a customer of sales."]);
    const [dialled] = agent.legs;
    assert.deepEqual(
      [dialled.kind, dialled.from, dialled.to, dialled.status],
      ["dial", SALES, CALLER, "completed"],
    );
    const reservations = await tr().tasks(callback.sid).reservations.list();
    assert.deepEqual(
      reservations.map((r) => [r.workerName, r.reservationStatus]),
      [["Ann", "completed"]],
    );
    // The call instruction's status callback reaches /agent-leg-status, signed (the host checks).
    assert.deepEqual(agentLegLogs(), [
      {
        level: "info",
        msg: "agent leg status",
        CallSid: agent.callSid,
        CallStatus: "completed",
        CallDuration: "33",
        RecordingUrl: agent.recording?.recordingUrl,
      },
    ]);
    // Twilio never ends a `call` instruction's task: /agent-leg-status puts Ann in wrap-up (the
    // test's wrap-up activity is Offline) and completes it, so she is not held by it for ever.
    const done = await taskOf(callback.sid);
    assert.deepEqual([done.assignmentStatus, done.reason], ["completed", "callback call ended"]);
    assert.equal((await tr().workers(centre.worker.Ann).fetch()).activityName, "Offline");
  });

  /** A caller who books a callback on the sales line (as above); returns the callback task's SID. */
  const bookCallback = async () => {
    const caller = fx.emu.phone.start({ to: SALES, from: CALLER, digits: ["1", "2"] });
    await advance(200);
    assert.equal(said(await caller.done).at(-1), "We will call you back. Goodbye.");
    const [callback] = await tr().tasks.list({ assignmentStatus: ["pending"] });
    return callback.sid;
  };
  /** Every callback task, oldest first, as [SID, status, attempt, reason] (lists carry no attributes). */
  const callbackTasks = async () => {
    const list = await tr().tasks.list({ ordering: "DateCreated:asc" });
    const tasks = await Promise.all(list.map((t) => taskOf(t.sid)));
    return tasks
      .filter((t) => t.attrs.call_flow === "callback")
      .map((t) => [t.sid, t.assignmentStatus, t.attrs.callback_attempt ?? 1, t.reason]);
  };

  it("a callback the customer does not answer: the agent is told, goes to wrap-up, and the callback is re-queued as attempt 2", async () => {
    const first = await bookCallback();
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 3 });
    fx.emu.phone.answering.set(CALLER, { answerAfterSeconds: null });
    await annAvailable();
    await advance(120);
    const agent = fx.emu.phone.list().find((r) => r.direction === "outbound-api");
    assert.ok(agent);
    assert.deepEqual(said(agent), [
      "Calling back a customer of sales.",
      "The customer did not answer. The callback goes back to the queue.",
    ]);
    assert.deepEqual([agent.legs[0].to, agent.legs[0].status], [CALLER, "no-answer"]);
    const tasks = await callbackTasks();
    const second = String(tasks[1]?.[0]);
    assert.deepEqual(tasks, [
      [first, "completed", 1, `customer no-answer; re-queued as ${second}`],
      [second, "pending", 2, null],
    ]);
    assert.equal((await taskOf(first)).attrs.caller, CALLER);
    assert.equal((await tr().workers(centre.worker.Ann).fetch()).activityName, "Offline");
  });

  it("a callback whose agent never answers is re-queued after each ring timeout and given up after the third attempt", async () => {
    await bookCallback();
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: null });
    await annAvailable();
    await advance(300);
    const rung = fx.emu.phone.list().filter((r) => r.direction === "outbound-api");
    assert.deepEqual(
      rung.map((r) => [r.to, r.outcome]),
      [
        [ANN, "no-answer"],
        [ANN, "no-answer"],
        [ANN, "no-answer"],
      ],
    );
    const tasks = await callbackTasks();
    const sids = tasks.map((t) => String(t[0]));
    assert.deepEqual(tasks, [
      [sids[0], "completed", 1, `agent leg no-answer; re-queued as ${sids[1]}`],
      [sids[1], "completed", 2, `agent leg no-answer; re-queued as ${sids[2]}`],
      [sids[2], "completed", 3, "agent leg no-answer; callback given up"],
    ]);
    assert.deepEqual(
      log.lines.filter((l) => l.level === "warn"),
      [
        {
          level: "warn",
          msg: "callback given up",
          TaskSid: sids[2],
          attempts: 3,
          why: "agent leg no-answer",
        },
      ],
    );
  });

  it("preferLastAgent: a callback booked by a caller Ann answered before carries last_agent_sid", async () => {
    await annAvailable();
    const first = fx.emu.phone.start({ to: SALES, from: CALLER, digits: "1", talkSeconds: 20 });
    await advance(60);
    assert.equal((await first.done).assignedWorker, "Ann");
    // Ann is Offline now (the wrap-up activity): the second call waits past maxWait.
    const second = fx.emu.phone.start({ to: SALES, from: CALLER, digits: ["1", "2"] });
    await advance(200);
    assert.equal(said(await second.done).at(-1), "We will call you back. Goodbye.");
    const [callback] = await tr().tasks.list({ assignmentStatus: ["pending"] });
    const task = await taskOf(callback.sid);
    assert.deepEqual(
      [task.attrs.call_flow, task.attrs.last_agent_sid],
      ["callback", centre.worker.Ann],
    );
  });

  it("two lines: each call hears its line's greeting and its task carries the line's attributes and the number called", async () => {
    const calls: CallResult[] = [];
    for (const to of [SALES, SUPPORT]) {
      const c = fx.emu.phone.start({ to, from: CALLER, digits: "1", hangupAfterSeconds: 20 });
      await advance(25);
      calls.push(await c.done);
    }
    assert.deepEqual(
      calls.map((c) => said(c)[0]),
      [SALES_LINE.ivr.greeting, SUPPORT_LINE.ivr.greeting],
    );
    const attrs = await Promise.all(
      calls.map(async (c) => (await taskOf(c.taskSid as string)).attrs),
    );
    assert.deepEqual(
      attrs.map((a) => [a.line, a.called, a.to, a.department, a.skill, a.selected_option]),
      [
        ["sales", SALES, SALES, "sales", "orders", "new orders"],
        ["support", SUPPORT, SUPPORT, "support", "support", "support"],
      ],
    );
  });

  it("a dequeue the agent does not answer: no-answer after the ring timeout, the status callback says so, the caller stays in the queue", async () => {
    // https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks, status_callback_url: "This
    // is very useful in the event a call to worker fails, where you could remove the original call
    // from queue and send to voice mail". The support line has no maxWait: the caller keeps waiting.
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: null });
    await annAvailable();
    const caller = fx.emu.phone.start({
      to: SUPPORT,
      from: CALLER,
      digits: "1",
      hangupAfterSeconds: 120,
    });
    await advance(130);
    const call = await caller.done;
    assert.deepEqual(
      steps(call, ["enqueue", "dequeue", "agent.ringing", "agent.no-answer", "caller.hangup"]),
      ["3 enqueue", "3 dequeue", "3 agent.ringing", "23 agent.no-answer", "120 caller.hangup"],
    );
    assert.equal(FLOW.agentLeg.ringTimeout, 20);
    assert.deepEqual(
      [call.outcome, call.bridgedTo, call.legs[0].status],
      ["hung-up", null, "no-answer"],
    );
    // Nothing took the caller out of the queue: the support line has no maxWait.
    assert.deepEqual(steps(call, ["bridged", "queue.left"]), []);
    assert.deepEqual(
      call.steps
        .filter((s) => s.kind === "enqueue.action")
        .map((s) => [s.at, s.detail.queueResult]),
      [[120, "hangup"]],
    );
    assert.deepEqual(agentLegLogs(), [
      {
        level: "info",
        msg: "agent leg status",
        CallSid: call.legs[0].callSid,
        CallStatus: "no-answer",
        CallDuration: "0",
        taskCallSid: call.callSid,
      },
    ]);
    // The reservation was accepted with the dequeue; the task ends with the caller's call.
    const task = await taskOf(call.taskSid as string);
    assert.deepEqual([task.assignmentStatus, task.reason], ["completed", "Call ended"]);
  });

  it("recordCalls: the bridged call is recorded from answer and /agent-leg-status gets the recording", async () => {
    fx.emu.phone.answering.set(ANN, { answerAfterSeconds: 2 });
    await annAvailable();
    const caller = fx.emu.phone.start({ to: SALES, from: CALLER, digits: "1", talkSeconds: 45 });
    await advance(120);
    const call = await caller.done;
    assert.deepEqual(steps(call, ["dequeue", "bridged", "bridge.ended"]), [
      "4 dequeue",
      "6 bridged",
      "51 bridge.ended",
    ]);
    const [leg] = call.legs;
    assert.ok(leg.recording);
    assert.equal(leg.recording.duration, 45);
    assert.deepEqual(agentLegLogs(), [
      {
        level: "info",
        msg: "agent leg status",
        CallSid: leg.callSid,
        CallStatus: "completed",
        CallDuration: "45",
        taskCallSid: call.callSid,
        RecordingUrl: leg.recording.recordingUrl,
      },
    ]);
    // The support line does not record. (The wrap-up activity is Offline: Ann comes back first.)
    await annAvailable();
    const other = fx.emu.phone.start({ to: SUPPORT, from: CALLER, digits: "1", talkSeconds: 10 });
    await advance(60);
    assert.equal((await other.done).legs[0].recording, null);
  });
});
