import assert from "node:assert/strict";
import * as path from "node:path";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { ivrMenuFromPhone } from "../../infra/functions/config";
import type { LocalWebhookHost } from "../../infra/functions/localHost";
import { memoryLogger } from "../../infra/functions/log";
import { loadStack } from "../../infra/taskrouter/loadStack";
import {
  AUTH_TOKEN,
  INCOMING_CALL,
  SIDS,
  formBody,
} from "../../infra/functions/testdata/twilioEvents";
import { startHandlers } from "./handlers";

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
  it("serves the stack's IVR with the given SIDs on its own URL", async () => {
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
        publicBaseUrl: host.url,
        authToken: { from: "env", value: AUTH_TOKEN },
        signatureValidation: true,
      });
      const url = `${host.url}/incoming-call`;
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": getExpectedTwilioSignature(AUTH_TOKEN, url, INCOMING_CALL),
        },
        body: formBody(INCOMING_CALL),
      });
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.ok(body.includes(`>${spec.phone.ivr.greeting}</Say>`), body);
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
