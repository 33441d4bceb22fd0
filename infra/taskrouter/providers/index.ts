// The TaskRouter resources, and a measure of what each puts into state as `__provider`.
import { providerModule, type ResourceKind } from "./thin";

export { Activity, type ActivityArgs } from "./activity";
export { PhoneNumberVoiceUrl, type PhoneNumberVoiceUrlArgs } from "./phoneNumberVoiceUrl";
export { TaskChannel, type TaskChannelArgs } from "./taskChannel";
export { TaskChannelCapacity, type TaskChannelCapacityArgs } from "./taskChannelCapacity";
export { TaskQueue, type TaskQueueArgs } from "./taskQueue";
export { Worker, type WorkerArgs } from "./worker";
export { Workflow, type WorkflowArgs } from "./workflow";
export { Workspace, type WorkspaceArgs } from "./workspace";
export { WorkspaceActivities, type WorkspaceActivitiesArgs } from "./workspaceActivities";

/** The resource types, with the provider kind each stores in `__provider`. */
const KINDS: Record<string, ResourceKind> = {
  Workspace: "workspace",
  Activity: "activity",
  Worker: "worker",
  TaskQueue: "taskQueue",
  Workflow: "workflow",
  WorkspaceActivities: "workspaceActivities",
  PhoneNumberVoiceUrl: "phoneNumberVoiceUrl",
  TaskChannel: "taskChannel",
  TaskChannelCapacity: "taskChannelCapacity",
};

/** The `__provider` text of each resource type, as it is stored in state. */
export function serializedProviders(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(KINDS).map(([type, kind]) => [type, providerModule(kind)]),
  );
}

/** Bytes (UTF-8) of each resource type's `__provider`; the budget is PROVIDER_BUDGET_BYTES. */
export function measureSerializedProviders(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(serializedProviders()).map(([type, text]) => [
      type,
      Buffer.byteLength(text, "utf8"),
    ]),
  );
}

/** What one `__provider` may weigh: it is stored twice per resource, and state is read whole. */
export const PROVIDER_BUDGET_BYTES = 1024;
