// TaskRouter Workspace (https://www.twilio.com/docs/taskrouter/api/workspace). The default and timeout
// activities are set by WorkspaceActivities, a separate resource, so there is no workspace ↔ activity cycle.
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource, type OwnershipInputs, type OwnershipOutputs } from "./resource";

export interface WorkspaceArgs {
  /** Friendly name, 1–64 characters; the natural key used to adopt an existing workspace. */
  friendlyName: pulumi.Input<string>;
  /** URL that receives TaskRouter events. Absent: none. */
  eventCallbackUrl?: pulumi.Input<string>;
  /** Only these event types are delivered (e.g. `task.created`). Absent: all. */
  eventsFilter?: pulumi.Input<pulumi.Input<string>[]>;
  /** Multitasking workspace (per-channel capacity). Default false. */
  multiTaskEnabled?: pulumi.Input<boolean>;
  /** Which queue wins when a worker is in a FIFO and a LIFO queue. Default FIFO. */
  prioritizeQueueOrder?: pulumi.Input<"FIFO" | "LIFO">;
  /**
   * Create-only: NONE (default) or FIFO (adds a sample queue and workflow). A change replaces the
   * workspace, deleting it (and everything in it) first.
   */
  template?: pulumi.Input<"NONE" | "FIFO">;
  /** See OwnershipInputs. */
  adopt?: pulumi.Input<"restore" | "delete">;
}

/** Checked inputs (defaults filled). */
export interface WorkspaceInputs extends OwnershipInputs {
  friendlyName: string;
  eventCallbackUrl?: string;
  eventsFilter?: string[];
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: "FIFO" | "LIFO";
  template: "NONE" | "FIFO";
}

export interface WorkspaceOutputs
  extends
    WorkspaceInputs,
    OwnershipOutputs<{
      friendlyName: string;
      eventCallbackUrl: string;
      eventsFilter: string;
      multiTaskEnabled: boolean;
      prioritizeQueueOrder: "FIFO" | "LIFO";
    }> {
  sid: string;
  defaultActivitySid: string;
  defaultActivityName: string;
  timeoutActivitySid: string;
  timeoutActivityName: string;
}

export class Workspace extends TaskRouterResource<WorkspaceOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly eventCallbackUrl: pulumi.Output<string | undefined>;
  declare readonly eventsFilter: pulumi.Output<string[] | undefined>;
  declare readonly multiTaskEnabled: pulumi.Output<boolean>;
  declare readonly prioritizeQueueOrder: pulumi.Output<"FIFO" | "LIFO">;
  declare readonly template: pulumi.Output<"NONE" | "FIFO">;
  declare readonly defaultActivitySid: pulumi.Output<string>;
  declare readonly defaultActivityName: pulumi.Output<string>;
  declare readonly timeoutActivitySid: pulumi.Output<string>;
  declare readonly timeoutActivityName: pulumi.Output<string>;

  constructor(name: string, args: WorkspaceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "workspace",
      "Workspace",
      name,
      args,
      [
        "sid",
        "adopted",
        "defaultActivitySid",
        "defaultActivityName",
        "timeoutActivitySid",
        "timeoutActivityName",
      ],
      opts,
    );
  }
}
