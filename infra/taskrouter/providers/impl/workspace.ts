import type { WorkspaceInstance } from "twilio/lib/rest/taskrouter/v1/workspace";
import type { WorkspaceInputs, WorkspaceOutputs } from "../workspace";
import {
  createOrAdopt,
  nonEmpty,
  attempt,
  Checker,
  defined,
  diffProps,
  fetchOrGone,
  optional,
  removeOrGone,
  type CheckFailure,
} from "./common";
import { twilioClient } from "./state";

const label = (name: string) => `TaskRouter Workspace ${JSON.stringify(name)}`;
const EVENT_TYPE = /^[a-z]+(\.[a-z_]+)+$/;

function outputs(
  ws: WorkspaceInstance,
  inputs: WorkspaceInputs,
  adopted: boolean,
): WorkspaceOutputs {
  return defined({
    friendlyName: ws.friendlyName,
    eventCallbackUrl: optional(ws.eventCallbackUrl),
    eventsFilter: ws.eventsFilter ? ws.eventsFilter.split(",").map((s) => s.trim()) : undefined,
    multiTaskEnabled: ws.multiTaskEnabled,
    prioritizeQueueOrder: ws.prioritizeQueueOrder,
    // Not reported by Twilio: what was declared.
    template: inputs.template,
    sid: ws.sid,
    adopted,
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
  _olds: unknown,
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
  return { inputs: inputs as unknown as WorkspaceInputs, failures: c.failures };
}

export async function diff(_id: string, olds: WorkspaceOutputs, news: WorkspaceInputs) {
  return diffProps(olds, news, {
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
}

export async function create(inputs: WorkspaceInputs) {
  const workspaces = twilioClient().taskrouter.v1.workspaces;
  const { instance, adopted } = await createOrAdopt(
    label(inputs.friendlyName),
    inputs.friendlyName,
    {
      list: () => workspaces.list({ friendlyName: inputs.friendlyName }),
      create: () => workspaces.create({ ...nonEmpty(settable(inputs)), template: inputs.template }),
      adopt: (found) => workspaces(found.sid).update(settable(inputs)),
    },
  );
  return { id: instance.sid, outs: outputs(instance, inputs, adopted) };
}

export async function read(id: string, props: WorkspaceOutputs) {
  const client = twilioClient();
  const ws = await fetchOrGone(label(props.friendlyName ?? id), () =>
    client.taskrouter.v1.workspaces(id).fetch(),
  );
  if (!ws) return { id: "" };
  return { id, props: outputs(ws, props, props.adopted ?? false) };
}

export async function update(id: string, olds: WorkspaceOutputs, news: WorkspaceInputs) {
  const client = twilioClient();
  const ws = await attempt("updating", label(news.friendlyName), () =>
    client.taskrouter.v1.workspaces(id).update(settable(news)),
  );
  return { outs: outputs(ws, news, olds.adopted ?? false) };
}

async function remove(id: string, props: WorkspaceOutputs) {
  const client = twilioClient();
  await removeOrGone(label(props.friendlyName ?? id), () =>
    client.taskrouter.v1.workspaces(id).remove(),
  );
}
export { remove as delete };
