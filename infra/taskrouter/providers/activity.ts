// TaskRouter Activity (https://www.twilio.com/docs/taskrouter/api/activity). `available` is immutable
// in Twilio, so a change replaces the activity (deleted first: names are unique in a workspace).
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource, type OwnershipInputs, type OwnershipOutputs } from "./resource";

export interface ActivityArgs {
  /** The parent workspace (WS…). A change replaces the activity. */
  workspaceSid: pulumi.Input<string>;
  /** Friendly name, 1–64 characters; the natural key used to adopt an existing activity. */
  friendlyName: pulumi.Input<string>;
  /** Workers in this activity can receive tasks. Immutable in Twilio: a change replaces. */
  available: pulumi.Input<boolean>;
  /** See OwnershipInputs. */
  adopt?: pulumi.Input<"restore" | "delete">;
}

export interface ActivityInputs extends OwnershipInputs {
  workspaceSid: string;
  friendlyName: string;
  available: boolean;
}

export interface ActivityOutputs
  extends ActivityInputs, OwnershipOutputs<{ friendlyName: string }> {
  sid: string;
}

export class Activity extends TaskRouterResource<ActivityOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly available: pulumi.Output<boolean>;

  constructor(name: string, args: ActivityArgs, opts?: pulumi.CustomResourceOptions) {
    super("activity", "Activity", name, args, ["sid", "adopted"], opts);
  }
}
