// Test support: a contact centre deployed straight into the local Twilio, without Pulumi, for the
// reviewer tools that read a live workspace (routing:export, routing:drift).
import type { useEmulator } from "../emulator/testing";
import type { ContactCentreSpec } from "../infra/taskrouter/model";
import { buildWorkflowConfiguration } from "../infra/taskrouter/workflowConfig";

type Client = ReturnType<typeof useEmulator>["client"];

/**
 * Deploy a spec the way the providers do (same fields, same values): workspace, activities, default
 * and timeout activity, workers, queues, workflow. Returns the workspace SID.
 */
export async function deploy(client: Client, spec: ContactCentreSpec): Promise<string> {
  const workspaces = client.taskrouter.v1.workspaces;
  const ws = await workspaces.create({
    friendlyName: spec.workspace.friendlyName,
    multiTaskEnabled: spec.workspace.multitasking,
    prioritizeQueueOrder: spec.workspace.queueOrder,
    ...(spec.workspace.events && { eventCallbackUrl: "https://example.invalid/events" }),
  });
  const api = workspaces(ws.sid);
  const activitySids: Record<string, string> = {};
  for (const a of await api.activities.list()) activitySids[a.friendlyName] = a.sid;
  for (const [name, a] of Object.entries(spec.activities)) {
    if (activitySids[name]) continue;
    activitySids[name] = (
      await api.activities.create({ friendlyName: name, available: a.available })
    ).sid;
  }
  await api.update({
    defaultActivitySid: activitySids[spec.defaultActivity],
    timeoutActivitySid: activitySids[spec.timeoutActivity],
  });
  for (const [name, w] of Object.entries(spec.workers)) {
    await api.workers.create({
      friendlyName: name,
      attributes: JSON.stringify(w.attributes),
      activitySid: activitySids[w.activity],
    });
  }
  const queueSids: Record<string, string> = {};
  for (const [key, q] of Object.entries(spec.queues)) {
    const created = await api.taskQueues.create({
      friendlyName: q.friendlyName,
      targetWorkers: q.targetWorkers,
      taskOrder: q.taskOrder,
      maxReservedWorkers: q.maxReservedWorkers,
    });
    queueSids[key] = created.sid;
  }
  await api.workflows.create({
    friendlyName: spec.workflow.friendlyName,
    configuration: JSON.stringify(buildWorkflowConfiguration(spec, queueSids)),
    taskReservationTimeout: spec.workflow.reservationTimeout,
    assignmentCallbackUrl: "https://example.invalid/assignment",
  });
  return ws.sid;
}
