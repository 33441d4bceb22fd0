// TaskRouter Workflow (https://www.twilio.com/docs/taskrouter/api/workflow). The configuration is an
// object input (the canonical task_routing document from workflowConfig.ts), so `pulumi preview --diff`
// shows a structured diff; it becomes JSON only when sent to Twilio, and is compared structurally.
import * as pulumi from "@pulumi/pulumi";
import type { TaskRoutingConfiguration } from "../workflowConfig";
import { TaskRouterResource, type OwnershipInputs, type OwnershipOutputs } from "./resource";

export interface WorkflowArgs {
  /** The parent workspace (WS…). A change replaces the workflow. */
  workspaceSid: pulumi.Input<string>;
  /** Friendly name, 1–64 characters; the natural key used to adopt an existing workflow. */
  friendlyName: pulumi.Input<string>;
  /**
   * The routing document (`buildWorkflowConfiguration`), naming each queue by SID or by its key in
   * `queues`; `check` puts in the SIDs, so state and Twilio only ever hold SIDs.
   */
  configuration: pulumi.Input<TaskRoutingConfiguration>;
  /** URL TaskRouter calls when a reservation is created. Absent: none. */
  assignmentCallbackUrl?: pulumi.Input<string>;
  /** Called when the assignment callback fails. Absent: none. */
  fallbackAssignmentCallbackUrl?: pulumi.Input<string>;
  /** Seconds a worker has to accept a reservation, 1–86400. Default 120. */
  taskReservationTimeout?: pulumi.Input<number>;
  /** The queues the configuration names, by logical key → SID (pass each SID as its own input). */
  queues?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Their friendly names, by the same keys. A queue whose SID is unknown in preview (a new queue
   * resource, e.g. a renamed key) but whose name already exists in the workspace will hold that
   * object (the queue's own check reuses or adopts it, or refuses the run), so the preview uses its
   * SID: the workflow shows no change where the up will make none.
   */
  queueNames?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** See OwnershipInputs. */
  adopt?: pulumi.Input<"restore" | "delete">;
}

export interface WorkflowInputs extends OwnershipInputs {
  workspaceSid: string;
  friendlyName: string;
  configuration: TaskRoutingConfiguration;
  assignmentCallbackUrl?: string;
  fallbackAssignmentCallbackUrl?: string;
  taskReservationTimeout: number;
  queues?: Record<string, string>;
  queueNames?: Record<string, string>;
}

export interface WorkflowOutputs
  extends
    WorkflowInputs,
    OwnershipOutputs<{
      friendlyName: string;
      configuration: string;
      assignmentCallbackUrl: string;
      fallbackAssignmentCallbackUrl: string;
      taskReservationTimeout: number;
    }> {
  sid: string;
  documentContentType?: string;
}

export class Workflow extends TaskRouterResource<WorkflowOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly workspaceSid: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly configuration: pulumi.Output<TaskRoutingConfiguration>;
  declare readonly assignmentCallbackUrl: pulumi.Output<string | undefined>;
  declare readonly fallbackAssignmentCallbackUrl: pulumi.Output<string | undefined>;
  declare readonly taskReservationTimeout: pulumi.Output<number>;
  declare readonly documentContentType: pulumi.Output<string | undefined>;

  constructor(name: string, args: WorkflowArgs, opts?: pulumi.CustomResourceOptions) {
    super("workflow", "Workflow", name, args, ["sid", "adopted", "documentContentType"], opts);
  }
}
