// TaskRouter TaskQueue (https://www.twilio.com/docs/taskrouter/api/task-queue). Everything but the
// parent workspace is updatable in place.
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource, type OwnershipInputs, type OwnershipOutputs } from "./resource";

export interface TaskQueueArgs {
  /** The parent workspace (WS…). A change replaces the queue. */
  workspaceSid: pulumi.Input<string>;
  /** Friendly name, 1–64 characters; the natural key used to adopt an existing queue. */
  friendlyName: pulumi.Input<string>;
  /** Expression over worker attributes, e.g. `languages HAS "hindi"`. Default `1==1`. */
  targetWorkers?: pulumi.Input<string>;
  /** FIFO or LIFO. Default FIFO. */
  taskOrder?: pulumi.Input<"FIFO" | "LIFO">;
  /** Workers reserved at once for a task, 1–50. Default 1. */
  maxReservedWorkers?: pulumi.Input<number>;
  /** Activity (WA…) a single-tasking worker moves to when reserved. */
  reservationActivitySid?: pulumi.Input<string>;
  /** Activity (WA…) a single-tasking worker moves to when assigned. */
  assignmentActivitySid?: pulumi.Input<string>;
  /** The reservation activity's name (display only: `--diff` names it next to its SID). */
  reservationActivity?: pulumi.Input<string>;
  /** The assignment activity's name (display only). */
  assignmentActivity?: pulumi.Input<string>;
  /** See OwnershipInputs. */
  adopt?: pulumi.Input<"restore" | "delete">;
}

export interface TaskQueueInputs extends OwnershipInputs {
  workspaceSid: string;
  friendlyName: string;
  targetWorkers: string;
  taskOrder: "FIFO" | "LIFO";
  maxReservedWorkers: number;
  reservationActivitySid?: string;
  assignmentActivitySid?: string;
  reservationActivity?: string;
  assignmentActivity?: string;
}

export interface TaskQueueOutputs
  extends
    TaskQueueInputs,
    OwnershipOutputs<{
      friendlyName: string;
      targetWorkers: string;
      taskOrder: "FIFO" | "LIFO";
      maxReservedWorkers: number;
      reservationActivitySid: string;
      assignmentActivitySid: string;
    }> {
  sid: string;
  reservationActivityName?: string;
  assignmentActivityName?: string;
}

export class TaskQueue extends TaskRouterResource<TaskQueueOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly targetWorkers: pulumi.Output<string>;
  declare readonly taskOrder: pulumi.Output<"FIFO" | "LIFO">;
  declare readonly maxReservedWorkers: pulumi.Output<number>;
  declare readonly reservationActivitySid: pulumi.Output<string | undefined>;
  declare readonly assignmentActivitySid: pulumi.Output<string | undefined>;
  declare readonly reservationActivityName: pulumi.Output<string | undefined>;
  declare readonly assignmentActivityName: pulumi.Output<string | undefined>;

  constructor(name: string, args: TaskQueueArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "taskQueue",
      "TaskQueue",
      name,
      args,
      ["sid", "adopted", "reservationActivityName", "assignmentActivityName"],
      opts,
    );
  }
}
