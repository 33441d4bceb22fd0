import type { TaskQueueInstance } from "twilio/lib/rest/taskrouter/v1/workspace/taskQueue";
import type { TaskQueueInputs, TaskQueueOutputs } from "../taskQueue";
import {
  nonEmpty,
  createOrAdopt,
  declared,
  markTakeOver,
  ownership,
  releaseAdopted,
  type Origin,
  attempt,
  Checker,
  defined,
  diffProps,
  fetchOrGone,
  optional,
  removeOrGone,
} from "./common";
import { listedOnce, twilioClient } from "./state";
import { checkExpression } from "../../validate";

const label = (name: string) => `TaskRouter TaskQueue ${JSON.stringify(name)}`;

type Previous = NonNullable<TaskQueueOutputs["previous"]>;

/** The settable fields as Twilio has them (an adopted queue's settings before adoption). */
function snapshot(q: TaskQueueInstance): Previous {
  return {
    friendlyName: q.friendlyName,
    targetWorkers: q.targetWorkers,
    taskOrder: q.taskOrder as "FIFO" | "LIFO",
    maxReservedWorkers: q.maxReservedWorkers,
    reservationActivitySid: q.reservationActivitySid ?? "",
    assignmentActivitySid: q.assignmentActivitySid ?? "",
  };
}

/** The input fields, as `read` reports them after a refresh. */
const INPUTS = [
  "workspaceSid",
  "friendlyName",
  "targetWorkers",
  "taskOrder",
  "maxReservedWorkers",
  "reservationActivitySid",
  "assignmentActivitySid",
  "reservationActivity",
  "assignmentActivity",
  "adopt",
  "adopts",
  "reuses",
] as const;

/** Logical names and ownership marks: declared, kept as they are (Twilio holds none of them). */
const KEPT = ["reservationActivity", "assignmentActivity", "adopt", "adopts", "reuses"] as const;

function outputs(
  q: TaskQueueInstance,
  inputs: Partial<TaskQueueInputs>,
  own: Pick<TaskQueueOutputs, "adopted" | "reused" | "previous">,
): TaskQueueOutputs {
  return defined({
    ...declared(inputs, KEPT),
    workspaceSid: q.workspaceSid,
    friendlyName: q.friendlyName,
    targetWorkers: q.targetWorkers,
    taskOrder: q.taskOrder,
    maxReservedWorkers: q.maxReservedWorkers,
    reservationActivitySid: optional(q.reservationActivitySid),
    assignmentActivitySid: optional(q.assignmentActivitySid),
    sid: q.sid,
    ...declared(own, ["reused", "previous"] as const),
    adopted: own.adopted ?? false,
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

export async function check(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
) {
  const inputs: Record<string, unknown> = {
    targetWorkers: "1==1",
    taskOrder: "FIFO",
    maxReservedWorkers: 1,
    ...news,
  };
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
  const name = String(inputs.friendlyName);
  await markTakeOver(olds, inputs, c, label(name), policy(inputs as never), (ws) =>
    listedOnce("taskQueues", ws, () =>
      twilioClient().taskrouter.v1.workspaces(ws).taskQueues.list({ pageSize: 1000 }),
    ),
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

const policy = (inputs: TaskQueueInputs) => ({
  kind: "queues",
  workspaceSid: inputs.workspaceSid,
  adopt: inputs.adopt,
});

export async function create(inputs: TaskQueueInputs) {
  const queues = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).taskQueues;
  const { instance, origin, previous } = await createOrAdopt(
    label(inputs.friendlyName),
    inputs.friendlyName,
    policy(inputs),
    {
      snapshot,
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
  return {
    id: instance.sid,
    outs: outputs(instance, inputs, ownership(origin as Origin, previous)),
  };
}

export async function read(id: string, props: TaskQueueOutputs) {
  const q = await fetchOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).taskQueues(id).fetch(),
  );
  if (!q) return { id: "" };
  const live = outputs(q, props, props);
  return { id, props: live, inputs: declared(live, INPUTS) };
}

export async function update(id: string, olds: TaskQueueOutputs, news: TaskQueueInputs) {
  const q = await attempt("updating", label(news.friendlyName), () =>
    twilioClient()
      .taskrouter.v1.workspaces(news.workspaceSid)
      .taskQueues(id)
      .update(settable(news, olds)),
  );
  return { outs: outputs(q, news, olds) };
}

async function remove(id: string, props: TaskQueueOutputs) {
  const queue = () => twilioClient().taskrouter.v1.workspaces(props.workspaceSid).taskQueues(id);
  const name = label(props.friendlyName ?? id);
  if (await releaseAdopted(name, id, props, (previous) => queue().update(nonEmpty(previous)))) {
    return;
  }
  await removeOrGone(name, () => queue().remove());
}
export { remove as delete };
