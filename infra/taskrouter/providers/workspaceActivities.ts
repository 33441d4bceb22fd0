// The workspace's default and timeout activities. A separate resource (after RJPearson94's
// workspace_configuration) so the workspace does not depend on its activities and the activities on
// their workspace at the same time. It records the values it replaced and restores them on delete,
// which also lets Pulumi delete the activities afterwards (Twilio refuses to delete a default).
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource } from "./resource";

export interface WorkspaceActivitiesArgs {
  /** The workspace (WS…). A change replaces this resource. */
  workspaceSid: pulumi.Input<string>;
  /** Activity (WA…) given to new workers. */
  defaultActivitySid: pulumi.Input<string>;
  /** Activity (WA…) a worker moves to when a reservation times out. */
  timeoutActivitySid: pulumi.Input<string>;
  /** The default activity's name (display only: `--diff` names it next to its SID). */
  defaultActivity?: pulumi.Input<string>;
  /** The timeout activity's name (display only). */
  timeoutActivity?: pulumi.Input<string>;
}

export interface WorkspaceActivitiesInputs {
  workspaceSid: string;
  defaultActivitySid: string;
  timeoutActivitySid: string;
  defaultActivity?: string;
  timeoutActivity?: string;
}

export interface WorkspaceActivitiesOutputs extends WorkspaceActivitiesInputs {
  defaultActivityName: string;
  timeoutActivityName: string;
  /** What the workspace had before; restored on delete. */
  previousDefaultActivitySid: string;
  previousTimeoutActivitySid: string;
  accountSid?: string;
}

export class WorkspaceActivities extends TaskRouterResource<WorkspaceActivitiesOutputs> {
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly defaultActivitySid: pulumi.Output<string>;
  declare readonly timeoutActivitySid: pulumi.Output<string>;
  declare readonly defaultActivityName: pulumi.Output<string>;
  declare readonly timeoutActivityName: pulumi.Output<string>;
  declare readonly previousDefaultActivitySid: pulumi.Output<string>;
  declare readonly previousTimeoutActivitySid: pulumi.Output<string>;

  constructor(name: string, args: WorkspaceActivitiesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "workspaceActivities",
      "WorkspaceActivities",
      name,
      args,
      [
        "defaultActivityName",
        "timeoutActivityName",
        "previousDefaultActivitySid",
        "previousTimeoutActivitySid",
      ],
      opts,
    );
  }
}
