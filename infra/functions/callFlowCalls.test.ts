// Virtual calls through the whole call flow: the local Twilio places the call, the local webhook host
// runs the handlers with the stack's CALL_FLOW, and the handlers create tasks over the emulator's REST
// API. Out of hours the caller is offered voicemail; the recording becomes a voicemail task.
import assert from "node:assert/strict";
import { placeCall, transcript } from "../../emulator";
import { buildCentre, TEST_AUTH_TOKEN, useEmulator, type Centre } from "../../emulator/testing";
import { startLocalWebhookHost, type LocalWebhookHost } from "./localHost";
import { memoryLogger } from "./log";
import { CALL_FLOW, SUPPORT_NUMBER } from "./testdata/callFlow";
import type { CallFlow } from "./callFlow";

const LINE_NUMBER = "+15555550101";
const CALLER = "+15555550777";

/** The support line (voicemail only) on a number the emulator owns, open weekdays 09:00–17:00 UTC. */
const FLOW: CallFlow = {
  ...CALL_FLOW,
  lines: CALL_FLOW.lines
    .filter((line) => line.number === SUPPORT_NUMBER)
    .map((line) => ({
      ...line,
      number: LINE_NUMBER,
      hours: {
        timeZone: "UTC",
        weekly: { fri: [{ open: "09:00", close: "17:00" }] },
        closures: [],
        closedMessage: "Support is closed.",
      },
      whenClosed: ["voicemail"],
    })),
  voicemail: { ...CALL_FLOW.voicemail, taskChannel: "voice" },
};

describe("virtual calls through the call flow", () => {
  const fx = useEmulator();
  let centre: Centre;
  let host: LocalWebhookHost;

  before(async () => {
    centre = await buildCentre(fx.client, {
      queues: { everyone: {} },
      workers: { Ann: { activity: "Offline", attributes: { contact_uri: "+15555550900" } } },
      routing: { task_routing: { filters: [], default_filter: { queue: "everyone" } } },
    });
    host = await startLocalWebhookHost({
      log: memoryLogger(),
      config: {
        stack: "local",
        workspaceSid: centre.ws,
        workflowSid: centre.workflow,
        wrapUpActivitySid: centre.activity.Offline,
        centreNumber: LINE_NUMBER,
        ivr: { ...FLOW.lines[0].ivr },
        callFlow: FLOW,
        twilioApiBaseUrl: fx.emu.url,
        authToken: { from: "env", value: TEST_AUTH_TOKEN },
        signatureValidation: true,
      },
    });
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: LINE_NUMBER });
    await fx.client
      .incomingPhoneNumbers(number.sid)
      .update({ voiceUrl: `${host.url}/incoming-call`, voiceMethod: "POST" });
  });
  after(() => host.close());

  it("closed (Friday 18:00): the closed message, the voicemail prompt, and the recording becomes a voicemail task", async () => {
    const call = await placeCall(fx.emu, {
      to: LINE_NUMBER,
      from: CALLER,
      at: "2026-12-04T18:00:00Z",
      messages: [{ seconds: 7, key: "#" }],
    });
    const said = transcript(call);
    assert.match(said, /Support is closed\./);
    assert.match(said, /Please leave a message after the tone\./);
    const tasks = await fx.client.taskrouter.v1.workspaces(centre.ws).tasks.list();
    assert.equal(tasks.length, 1);
    const task = await fx.client.taskrouter.v1.workspaces(centre.ws).tasks(tasks[0].sid).fetch();
    const attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    assert.equal(attributes.type, "voicemail");
    assert.equal(attributes.caller, CALLER);
    assert.equal(attributes.called, LINE_NUMBER);
    assert.equal(attributes.line, "support");
    assert.match(
      String(attributes.recording_url),
      /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Recordings\/RE[0-9a-f]{32}$/,
    );
    assert.equal(task.taskChannelUniqueName, "voice");
  });
});
