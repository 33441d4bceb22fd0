// TaskRouter Worker (https://www.twilio.com/docs/taskrouter/api/worker). Names are unique in a
// workspace, case-insensitively, so a replacement deletes the old worker first.
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource, type OwnershipInputs, type OwnershipOutputs } from "./resource";

export interface WorkerArgs {
  /** The parent workspace (WS…). A change replaces the worker. */
  workspaceSid: pulumi.Input<string>;
  /** Friendly name, unique in the workspace (case-insensitive); the natural key used to adopt. */
  friendlyName: pulumi.Input<string>;
  /**
   * Initial activity (WA…); absent: the workspace's default. Compared with the previously declared
   * value, never with the live one: agents change activity all day, and that is not drift.
   */
  activitySid?: pulumi.Input<string>;
  /** Worker attributes (skills, `contact_uri`), an object compared semantically. Default `{}`. */
  attributes?: pulumi.Input<Record<string, unknown>>;
  /** The declared activity's name (display only: `--diff` names it next to its SID). */
  activity?: pulumi.Input<string>;
  /** See OwnershipInputs. */
  adopt?: pulumi.Input<"restore" | "delete">;
}

export interface WorkerInputs extends OwnershipInputs {
  workspaceSid: string;
  friendlyName: string;
  activitySid?: string;
  attributes: Record<string, unknown>;
  activity?: string;
}

/**
 * The agent's live activity is not recorded: it changes all day, so a recorded one is stale at
 * once, and the state is rewritten whole at every step of an update (README, "At scale").
 */
export interface WorkerOutputs
  extends WorkerInputs, OwnershipOutputs<{ friendlyName: string; attributes: string }> {
  sid: string;
}

export class Worker extends TaskRouterResource<WorkerOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly activitySid: pulumi.Output<string | undefined>;
  declare readonly attributes: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: WorkerArgs, opts?: pulumi.CustomResourceOptions) {
    super("worker", "Worker", name, args, ["sid", "adopted"], opts);
  }
}
