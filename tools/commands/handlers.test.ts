import assert from "node:assert/strict";
import * as path from "node:path";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { callFlowFromSpec } from "../../infra/taskrouter/callFlowSpec";
import { ivrMenuFromPhone } from "../../infra/functions/config";
import { CALL_TIME_HEADER, type LocalWebhookHost } from "../../infra/functions/localHost";
import { memoryLogger } from "../../infra/functions/log";
import { loadStack } from "../../infra/taskrouter/loadStack";
import {
  AUTH_TOKEN,
  INCOMING_CALL,
  SIDS,
  formBody,
} from "../../infra/functions/testdata/twilioEvents";
import { run, startHandlers } from "./handlers";

const ROOT = path.resolve(__dirname, "..", "..");
const ARGS = [
  "--stack",
  "local",
  "--workspace-sid",
  SIDS.workspace,
  "--workflow-sid",
  SIDS.workflow,
  "--wrap-up-activity-sid",
  SIDS.wrapUp,
  "--auth-token",
  AUTH_TOKEN,
];
const quiet = { write: () => true };

describe("npm run handlers", () => {
  it("serves the stack's IVR with the given SIDs on its own URL, open or closed by the call's time", async () => {
    const host: LocalWebhookHost = await startHandlers(["--port", "0", ...ARGS], {
      env: {},
      log: memoryLogger(),
      out: quiet,
    });
    try {
      const { spec } = loadStack(path.join(ROOT, "stacks", "local.yaml"));
      assert.deepEqual(host.config, {
        stack: "local",
        workspaceSid: SIDS.workspace,
        workflowSid: SIDS.workflow,
        wrapUpActivitySid: SIDS.wrapUp,
        centreNumber: spec.phone.number,
        ivr: ivrMenuFromPhone(spec.phone),
        callFlow: callFlowFromSpec(spec),
        publicBaseUrl: host.url,
        authToken: { from: "env", value: AUTH_TOKEN },
        signatureValidation: true,
      });
      // The call's time as the emulator sends it (`npm run call --at`): stacks/local.yaml's line
      // is open on a Monday at 10:00 in New York and closed all Sunday.
      const url = `${host.url}/incoming-call`;
      const incomingCallAt = (at: string) =>
        fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": getExpectedTwilioSignature(AUTH_TOKEN, url, INCOMING_CALL),
            [CALL_TIME_HEADER]: at,
          },
          body: formBody(INCOMING_CALL),
        });
      const { greeting, voice, language } = spec.phone.ivr;
      const say = (text: string) => `<Say voice="${voice}" language="${language}">${text}</Say>`;
      const open = await incomingCallAt("2026-12-07T10:00:00-05:00");
      assert.equal(open.status, 200);
      assert.equal(
        await open.text(),
        '<?xml version="1.0" encoding="UTF-8"?><Response>' +
          say(greeting) +
          `<Gather input="dtmf" numDigits="1" method="POST" action="${host.url}/enqueue-call">` +
          say("For English, press 1.") +
          say("For Hindi, press 2.") +
          `</Gather><Redirect method="POST">${host.url}/incoming-call?attempt=2</Redirect></Response>`,
      );
      const closed = await incomingCallAt("2026-12-06T10:00:00-05:00");
      assert.equal(closed.status, 200);
      assert.equal(
        await closed.text(),
        '<?xml version="1.0" encoding="UTF-8"?><Response>' +
          say("Sorry, we are closed right now.") +
          `<Gather input="dtmf" numDigits="1" method="POST" action="${host.url}/exit-choice?line=main&amp;why=closed">` +
          say("To leave a voicemail, press 1.") +
          say("To be called back, press 2.") +
          `</Gather>${say("Goodbye.")}<Hangup/></Response>`,
      );
    } finally {
      await host.close();
    }
  });

  it("takes missing settings from the environment and names what is still missing", async () => {
    await assert.rejects(
      startHandlers(["--port", "0", "--stack", "local"], {
        env: { WORKSPACE_SID: SIDS.workspace, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
        out: quiet,
      }),
      {
        name: "HandlerConfigError",
        message:
          "invalid handler configuration: WORKFLOW_SID is not set; WRAP_UP_ACTIVITY_SID is not set",
      },
    );
  });

  it("refuses to switch signature validation off for a stack other than local", async () => {
    await assert.rejects(
      startHandlers(
        [
          "--port",
          "0",
          ...ARGS.map((a) => (a === "local" ? "dev" : a)),
          "--signature-validation",
          "off",
        ],
        { env: {}, out: quiet },
      ),
      {
        name: "HandlerConfigError",
        message:
          'invalid handler configuration: TWILIO_SIGNATURE_VALIDATION=off is allowed only with CONTACT_CENTRE_STACK=local (it is "dev"); TWILIO_AUTH_TOKEN is allowed only with CONTACT_CENTRE_STACK=local (it is "dev")',
      },
    );
  });

  it("exits 1 with the loader's located problems, not a stack trace, when the stack file is bad", async () => {
    let err = "";
    const code = await run(["--port", "0", "--stack", "nope"], {
      write: (t: string) => (err += t),
    });
    const file = path.join(ROOT, "stacks", "nope.yaml");
    assert.deepEqual(
      { code, err },
      {
        code: 1,
        err: `handlers: ${file}: 1 error, 0 warnings\n  ${file}:1:1 error cannot read: no such file\n`,
      },
    );
  });

  it("reads --flag=value as --flag value", async () => {
    // ARGS as --flag=value pairs.
    const joined = ARGS.flatMap((arg, i) => (i % 2 === 0 ? [`${arg}=${ARGS[i + 1]}`] : []));
    const host = await startHandlers(["--port=0", ...joined], {
      env: {},
      log: memoryLogger(),
      out: quiet,
    });
    try {
      assert.deepEqual(
        [host.config.stack, host.config.workspaceSid, host.config.wrapUpActivitySid],
        ["local", SIDS.workspace, SIDS.wrapUp],
      );
    } finally {
      await host.close();
    }
  });

  it("requires a port and a stack", async () => {
    await assert.rejects(startHandlers(["--stack", "local"], { env: {} }), {
      name: "UsageError",
      message: "--port must be a port number (0 picks a free one), got undefined",
    });
    await assert.rejects(startHandlers(["--port", "4100"], { env: {} }), {
      name: "UsageError",
      message: "--stack is required",
    });
  });
});
