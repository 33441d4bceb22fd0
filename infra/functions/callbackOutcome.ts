// What becomes of a callback task once its calls are over. The `call` instruction ties the task to
// no caller's call, so Twilio never ends it (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks):
// without this the agent holds it, and stays busy, for ever. Our rules:
// - the agent answered and the leg ended: the agent goes to wrap-up (the dequeue's
//   post_work_activity_sid does the same for a call) and the task is completed, unless it was
//   already re-queued;
// - the agent or the customer did not answer: the callback is re-queued as a new task with the same
//   attributes and `callback_attempt` one higher, and the old task is ended with a reason saying
//   so; after CALLBACK_ATTEMPTS attempts it is ended and a warning logged. Twilio cancels only a
//   pending or reserved task (an assigned one answers 20001), so an attempt an agent accepted is
//   ended as completed.
import type { HandlerConfig } from "./config";
import type { Logger } from "./log";
import type { CentreRest } from "./twilioRest";

/** Calls a callback may take before it is given up (the first one included). */
export const CALLBACK_ATTEMPTS = 3;

/** How a live callback task is ended, by its status; other statuses are already ended. */
const END_AS: Readonly<Record<string, "canceled" | "completed">> = {
  pending: "canceled",
  reserved: "canceled",
  assigned: "completed",
};

/** A callback task SID and its agent's worker SID, as the assignment put them on the URLs. */
export const TASK_SID = /^WT[0-9a-f]{32}$/;
export const WORKER_SID = /^WK[0-9a-f]{32}$/;

export type RetryResult = "re-queued" | "given up" | "already ended";

/**
 * Re-queues a callback whose call did not reach its party: a new task (created first, so a failure
 * half-way leaves a duplicate callback rather than a lost one), then the old one ended. With
 * `agentOnLine` (the customer did not answer while the agent waited) the agent goes to wrap-up
 * first: ending the task frees them, and the new task must not ring them while they are on the line.
 */
export async function retryCallback(
  api: CentreRest,
  config: HandlerConfig,
  log: Logger,
  taskSid: string,
  why: string,
  agentOnLine?: string,
): Promise<RetryResult> {
  const task = await api.fetchTask(taskSid);
  const endAs = END_AS[task.assignmentStatus];
  if (endAs === undefined) return "already ended";
  if (agentOnLine !== undefined) await api.setWorkerActivity(agentOnLine, config.wrapUpActivitySid);
  const attempt = Number(task.attributes.callback_attempt ?? 1);
  if (attempt >= CALLBACK_ATTEMPTS || !config.callFlow) {
    await api.endTask(taskSid, endAs, `${why}; callback given up`);
    log.warn("callback given up", { TaskSid: taskSid, attempts: attempt, why });
    return "given up";
  }
  const next = await api.createTask({
    workflowSid: config.workflowSid,
    taskChannel: config.callFlow.callback.taskChannel,
    attributes: { ...task.attributes, callback_attempt: attempt + 1 },
  });
  await api.endTask(taskSid, endAs, `${why}; re-queued as ${next}`);
  log.info("callback re-queued", { TaskSid: taskSid, NewTaskSid: next, attempt: attempt + 1, why });
  return "re-queued";
}

/** The agent's leg of a callback ended after they answered: wrap-up, then the task completed. */
export async function finishCallback(
  api: CentreRest,
  config: HandlerConfig,
  log: Logger,
  taskSid: string,
  workerSid: string,
): Promise<void> {
  // Wrap-up first: completing the task first would free the agent for a new reservation.
  await api.setWorkerActivity(workerSid, config.wrapUpActivitySid);
  const task = await api.fetchTask(taskSid);
  if (task.assignmentStatus !== "assigned") return; // re-queued by /dial-back
  await api.endTask(taskSid, "completed", "callback call ended");
  log.info("callback completed", { TaskSid: taskSid, WorkerSid: workerSid });
}
