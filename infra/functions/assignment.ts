// POST /assignment: the workflow's assignment callback. Bridges the waiting caller to the reserved
// worker's contact_uri; a worker that cannot be dialled is rejected (the task goes back to the
// queue) with a log line saying why, never a 500.
import { lambdaHandler } from "./runtime";
import { jsonResult, type Webhook } from "./twilioRequest";

export const assignmentWebhook: Webhook = {
  route: "assignment",
  respond(req, { config, log }) {
    const ids = {
      TaskSid: req.param("TaskSid") ?? null,
      WorkerSid: req.param("WorkerSid") ?? null,
      ReservationSid: req.param("ReservationSid") ?? null,
    };
    const worker = parseObject(req.param("WorkerAttributes"));
    const reason = !worker
      ? "WorkerAttributes is not a JSON object"
      : typeof worker.contact_uri !== "string" || worker.contact_uri === ""
        ? "worker has no contact_uri"
        : undefined;
    if (!worker || reason) {
      log.warn("assignment rejected", { reason, ...ids });
      return jsonResult({ instruction: "reject" });
    }
    log.info("assignment dequeued", ids);
    return jsonResult({
      instruction: "dequeue",
      from: config.centreNumber,
      to: worker.contact_uri,
      post_work_activity_sid: config.wrapUpActivitySid,
    });
  },
};

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text ?? "");
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const handler = lambdaHandler(assignmentWebhook);
