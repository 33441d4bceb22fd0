import type { WorkspaceInstance } from "twilio/lib/rest/taskrouter/v1/workspace";
import type { WorkspaceInputs, WorkspaceOutputs } from "../workspace";
import {
  createOrAdopt,
  declared,
  markTakeOver,
  nonEmpty,
  ownership,
  releaseAdopted,
  attempt,
  Checker,
  defined,
  diffProps,
  fetchOrGone,
  optional,
  removeOrGone,
  type CheckFailure,
  type Ownership,
} from "./common";
import { noteWorkspace, twilioClient } from "./state";

const label = (name: string) => `TaskRouter Workspace ${JSON.stringify(name)}`;
const EVENT_TYPE = /^[a-z]+(\.[a-z_]+)+$/;

/** The settable fields as Twilio has them (an adopted workspace's settings before adoption). */
function snapshot(ws: WorkspaceInstance) {
  return {
    friendlyName: ws.friendlyName,
    eventCallbackUrl: ws.eventCallbackUrl ?? "",
    eventsFilter: ws.eventsFilter ?? "",
    multiTaskEnabled: ws.multiTaskEnabled,
    prioritizeQueueOrder: ws.prioritizeQueueOrder,
  };
}

/** The input fields, as `read` reports them after a refresh. */
const INPUTS = [
  "friendlyName",
  "eventCallbackUrl",
  "eventsFilter",
  "multiTaskEnabled",
  "prioritizeQueueOrder",
  "template",
  "adopt",
  "adopts",
  "reuses",
] as const;

function outputs(
  ws: WorkspaceInstance,
  inputs: WorkspaceInputs,
  own: Ownership<WorkspaceOutputs["previous"]>,
): WorkspaceOutputs {
  return defined({
    ...declared(inputs, ["adopt", "adopts", "reuses"]),
    friendlyName: ws.friendlyName,
    eventCallbackUrl: optional(ws.eventCallbackUrl),
    eventsFilter: ws.eventsFilter ? ws.eventsFilter.split(",").map((s) => s.trim()) : undefined,
    multiTaskEnabled: ws.multiTaskEnabled,
    prioritizeQueueOrder: ws.prioritizeQueueOrder,
    // Not reported by Twilio: what was declared.
    template: inputs.template,
    sid: ws.sid,
    ...declared(own, ["reused", "previous"] as const),
    adopted: own.adopted ?? false,
    defaultActivitySid: ws.defaultActivitySid,
    defaultActivityName: ws.defaultActivityName,
    timeoutActivitySid: ws.timeoutActivitySid,
    timeoutActivityName: ws.timeoutActivityName,
  });
}

/** Every updatable field; "" clears an optional one. */
function settable(inputs: WorkspaceInputs) {
  return {
    friendlyName: inputs.friendlyName,
    eventCallbackUrl: inputs.eventCallbackUrl ?? "",
    eventsFilter: inputs.eventsFilter?.join(",") ?? "",
    multiTaskEnabled: inputs.multiTaskEnabled,
    prioritizeQueueOrder: inputs.prioritizeQueueOrder,
  };
}

export async function check(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
): Promise<{ inputs: WorkspaceInputs; failures: CheckFailure[] }> {
  const inputs = {
    multiTaskEnabled: false,
    prioritizeQueueOrder: "FIFO",
    template: "NONE",
    ...news,
  } as Record<string, unknown>;
  const c = new Checker(inputs);
  c.friendlyName();
  c.url("eventCallbackUrl");
  c.boolean("multiTaskEnabled");
  c.oneOf("prioritizeQueueOrder", ["FIFO", "LIFO"]);
  c.oneOf("template", ["NONE", "FIFO"]);
  c.rule("eventsFilter", () => {
    const v = inputs.eventsFilter;
    if (!Array.isArray(v))
      return [{ message: `must be a list of event types, got ${JSON.stringify(v)}` }];
    return v
      .filter((e) => typeof e !== "string" || !EVENT_TYPE.test(e))
      .map((e) => ({ message: `${JSON.stringify(e)} is not an event type such as task.created` }));
  });
  const name = String(inputs.friendlyName);
  let listed: { sid: string; multiTaskEnabled: boolean }[] = [];
  await markTakeOver(
    olds,
    inputs,
    c,
    label(name),
    { kind: "workspace", adopt: inputs.adopt as WorkspaceInputs["adopt"] },
    async (_, friendlyName) =>
      (listed = await twilioClient().taskrouter.v1.workspaces.list({ friendlyName })),
  );
  // Twilio makes new workspaces multitasking and refuses to make them single-tasking again: say
  // so in the preview, rather than let the up fail on the adopting write.
  const adopting = listed.find((w) => w.sid === inputs.adopts);
  if (adopting?.multiTaskEnabled && inputs.multiTaskEnabled === false) {
    c.fail(
      "multiTaskEnabled",
      `${label(name)} (${adopting.sid}) is multitasking, which Twilio does not turn back to single-tasking; ` +
        `declare "workspace: { multitasking: true }" in the stack file to adopt it`,
    );
  }
  return { inputs: inputs as unknown as WorkspaceInputs, failures: c.failures };
}

export async function diff(id: string, olds: WorkspaceOutputs, news: WorkspaceInputs) {
  const outcome = diffProps(olds, news, {
    compare: {
      friendlyName: true,
      eventCallbackUrl: optional,
      eventsFilter: (v) => (v && v.length ? v : undefined),
      multiTaskEnabled: true,
      prioritizeQueueOrder: true,
      template: true,
    },
    replaces: ["template"],
    // The replacement has the same friendly name: created first, it would adopt the workspace it
    // replaces, and the engine would then delete that one (the stack left pointing at nothing).
    deleteBeforeReplace: true,
  });
  // Kept (not replaced): the stack's own workspace unless its state says it was adopted.
  if (outcome.replaces.length === 0) noteWorkspace(id, olds.adopted !== true);
  return outcome;
}

export async function create(inputs: WorkspaceInputs) {
  const workspaces = twilioClient().taskrouter.v1.workspaces;
  const { instance, origin, previous } = await createOrAdopt(
    label(inputs.friendlyName),
    inputs.friendlyName,
    { kind: "workspace", adopt: inputs.adopt },
    {
      list: () => workspaces.list({ friendlyName: inputs.friendlyName }),
      create: () => workspaces.create({ ...nonEmpty(settable(inputs)), template: inputs.template }),
      adopt: (found) => workspaces(found.sid).update(settable(inputs)),
      snapshot,
    },
  );
  noteWorkspace(instance.sid, origin !== "adopted");
  return { id: instance.sid, outs: outputs(instance, inputs, ownership(origin, previous)) };
}

export async function read(id: string, props: WorkspaceOutputs) {
  const client = twilioClient();
  const ws = await fetchOrGone(label(props.friendlyName ?? id), () =>
    client.taskrouter.v1.workspaces(id).fetch(),
  );
  if (!ws) return { id: "" };
  const live = outputs(ws, props, props);
  return { id, props: live, inputs: declared(live, INPUTS) };
}

export async function update(id: string, olds: WorkspaceOutputs, news: WorkspaceInputs) {
  const client = twilioClient();
  const ws = await attempt("updating", label(news.friendlyName), () =>
    client.taskrouter.v1.workspaces(id).update(settable(news)),
  );
  return { outs: outputs(ws, news, olds) };
}

async function remove(id: string, props: WorkspaceOutputs) {
  const client = twilioClient();
  const name = label(props.friendlyName ?? id);
  const restore = (previous: NonNullable<WorkspaceOutputs["previous"]>) =>
    client.taskrouter.v1.workspaces(id).update(previous);
  if (await releaseAdopted(name, id, props, restore)) return;
  await removeOrGone(label(props.friendlyName ?? id), () =>
    client.taskrouter.v1.workspaces(id).remove(),
  );
}
export { remove as delete };
