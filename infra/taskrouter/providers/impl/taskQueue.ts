import type { TaskQueueInstance } from "twilio/lib/rest/taskrouter/v1/workspace/taskQueue";
import type { TaskQueueInputs, TaskQueueOutputs } from "../taskQueue";
import {
  createOrAdopt,
  attempt,
  Checker,
  defined,
  diffProps,
  fetchOrGone,
  optional,
  removeOrGone,
} from "./common";
import { twilioClient } from "./state";
import { checkExpression } from "../../validate";

const label = (name: string) => `TaskRouter TaskQueue ${JSON.stringify(name)}`;

function outputs(q: TaskQueueInstance, adopted: boolean): TaskQueueOutputs {
  return defined({
    workspaceSid: q.workspaceSid,
    friendlyName: q.friendlyName,
    targetWorkers: q.targetWorkers,
    taskOrder: q.taskOrder,
    maxReservedWorkers: q.maxReservedWorkers,
    reservationActivitySid: optional(q.reservationActivitySid),
    assignmentActivitySid: optional(q.assignmentActivitySid),
    sid: q.sid,
    adopted,
    reservationActivityName: optional(q.reservationActivityName),
    assignmentActivityName: optional(q.assignmentActivityName),
  });
}

/**
 * Every updatable field. An activity no longer declared is cleared with "" only when one was set
 * before (Twilio rejects "" as an unknown activity otherwise; the emulator always does).
 */
function settable(inputs: TaskQueueInputs, olds?: Partial<TaskQueueOutputs>) {
  const activity = (declared: string | undefined, previous: string | undefined) =>
    declared ?? (previous ? "" : undefined);
  return defined({
    friendlyName: inputs.friendlyName,
    targetWorkers: inputs.targetWorkers,
    taskOrder: inputs.taskOrder,
    maxReservedWorkers: inputs.maxReservedWorkers,
    reservationActivitySid: activity(inputs.reservationActivitySid, olds?.reservationActivitySid),
    assignmentActivitySid: activity(inputs.assignmentActivitySid, olds?.assignmentActivitySid),
  });
}

export async function check(_olds: unknown, news: Record<string, unknown>) {
  const inputs = { targetWorkers: "1==1", taskOrder: "FIFO", maxReservedWorkers: 1, ...news };
  const c = new Checker(inputs);
  c.sid("workspaceSid", "WS");
  c.friendlyName();
  c.oneOf("taskOrder", ["FIFO", "LIFO"]);
  c.integer("maxReservedWorkers", 1, 50);
  c.sid("reservationActivitySid", "WA", false);
  c.sid("assignmentActivitySid", "WA", false);
  c.rule("targetWorkers", () =>
    checkExpression(String(inputs.targetWorkers), "targetWorkers").map((message) => ({ message })),
  );
  return { inputs: inputs as unknown as TaskQueueInputs, failures: c.failures };
}

export async function diff(_id: string, olds: TaskQueueOutputs, news: TaskQueueInputs) {
  return diffProps(olds, news, {
    compare: {
      workspaceSid: true,
      friendlyName: true,
      targetWorkers: true,
      taskOrder: true,
      maxReservedWorkers: true,
      reservationActivitySid: optional,
      assignmentActivitySid: optional,
    },
    replaces: ["workspaceSid"],
  });
}

export async function create(inputs: TaskQueueInputs) {
  const queues = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).taskQueues;
  const { instance, adopted } = await createOrAdopt(
    label(inputs.friendlyName),
    inputs.friendlyName,
    {
      list: () => queues.list({ friendlyName: inputs.friendlyName }),
      create: () => queues.create(settable(inputs)),
      adopt: (found) =>
        queues(found.sid).update(
          settable(inputs, {
            reservationActivitySid: optional(found.reservationActivitySid),
            assignmentActivitySid: optional(found.assignmentActivitySid),
          }),
        ),
    },
  );
  return { id: instance.sid, outs: outputs(instance, adopted) };
}

export async function read(id: string, props: TaskQueueOutputs) {
  const q = await fetchOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).taskQueues(id).fetch(),
  );
  if (!q) return { id: "" };
  return { id, props: outputs(q, props.adopted ?? false) };
}

export async function update(id: string, olds: TaskQueueOutputs, news: TaskQueueInputs) {
  const q = await attempt("updating", label(news.friendlyName), () =>
    twilioClient()
      .taskrouter.v1.workspaces(news.workspaceSid)
      .taskQueues(id)
      .update(settable(news, olds)),
  );
  return { outs: outputs(q, olds.adopted ?? false) };
}

async function remove(id: string, props: TaskQueueOutputs) {
  await removeOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).taskQueues(id).remove(),
  );
}
export { remove as delete };
