// The TaskRouter resources, and a measure of what each puts into state as `__provider`.
import * as pulumi from "@pulumi/pulumi";
import * as activity from "./activity";
import * as phoneNumberVoiceUrl from "./phoneNumberVoiceUrl";
import * as taskQueue from "./taskQueue";
import * as worker from "./worker";
import * as workflow from "./workflow";
import * as workspace from "./workspace";
import * as workspaceActivities from "./workspaceActivities";

export { Activity, type ActivityArgs } from "./activity";
export { PhoneNumberVoiceUrl, type PhoneNumberVoiceUrlArgs } from "./phoneNumberVoiceUrl";
export { TaskQueue, type TaskQueueArgs } from "./taskQueue";
export { Worker, type WorkerArgs } from "./worker";
export { Workflow, type WorkflowArgs } from "./workflow";
export { Workspace, type WorkspaceArgs } from "./workspace";
export { WorkspaceActivities, type WorkspaceActivitiesArgs } from "./workspaceActivities";

const PROVIDERS = {
  Workspace: workspace.provider,
  Activity: activity.provider,
  Worker: worker.provider,
  TaskQueue: taskQueue.provider,
  Workflow: workflow.provider,
  WorkspaceActivities: workspaceActivities.provider,
  PhoneNumberVoiceUrl: phoneNumberVoiceUrl.provider,
};

/** The serialized provider text of each resource type, as `dynamic.Resource` stores it. */
export async function serializedProviders(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [type, provider] of Object.entries(PROVIDERS)) {
    // The same call `dynamic.Resource` makes for `__provider`.
    const fn = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    out[type] = fn.text;
  }
  return out;
}

/** Bytes (UTF-8) of each resource type's serialized `__provider`; the budget is 4096. */
export async function measureSerializedProviders(): Promise<Record<string, number>> {
  const texts = await serializedProviders();
  return Object.fromEntries(
    Object.entries(texts).map(([type, text]) => [type, Buffer.byteLength(text, "utf8")]),
  );
}
