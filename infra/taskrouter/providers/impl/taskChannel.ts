import type { TaskChannelInstance } from "twilio/lib/rest/taskrouter/v1/workspace/taskChannel";
import { SEEDED_CHANNELS } from "../../model";
import type { TaskChannelInputs, TaskChannelOutputs, TaskChannelSettings } from "../taskChannel";
import {
  attempt,
  Checker,
  createOrAdopt,
  declared,
  defined,
  diffProps,
  fetchOrGone,
  markTakeOver,
  ownership,
  releaseAdopted,
  removeOrGone,
  type CheckFailure,
} from "./common";
import { log, twilioClient } from "./state";
import { isNotFound } from "../../twilioClient";

const label = (uniqueName: string) => `TaskRouter TaskChannel ${JSON.stringify(uniqueName)}`;

const INPUTS = [
  "workspaceSid",
  "uniqueName",
  "friendlyName",
  "channelOptimizedRouting",
  "adopt",
  "adopts",
  "reuses",
] as const;

const UNIQUE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function outputs(
  c: TaskChannelInstance,
  inputs: Partial<TaskChannelInputs>,
  own: Pick<TaskChannelOutputs, "adopted" | "reused" | "previous">,
): TaskChannelOutputs {
  return defined({
    ...declared(inputs, ["adopt", "adopts", "reuses"]),
    workspaceSid: c.workspaceSid,
    uniqueName: c.uniqueName,
    friendlyName: c.friendlyName,
    channelOptimizedRouting: c.channelOptimizedRouting ?? false,
    sid: c.sid,
    ...declared(own, ["reused", "previous"] as const),
    adopted: own.adopted ?? false,
  });
}

const policy = (inputs: TaskChannelInputs) => ({
  kind: "channels",
  workspaceSid: inputs.workspaceSid,
  adopt: inputs.adopt,
});

/** The workspace's channels keyed as the ownership helpers look names up: by unique name. */
const byUniqueName = async (workspaceSid: string) =>
  (await twilioClient().taskrouter.v1.workspaces(workspaceSid).taskChannels.list()).map((c) => ({
    instance: c,
    sid: c.sid,
    friendlyName: c.uniqueName,
  }));

export async function check(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
) {
  const inputs = { ...news };
  const c = new Checker(inputs);
  c.sid("workspaceSid", "WS");
  c.friendlyName();
  c.boolean("channelOptimizedRouting");
  const unique = inputs.uniqueName;
  if (typeof unique === "string" && !UNIQUE_NAME.test(unique)) {
    c.fail(
      "uniqueName",
      `must be letters, digits and underscores (no hyphen), 1 to 64 characters, got ${JSON.stringify(unique)}`,
    );
  }
  // The seeded channels are in every workspace: always this stack's to reuse, never adopted.
  if (typeof unique === "string" && unique in SEEDED_CHANNELS) {
    for (const mark of ["adopts", "reuses"]) delete inputs[mark];
  } else {
    // Ownership looks names up by `friendlyName`; for a channel the natural key is the unique name.
    const keyed: Record<string, unknown> = { ...inputs, friendlyName: unique };
    await markTakeOver(olds, keyed, c, label(String(unique)), policy(inputs as never), (ws) =>
      byUniqueName(ws),
    );
    for (const mark of ["adopts", "reuses"]) {
      if (keyed[mark] !== undefined) inputs[mark] = keyed[mark];
      else delete inputs[mark];
    }
  }
  return {
    inputs: inputs as unknown as TaskChannelInputs,
    failures: c.failures.map((f) =>
      f.property === "friendlyName" && f.reason.includes("already exists")
        ? { ...f, property: "uniqueName" }
        : f,
    ) as CheckFailure[],
  };
}

export async function diff(_id: string, olds: TaskChannelOutputs, news: TaskChannelInputs) {
  return diffProps(olds, news, {
    compare: {
      workspaceSid: true,
      uniqueName: true,
      friendlyName: true,
      channelOptimizedRouting: true,
    },
    replaces: ["workspaceSid", "uniqueName"],
    deleteBeforeReplace: true,
  });
}

const settings = (inputs: TaskChannelInputs): TaskChannelSettings => ({
  friendlyName: inputs.friendlyName,
  channelOptimizedRouting: inputs.channelOptimizedRouting,
});

export async function create(inputs: TaskChannelInputs) {
  const channels = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).taskChannels;
  const name = label(inputs.uniqueName);
  const bring = async (found: TaskChannelInstance) =>
    found.friendlyName === inputs.friendlyName &&
    (found.channelOptimizedRouting ?? false) === inputs.channelOptimizedRouting
      ? found
      : channels(found.sid).update(settings(inputs));
  if (inputs.uniqueName in SEEDED_CHANNELS) {
    const found = (await attempt("looking up", name, () => byUniqueName(inputs.workspaceSid))).find(
      (c) => c.friendlyName === inputs.uniqueName,
    );
    if (found) {
      const previous = {
        friendlyName: found.instance.friendlyName,
        channelOptimizedRouting: found.instance.channelOptimizedRouting ?? false,
      };
      const instance = await attempt("setting", name, () => bring(found.instance));
      const own = { adopted: false, reused: true, previous };
      return { id: instance.sid, outs: outputs(instance, inputs, own) };
    }
  }
  const { instance, origin, previous } = await createOrAdopt(
    name,
    inputs.uniqueName,
    policy(inputs),
    {
      snapshot: (found) => ({
        friendlyName: found.instance.friendlyName,
        channelOptimizedRouting: found.instance.channelOptimizedRouting ?? false,
      }),
      list: () => byUniqueName(inputs.workspaceSid),
      create: async () => {
        const made = await channels.create({ uniqueName: inputs.uniqueName, ...settings(inputs) });
        return { instance: made, sid: made.sid, friendlyName: made.uniqueName };
      },
      adopt: async (found) => {
        const done = await bring(found.instance);
        return { instance: done, sid: done.sid, friendlyName: done.uniqueName };
      },
    },
  );
  return {
    id: instance.sid,
    outs: outputs(instance.instance, inputs, ownership(origin, previous)),
  };
}

export async function read(id: string, props: TaskChannelOutputs) {
  const c = await fetchOrGone(label(props.uniqueName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).taskChannels(id).fetch(),
  );
  if (!c) return { id: "" };
  const live = outputs(c, props, props);
  return { id, props: live, inputs: declared(live, INPUTS) };
}

export async function update(id: string, olds: TaskChannelOutputs, news: TaskChannelInputs) {
  const c = await attempt("updating", label(news.uniqueName), () =>
    twilioClient()
      .taskrouter.v1.workspaces(news.workspaceSid)
      .taskChannels(id)
      .update(settings(news)),
  );
  return { outs: outputs(c, news, olds) };
}

/**
 * Deletes the channel. A seeded channel is never deleted (every workspace has it; the workspace's
 * delete takes it): it gets back the settings it had when this stack reused it and is left, with a
 * log line. An adopted one is restored and kept unless the stack opted into deleting adopted objects.
 */
async function remove(id: string, props: TaskChannelOutputs) {
  const name = label(props.uniqueName ?? id);
  const channels = twilioClient().taskrouter.v1.workspaces(props.workspaceSid).taskChannels;
  if (props.uniqueName in SEEDED_CHANNELS) {
    const previous = props.previous;
    if (previous) {
      await attempt("restoring", name, async () => {
        try {
          await channels(id).update(previous);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      });
    }
    log(`${name} (${id}) is one of the channels Twilio creates in every workspace; left in place`);
    return;
  }
  const restore = (previous: TaskChannelSettings) => channels(id).update(previous);
  if (await releaseAdopted(name, id, props, restore)) return;
  await removeOrGone(name, () => channels(id).remove());
}
export { remove as delete };
