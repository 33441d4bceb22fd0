// The provider implementations, loaded at run time by the `__provider` module (../thin.ts) from the
// project, never serialized. One namespace per resource kind; `configure` is shared. Every kind goes
// through `oneOwnerPerObject` (common.ts), so no delete removes an object that another resource of
// the same deployment adopted (a renamed key, `--replace`).
import type * as pulumi from "@pulumi/pulumi";
import { asProviderError, oneOwnerPerObject } from "./common";
import { configure } from "./state";
import * as workspaceImpl from "./workspace";
import * as activityImpl from "./activity";
import * as workerImpl from "./worker";
import * as taskQueueImpl from "./taskQueue";
import * as workflowImpl from "./workflow";
import * as workspaceActivitiesImpl from "./workspaceActivities";
import * as phoneNumberVoiceUrlImpl from "./phoneNumberVoiceUrl";
import * as taskChannelImpl from "./taskChannel";
import * as taskChannelCapacityImpl from "./taskChannelCapacity";

export { configure, resetForTests } from "./state";

/** `TaskRouter <Type> "<friendly name>"`, as the kinds name themselves in errors. */
const named = (type: string) => (id: string, props: Record<string, unknown>) =>
  `TaskRouter ${type} ${JSON.stringify(props.friendlyName ?? id)}`;

export const workspace = oneOwnerPerObject("workspace", named("Workspace"), workspaceImpl);
export const activity = oneOwnerPerObject("activity", named("Activity"), activityImpl);
export const worker = oneOwnerPerObject("worker", named("Worker"), workerImpl);
export const taskQueue = oneOwnerPerObject("taskQueue", named("TaskQueue"), taskQueueImpl);
export const workflow = oneOwnerPerObject("workflow", named("Workflow"), workflowImpl);
export const workspaceActivities = oneOwnerPerObject(
  "workspaceActivities",
  (id) => `TaskRouter Workspace ${id} default/timeout activities`,
  workspaceActivitiesImpl,
  "restoring",
);
export const phoneNumberVoiceUrl = oneOwnerPerObject(
  "phoneNumberVoiceUrl",
  (id, props) => `phone number ${String(props.phoneNumber ?? id)}`,
  phoneNumberVoiceUrlImpl,
  "restoring",
);
export const taskChannel = oneOwnerPerObject(
  "taskChannel",
  (id, props) => `TaskRouter TaskChannel ${JSON.stringify(props.uniqueName ?? id)}`,
  taskChannelImpl,
);
export const taskChannelCapacity = oneOwnerPerObject(
  "taskChannelCapacity",
  (id, props) => `TaskRouter Worker ${JSON.stringify(props.workerName ?? id)} channel capacities`,
  taskChannelCapacityImpl,
  "restoring",
);

const KINDS = {
  workspace,
  activity,
  worker,
  taskQueue,
  workflow,
  workspaceActivities,
  phoneNumberVoiceUrl,
  taskChannel,
  taskChannelCapacity,
};

/** What the `__provider` module's `handler()` returns: one kind's provider, as Pulumi calls it. */
export function providerFor(kind: keyof typeof KINDS): pulumi.dynamic.ResourceProvider {
  // The kinds' methods differ only in their Inputs/Outputs types.
  const methods = {
    ...(KINDS[kind] as unknown as Omit<pulumi.dynamic.ResourceProvider, "configure">),
    configure: async (req: pulumi.dynamic.ConfigureRequest) => configure(req.config),
  } as Record<string, (...args: unknown[]) => Promise<unknown>>;
  // Every error leaves as a ProviderError (no stack trace in the engine's log), also one that no
  // method anticipated.
  const wrapped = Object.entries(methods).map(([method, fn]) => [
    method,
    async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw asProviderError(`the ${kind} provider's ${method}`, err);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as pulumi.dynamic.ResourceProvider;
}
