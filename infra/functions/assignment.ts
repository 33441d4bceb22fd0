// POST /assignment: the workflow's assignment callback. Bridges the waiting caller to the reserved
// worker's contact_uri; a worker that cannot be dialled is rejected (the task goes back to the
// queue) with a log line saying why, never a 500.
import type { HandlerConfig } from "./config";
import { lineUrl } from "./callFlowLines";
import { routeUrl } from "./routes";
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
    const task = parseObject(req.param("TaskAttributes")) ?? {};
    const instruction = flowInstruction(config, task, String(worker.contact_uri), ids);
    if (instruction) {
      log.info(`assignment ${String(instruction.instruction)}`, ids);
      return jsonResult(instruction);
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

/**
 * The instruction for a task from CALL_FLOW's lines (its `line` attribute names one): a voicemail
 * is accepted (the agent plays recording_url; https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks
 * documents `accept` for non-voice tasks); a callback rings the agent and, when they answer,
 * /dial-back dials the customer from the line's number, both with the task and worker in their
 * query so the callback can be ended or re-queued (callbackOutcome.ts); a call is dequeued with
 * the stack's ring timeout, recording and status callback. Undefined: not a CALL_FLOW task, the
 * plain dequeue.
 */
function flowInstruction(
  config: HandlerConfig,
  task: Record<string, unknown>,
  to: string,
  ids: { TaskSid: string | null; WorkerSid: string | null },
): Record<string, unknown> | undefined {
  const flow = config.callFlow;
  const line = flow?.lines.find((l) => l.name === task.line);
  if (!flow || !line) return undefined;
  if (task.call_flow === "voicemail") return { instruction: "accept" };
  if (task.call_flow === "callback") {
    return {
      instruction: "call",
      accept: true,
      from: line.number,
      to,
      url: lineUrl(config.publicBaseUrl, "dialBack", line, {
        customer: String(task.caller),
        task: ids.TaskSid ?? "",
        worker: ids.WorkerSid ?? "",
      }),
      timeout: flow.agentLeg.ringTimeout,
      ...(line.recordCalls ? { record: "record-from-answer" } : {}),
      status_callback_url: `${routeUrl(config.publicBaseUrl, "agentLegStatus")}?${new URLSearchParams(
        { task: ids.TaskSid ?? "", worker: ids.WorkerSid ?? "" },
      )}`,
    };
  }
  return {
    instruction: "dequeue",
    from: line.number,
    to,
    post_work_activity_sid: config.wrapUpActivitySid,
    timeout: flow.agentLeg.ringTimeout,
    record: line.recordCalls ? "record-from-answer" : "do-not-record",
    status_callback_url: routeUrl(config.publicBaseUrl, "agentLegStatus"),
    status_callback_events: "completed",
  };
}

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
