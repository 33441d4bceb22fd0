// GET /agent-leg-status: the status callback of the agent's leg (the dequeue and call instructions'
// status_callback_url). One log line; for a callback's leg (task and worker in the query) it also
// ends or re-queues the callback task (callbackOutcome.ts). Twilio wants a fast 2xx.
import { finishCallback, retryCallback, TASK_SID, WORKER_SID } from "./callbackOutcome";
import { lambdaHandler } from "./runtime";
import type { Webhook } from "./twilioRequest";

const FIELDS = ["CallSid", "CallStatus", "CallDuration", "taskCallSid", "RecordingUrl"] as const;

/** https://www.twilio.com/docs/voice/api/call-resource#call-status-values: the leg never connected. */
const UNANSWERED = new Set(["no-answer", "busy", "failed", "canceled"]);

export const agentLegStatusWebhook: Webhook = {
  route: "agentLegStatus",
  async respond(req, { config, log, rest }) {
    const fields: Record<string, string> = {};
    for (const name of FIELDS) {
      const value = req.param(name);
      if (value !== undefined) fields[name] = value;
    }
    log.info("agent leg status", fields);
    const task = req.query.get("task");
    const worker = req.query.get("worker");
    if (task === null) return { statusCode: 204 };
    if (!TASK_SID.test(task) || worker === null || !WORKER_SID.test(worker)) {
      log.warn("agent leg status ignored: no callback task and worker SIDs", { task, worker });
      return { statusCode: 204 };
    }
    const api = rest(req.param("AccountSid") ?? "");
    const status = req.param("CallStatus") ?? "";
    if (status === "completed") await finishCallback(api, config, log, task, worker);
    else if (UNANSWERED.has(status)) {
      await retryCallback(api, config, log, task, `agent leg ${status}`);
    }
    return { statusCode: 204 };
  },
};

export const handler = lambdaHandler(agentLegStatusWebhook);
