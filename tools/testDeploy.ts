// Test support: a contact centre deployed straight into the local Twilio, without Pulumi, for the
// reviewer tools that read a live workspace (routing:export, routing:drift).
import type { useEmulator } from "../emulator/testing";
import type { ContactCentreSpec } from "../infra/taskrouter/model";
import { planCentre, withQueueSids } from "../infra/taskrouter/plan";

type Client = ReturnType<typeof useEmulator>["client"];

/**
 * Deploy a spec's plan as the providers do (same fields, same values): workspace, activities,
 * default and timeout activity, task channels, workers and their channel capacities, queues,
 * workflow. Returns the workspace SID.
 */
export async function deploy(client: Client, spec: ContactCentreSpec): Promise<string> {
  const plan = planCentre(spec);
  const workspaces = client.taskrouter.v1.workspaces;
  const ws = await workspaces.create({
    friendlyName: plan.workspace.friendlyName,
    multiTaskEnabled: plan.workspace.multiTaskEnabled,
    prioritizeQueueOrder: plan.workspace.prioritizeQueueOrder,
    ...(plan.workspace.eventCallback && { eventCallbackUrl: "https://example.invalid/events" }),
    ...(plan.workspace.eventsFilter && { eventsFilter: plan.workspace.eventsFilter.join(",") }),
  });
  const api = workspaces(ws.sid);
  const activitySids: Record<string, string> = {};
  for (const a of await api.activities.list()) activitySids[a.friendlyName] = a.sid;
  for (const a of plan.activities) {
    activitySids[a.friendlyName] ??= (
      await api.activities.create({ friendlyName: a.friendlyName, available: a.available })
    ).sid;
  }
  await api.update({
    defaultActivitySid: activitySids[plan.workspace.defaultActivity],
    timeoutActivitySid: activitySids[plan.workspace.timeoutActivity],
  });
  const seeded = new Map((await api.taskChannels.list()).map((c) => [c.uniqueName, c.sid]));
  for (const c of plan.channels) {
    const { uniqueName, ...fields } = c;
    const sid = seeded.get(uniqueName);
    if (sid) await api.taskChannels(sid).update(fields);
    else await api.taskChannels.create({ uniqueName, ...fields });
  }
  for (const w of plan.workers) {
    const worker = await api.workers.create({
      friendlyName: w.friendlyName,
      attributes: JSON.stringify(w.attributes),
      activitySid: activitySids[w.activity],
    });
    for (const [channel, capacity] of Object.entries(w.channels ?? {})) {
      await api.workers(worker.sid).workerChannels(channel).update({ capacity });
    }
  }
  const queueSids: Record<string, string> = {};
  for (const q of plan.queues) {
    const created = await api.taskQueues.create({
      friendlyName: q.friendlyName,
      targetWorkers: q.targetWorkers,
      taskOrder: q.taskOrder,
      maxReservedWorkers: q.maxReservedWorkers,
      ...(q.reservationActivity && { reservationActivitySid: activitySids[q.reservationActivity] }),
      ...(q.assignmentActivity && { assignmentActivitySid: activitySids[q.assignmentActivity] }),
    });
    queueSids[q.key] = created.sid;
  }
  await api.workflows.create({
    friendlyName: plan.workflow.friendlyName,
    configuration: JSON.stringify(withQueueSids(plan.workflow.configuration, queueSids)),
    taskReservationTimeout: plan.workflow.taskReservationTimeout,
    assignmentCallbackUrl: "https://example.invalid/assignment",
  });
  return ws.sid;
}
