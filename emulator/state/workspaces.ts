// Workspaces: creation seeds the three default activities and the task channels (taskChannels.ts);
// the FIFO template adds a queue and a workflow.
import { invalidParameter } from "../errors";
import { activityRef, checkName, checkNewName, sameName } from "./checks";
import { clone, newSid, type QueueOrder, type WorkspaceRec } from "./records";
import type { Store } from "./store";
import { seedTaskChannels } from "./taskChannels";

export interface WorkspaceInput {
  friendlyName: string;
  template?: "NONE" | "FIFO";
  /** null: none. */
  eventCallbackUrl?: string | null;
  eventsFilter?: string | null;
  multiTaskEnabled?: boolean;
  prioritizeQueueOrder?: QueueOrder;
}

export interface WorkspaceUpdate {
  friendlyName?: string;
  /** null clears it. */
  eventCallbackUrl?: string | null;
  /** "" clears it. */
  eventsFilter?: string;
  multiTaskEnabled?: boolean;
  prioritizeQueueOrder?: QueueOrder;
  defaultActivitySid?: string;
  timeoutActivitySid?: string;
}

function uniqueWorkspaceName(s: Store, friendlyName: string, exceptSid?: string): void {
  for (const w of s.workspaces.values()) {
    if (w.sid !== exceptSid && sameName(w.friendlyName, friendlyName)) {
      throw invalidParameter(`Workspace with FriendlyName '${friendlyName}' already exists`);
    }
  }
}

export function createWorkspace(s: Store, input: WorkspaceInput): WorkspaceRec {
  const friendlyName = checkName(input.friendlyName);
  uniqueWorkspaceName(s, friendlyName);
  const now = s.stamp();
  const sid = newSid("WS");
  const acts = (
    [
      ["Offline", false],
      ["Unavailable", false],
      ["Available", true],
    ] as const
  ).map(([name, available]) => ({
    sid: newSid("WA"),
    workspaceSid: sid,
    friendlyName: name,
    available,
    dateCreated: now,
    dateUpdated: now,
  }));
  const ws: WorkspaceRec = {
    sid,
    friendlyName,
    eventCallbackUrl: input.eventCallbackUrl ?? null,
    eventsFilter: input.eventsFilter ?? null,
    multiTaskEnabled: input.multiTaskEnabled ?? true,
    prioritizeQueueOrder: input.prioritizeQueueOrder ?? "FIFO",
    defaultActivitySid: acts[0].sid,
    timeoutActivitySid: acts[0].sid,
    dateCreated: now,
    dateUpdated: now,
  };
  s.workspaces.set(sid, ws);
  for (const a of acts) s.activities.set(a.sid, a);
  seedTaskChannels(s, sid, now);
  s.emit("workspace.created", { workspace: clone(ws) });
  if (input.template === "FIFO") {
    const q = s.createTaskQueue(sid, { friendlyName: "Sample Queue" });
    s.createWorkflow(sid, {
      friendlyName: "Default Fifo Workflow",
      configuration: JSON.stringify({
        task_routing: { filters: [], default_filter: { queue: q.sid } },
      }),
      taskReservationTimeout: 120,
    });
  }
  return ws;
}

export function updateWorkspace(s: Store, sid: string, input: WorkspaceUpdate): WorkspaceRec {
  const ws = s.workspace(sid);
  const previous = clone(ws);
  const { friendlyName, eventCallbackUrl, eventsFilter, multiTaskEnabled: multi } = input;
  if (friendlyName !== undefined) {
    checkNewName(friendlyName);
    uniqueWorkspaceName(s, friendlyName, sid);
  }
  if (multi === false && ws.multiTaskEnabled) {
    throw invalidParameter(
      "Invalid MultiTaskEnabled: a multi-tasking workspace cannot return to single-tasking",
    );
  }
  const def = activityRef(s, sid, input.defaultActivitySid, "DefaultActivitySid");
  const tmo = activityRef(s, sid, input.timeoutActivitySid, "TimeoutActivitySid");
  if (friendlyName !== undefined) ws.friendlyName = friendlyName;
  if (eventCallbackUrl !== undefined) ws.eventCallbackUrl = eventCallbackUrl;
  if (eventsFilter !== undefined) ws.eventsFilter = eventsFilter === "" ? null : eventsFilter;
  if (multi !== undefined) ws.multiTaskEnabled = multi;
  if (input.prioritizeQueueOrder !== undefined)
    ws.prioritizeQueueOrder = input.prioritizeQueueOrder;
  if (def !== undefined) ws.defaultActivitySid = def;
  if (tmo !== undefined) ws.timeoutActivitySid = tmo;
  ws.dateUpdated = s.stamp();
  s.emit("workspace.updated", { workspace: clone(ws), previous });
  return ws;
}

/** Twilio removes everything inside the workspace with it. */
export function deleteWorkspace(s: Store, sid: string): void {
  const ws = s.workspace(sid);
  s.removeWhere((r) => r.workspaceSid === sid);
  s.workspaces.delete(sid);
  s.emit("workspace.deleted", { workspace: clone(ws) });
}
