// POST /events: the workspace's event callback. One structured log line per event; TaskRouter
// wants a fast 2xx and nothing else.
import { lambdaHandler } from "./runtime";
import type { Webhook } from "./twilioRequest";

/** Logged when present, in this order; attributes are left out (they carry callers' numbers). */
export const EVENT_FIELDS = [
  "EventType",
  "EventDescription",
  "ResourceType",
  "ResourceSid",
  "Timestamp",
  "WorkspaceSid",
  "WorkflowSid",
  "TaskSid",
  "TaskQueueSid",
  "TaskAssignmentStatus",
  "TaskCanceledReason",
  "ReservationSid",
  "WorkerSid",
  "WorkerActivitySid",
  "WorkerActivityName",
  "WorkerPreviousActivitySid",
  "WorkerPreviousActivityName",
] as const;

export const eventsWebhook: Webhook = {
  route: "events",
  respond(req, { log }) {
    const fields: Record<string, string> = {};
    for (const name of EVENT_FIELDS) {
      const value = req.param(name);
      if (value !== undefined) fields[name] = value;
    }
    log.info("taskrouter event", fields);
    return { statusCode: 204 };
  },
};

export const handler = lambdaHandler(eventsWebhook);
