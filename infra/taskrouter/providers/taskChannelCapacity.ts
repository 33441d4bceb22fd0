// A worker's capacity per task channel (Worker Channels,
// https://www.twilio.com/docs/taskrouter/api/worker-channel): the declared channels are set on
// create and update, and put back to Twilio's capacity of 1 on delete. Only in multitasking
// workspaces (the stack file's validation says so).
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource } from "./resource";

export interface TaskChannelCapacityArgs {
  /** The parent workspace (WS…). A change replaces. */
  workspaceSid: pulumi.Input<string>;
  /** The worker (WK…). A change replaces. */
  workerSid: pulumi.Input<string>;
  /** The worker's friendly name, for messages. */
  workerName: pulumi.Input<string>;
  /** Capacity by task channel unique name, e.g. { chat: 3, voice: 1 }. */
  capacities: pulumi.Input<Record<string, pulumi.Input<number>>>;
}

export interface TaskChannelCapacityInputs {
  workspaceSid: string;
  workerSid: string;
  workerName: string;
  capacities: Record<string, number>;
}

export type TaskChannelCapacityOutputs = TaskChannelCapacityInputs & { accountSid?: string };

export class TaskChannelCapacity extends TaskRouterResource<TaskChannelCapacityOutputs> {
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly workerSid: pulumi.Output<string>;
  declare readonly capacities: pulumi.Output<Record<string, number>>;

  constructor(name: string, args: TaskChannelCapacityArgs, opts?: pulumi.CustomResourceOptions) {
    super("taskChannelCapacity", "TaskChannelCapacity", name, args, [], opts);
  }
}
