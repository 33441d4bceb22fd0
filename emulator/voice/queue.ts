/** Queueing pieces of <Enqueue> (https://www.twilio.com/docs/voice/twiml/enqueue): the queue SID, the wait URL's parameters and the call's task. */
import { enqueueTaskFailed, invalidParameter, TwilioError } from "../errors";
import type { Store, TaskRec } from "../state/store";
import { API_VERSION, CALL_ENDED, MAX_QUEUE_SIZE, type VirtualCall } from "./call";
import type { Enqueue } from "./twiml";

/** The queue SID a workflow's calls wait in. */
export function queueSidFor(workflowSid: string): string {
  return "QU" + workflowSid.slice(2);
}

/** The queue SID of a named queue without TaskRouter (stable per name). */
export function namedQueueSid(name: string): string {
  return "QU" + Buffer.from(name).toString("hex").padEnd(32, "0").slice(0, 32);
}

/** The wait URL's queue parameters (https://www.twilio.com/docs/voice/twiml/enqueue#attributes-wait-url); `waiting` is the queue's calls in order. */
export function queueParams(
  call: VirtualCall,
  waiting: VirtualCall[],
  now: number,
): Record<string, string> {
  const queueSid = call.queueSid as string;
  const times = waiting.map((c) => Math.floor((now - c.enqueuedAt) / 1000));
  const avg = times.length === 0 ? 0 : Math.round(times.reduce((a, b) => a + b, 0) / times.length);
  return {
    QueueSid: queueSid,
    QueuePosition: String(waiting.indexOf(call) + 1),
    QueueTime: String(Math.floor((now - call.enqueuedAt) / 1000)),
    AvgQueueTime: String(avg),
    CurrentQueueSize: String(waiting.length),
    MaxQueueSize: String(MAX_QUEUE_SIZE),
  };
}

/** <Enqueue workflowSid>'s task; on a store error the call records 14222 and gets null. */
export function createTask(store: Store, call: VirtualCall, verb: Enqueue): TaskRec | null {
  const wf = store.workflows.get(verb.workflowSid as string);
  const callAttributes = {
    call_sid: call.sid,
    account_sid: store.accountSid,
    from: call.opts.from,
    to: call.opts.to,
    call_status: "in-progress",
    api_version: API_VERSION,
    direction: call.direction,
  };
  const attributes = { ...(verb.task?.attributes ?? {}), ...callAttributes };
  try {
    if (!wf) throw invalidParameter(`Workflow ${verb.workflowSid} not found`);
    return store.createTask(wf.workspaceSid, {
      workflowSid: verb.workflowSid,
      attributes: JSON.stringify(attributes),
      taskChannel: "voice",
      priority: verb.task?.priority,
      timeout: verb.task?.timeout,
    });
  } catch (err) {
    if (!(err instanceof TwilioError)) throw err;
    const e = enqueueTaskFailed(err.message);
    call.result.error = { code: e.code, message: e.message };
    call.step("error", call.result.error);
    return null;
  }
}

/** Ends a bridged call's task: wrapping in a multitasking workspace, else completed. */
export function finishTask(store: Store, t: TaskRec, call: VirtualCall | undefined): void {
  const ws = store.workspaces.get(t.workspaceSid);
  if (ws?.multiTaskEnabled) {
    store.updateTask(t.workspaceSid, t.sid, { assignmentStatus: "wrapping" });
    call?.step("task.wrapping", { taskSid: t.sid });
  } else {
    store.updateTask(t.workspaceSid, t.sid, {
      assignmentStatus: "completed",
      reason: CALL_ENDED,
    });
    call?.step("task.completed", { taskSid: t.sid, reason: CALL_ENDED });
  }
}
