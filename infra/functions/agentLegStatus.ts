// GET /agent-leg-status: the dequeue instruction's status_callback_url (Twilio requests it when
// the agent's leg ends). One log line; Twilio wants a fast 2xx.
import { lambdaHandler } from "./runtime";
import type { Webhook } from "./twilioRequest";

const FIELDS = ["CallSid", "CallStatus", "CallDuration", "taskCallSid", "RecordingUrl"] as const;

export const agentLegStatusWebhook: Webhook = {
  route: "agentLegStatus",
  respond(req, { log }) {
    const fields: Record<string, string> = {};
    for (const name of FIELDS) {
      const value = req.param(name);
      if (value !== undefined) fields[name] = value;
    }
    log.info("agent leg status", fields);
    return { statusCode: 204 };
  },
};

export const handler = lambdaHandler(agentLegStatusWebhook);
