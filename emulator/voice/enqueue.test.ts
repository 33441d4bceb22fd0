// <Enqueue action> and <Leave> on a virtual call: each behaviour quotes
// https://www.twilio.com/docs/voice/twiml/enqueue or https://www.twilio.com/docs/voice/twiml/leave.
import { strict as assert } from "node:assert";
import { placeCall, type CallResult } from "./phone";
import { MAX_QUEUE_SIZE } from "./call";
import { admin, TEST_NUMBERS, useEmulator } from "../testing/fixture";
import {
  advance,
  buildCentre,
  startWebhookServer,
  xml,
  type Centre,
  type WebhookServer,
} from "../testing/engineTestKit";

const CALLER = "+15555550123";
const NUMBER = TEST_NUMBERS[0];

describe("virtual calls: <Enqueue action>, QueueResult and <Leave>", () => {
  const fx = useEmulator({ clock: "virtual" });
  let hooks: WebhookServer;
  let c: Centre;
  let docs: Record<string, string>;

  before(async () => {
    hooks = await startWebhookServer((hit) =>
      hit.path === "/assignment"
        ? { status: 200, type: "application/json", body: "{}" }
        : xml(docs[hit.path] ?? "<Response/>"),
    );
  });
  after(() => hooks.close());

  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    hooks.hits.length = 0;
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: NUMBER });
    await fx.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${hooks.url}/voice` });
    // Nobody is available: callers wait until something takes them out of the queue.
    c = await buildCentre(fx.client, {
      queues: { Everyone: {} },
      workers: { Asha: { activity: "Offline" } },
      routing: { task_routing: { default_filter: { queue: "Everyone" } } },
      assignmentCallbackUrl: `${hooks.url}/assignment`,
    });
  });

  const enqueue = (attrs: string, task = "<Task>{}</Task>") =>
    `<Response><Enqueue workflowSid="${c.workflow}" waitUrl="/wait" ${attrs}>${task}</Enqueue>` +
    "<Say>After the queue</Say></Response>";
  const says = (r: CallResult) => r.steps.filter((s) => s.kind === "say").map((s) => s.detail.text);

  it("<Leave> in the wait document: the action gets QueueResult=leave, QueueSid, QueueTime at once", async () => {
    // "In the case where a call is dequeued due to a REST API request or the <Leave> verb, the
    // action URL is requested right away."
    docs = {
      "/voice": enqueue('action="/after"'),
      "/wait": '<Response><Pause length="20"/><Leave/></Response>',
      "/after": "<Response><Say>Leave a message</Say></Response>",
    };
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    const [after] = hooks.on("/after");
    assert.deepEqual(
      [after.params.QueueResult, after.params.QueueSid, after.params.QueueTime],
      ["leave", "QU" + c.workflow.slice(2), "20"],
    );
    assert.deepEqual(says(result), ["Leave a message"]);
    const task = await fx.client.taskrouter.v1
      .workspaces(c.ws)
      .tasks(result.taskSid as string)
      .fetch();
    assert.deepEqual([task.assignmentStatus, task.reason], ["canceled", "Caller left the queue"]);
  });

  it("<Leave> with no action goes on with the verb after <Enqueue>", async () => {
    // "When Twilio executes the <Leave> verb on a call, the call is removed from the queue and
    // Twilio executes the next TwiML verb after the original <Enqueue>."
    docs = { "/voice": enqueue(""), "/wait": "<Response><Leave/></Response>" };
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    assert.deepEqual(says(result), ["After the queue"]);
  });

  it("a task TaskRouter cancels (its timeout) sends the caller to the action with QueueResult=leave", async () => {
    // "A request is made to this URL when the call leaves the queue, describing the dequeue reason".
    // Twilio does not name the QueueResult for a canceled TaskRouter task: the emulator says leave.
    docs = {
      "/voice": enqueue('action="/after"', '<Task timeout="45">{}</Task>'),
      "/wait": '<Response><Play loop="0">https://example.invalid/music.mp3</Play></Response>',
      "/after": "<Response><Say>We will call you back</Say></Response>",
    };
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    assert.deepEqual(
      [hooks.on("/after")[0].params.QueueResult, hooks.on("/after")[0].params.QueueTime],
      ["leave", "45"],
    );
    assert.deepEqual(says(result), ["We will call you back"]);
    assert.equal(result.outcome, "canceled");
  });

  it("a workflow that does not exist: QueueResult=error without QueueSid or QueueTime", async () => {
    docs = {
      "/voice":
        '<Response><Enqueue workflowSid="WW00000000000000000000000000000000" action="/after"/></Response>',
      "/after": "<Response><Say>Sorry</Say></Response>",
    };
    const result = await placeCall(fx.emu, { to: NUMBER, from: CALLER });
    const params = hooks.on("/after")[0].params;
    assert.deepEqual(
      [params.QueueResult, params.QueueSid, params.QueueTime],
      ["error", undefined, undefined],
    );
    assert.deepEqual(says(result), ["Sorry"]);
  });

  it("one call more than the queue's maximum gets QueueResult=queue-full and no task", async () => {
    // "The default maximum length of the queue is 100."
    docs = {
      "/voice": enqueue('action="/after"'),
      "/wait": '<Response><Play loop="0">https://example.invalid/music.mp3</Play></Response>',
      "/after": "<Response><Say>Too busy</Say></Response>",
    };
    for (let i = 0; i < MAX_QUEUE_SIZE; i++) {
      fx.emu.phone.start({ to: NUMBER, from: CALLER, hangupAfterSeconds: 600 });
    }
    await advance(fx.emu, 1);
    const result = await placeCall(fx.emu, { to: NUMBER, from: "+15555550999" });
    assert.deepEqual(
      [hooks.on("/after")[0].params.QueueResult, hooks.on("/after")[0].params.QueueSid],
      ["queue-full", undefined],
    );
    assert.deepEqual([result.taskSid, says(result)], [null, ["Too busy"]]);
    const tasks = await fx.client.taskrouter.v1.workspaces(c.ws).tasks.list();
    assert.equal(tasks.length, MAX_QUEUE_SIZE);
  });
});
