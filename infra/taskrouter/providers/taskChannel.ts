// TaskRouter TaskChannel (https://www.twilio.com/docs/taskrouter/api/task-channel): its unique name is
// its natural key and cannot change in Twilio, so a change replaces the channel. The channels Twilio
// seeds in every workspace (default, voice, chat, sms, video) are reused and never deleted.
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource, type OwnershipInputs, type OwnershipOutputs } from "./resource";

export interface TaskChannelArgs {
  /** The parent workspace (WS…). A change replaces the channel. */
  workspaceSid: pulumi.Input<string>;
  /** The unique name tasks name their channel by, e.g. `email`. A change replaces the channel. */
  uniqueName: pulumi.Input<string>;
  /** Friendly name, 1–64 characters. */
  friendlyName: pulumi.Input<string>;
  /** Prioritise the workers idle longest on this channel. */
  channelOptimizedRouting: pulumi.Input<boolean>;
  /** See OwnershipInputs. */
  adopt?: pulumi.Input<"restore" | "delete">;
}

export interface TaskChannelInputs extends OwnershipInputs {
  workspaceSid: string;
  uniqueName: string;
  friendlyName: string;
  channelOptimizedRouting: boolean;
}

export interface TaskChannelSettings {
  friendlyName: string;
  channelOptimizedRouting: boolean;
}

export interface TaskChannelOutputs
  extends TaskChannelInputs, OwnershipOutputs<TaskChannelSettings> {
  sid: string;
}

export class TaskChannel extends TaskRouterResource<TaskChannelOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly uniqueName: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly channelOptimizedRouting: pulumi.Output<boolean>;

  constructor(name: string, args: TaskChannelArgs, opts?: pulumi.CustomResourceOptions) {
    super("taskChannel", "TaskChannel", name, args, ["sid", "adopted"], opts);
  }
}
