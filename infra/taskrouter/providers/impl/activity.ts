import type { ActivityInstance } from "twilio/lib/rest/taskrouter/v1/workspace/activity";
import type { ActivityInputs, ActivityOutputs } from "../activity";
import {
  createOrAdopt,
  declared,
  defined,
  markTakeOver,
  ownership,
  releaseAdopted,
  attempt,
  Checker,
  diffProps,
  fetchOrGone,
  ProviderError,
  type CheckFailure,
} from "./common";
import { listedOnce, log, twilioClient } from "./state";
import { isNotFound } from "../../twilioClient";

const label = (name: string) => `TaskRouter Activity ${JSON.stringify(name)}`;

/** The input fields, as `read` reports them after a refresh. */
const INPUTS = ["workspaceSid", "friendlyName", "available", "adopt", "adopts", "reuses"] as const;

function outputs(
  a: ActivityInstance,
  inputs: Partial<ActivityInputs>,
  own: Pick<ActivityOutputs, "adopted" | "reused" | "previous">,
): ActivityOutputs {
  return defined({
    ...declared(inputs, ["adopt", "adopts", "reuses"]),
    workspaceSid: a.workspaceSid,
    friendlyName: a.friendlyName,
    available: a.available,
    sid: a.sid,
    ...declared(own, ["reused", "previous"] as const),
    adopted: own.adopted ?? false,
  });
}

const policy = (inputs: ActivityInputs) => ({
  kind: "activities",
  workspaceSid: inputs.workspaceSid,
  adopt: inputs.adopt,
});

export async function check(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
) {
  const inputs = { ...news };
  const c = new Checker(inputs);
  c.sid("workspaceSid", "WS");
  c.friendlyName();
  c.boolean("available");
  const name = String(inputs.friendlyName);
  await markTakeOver(olds, inputs, c, label(name), policy(inputs as never), (ws) =>
    listedOnce("activities", ws, () =>
      twilioClient().taskrouter.v1.workspaces(ws).activities.list({ pageSize: 1000 }),
    ),
  );
  return { inputs: inputs as unknown as ActivityInputs, failures: c.failures as CheckFailure[] };
}

export async function diff(_id: string, olds: ActivityOutputs, news: ActivityInputs) {
  return diffProps(olds, news, {
    compare: { workspaceSid: true, friendlyName: true, available: true },
    replaces: ["workspaceSid", "available"],
    deleteBeforeReplace: true,
  });
}

export async function create(inputs: ActivityInputs) {
  const activities = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).activities;
  const name = label(inputs.friendlyName);
  const { instance, origin, previous } = await createOrAdopt(
    name,
    inputs.friendlyName,
    policy(inputs),
    {
      snapshot: (found) => ({ friendlyName: found.friendlyName }),
      list: () => activities.list({ friendlyName: inputs.friendlyName }),
      create: () =>
        activities.create({ friendlyName: inputs.friendlyName, available: inputs.available }),
      adopt: async (found) => {
        if (found.available !== inputs.available) {
          throw new ProviderError(
            `adopting ${name}: it exists (${found.sid}) with available=${found.available}, and ` +
              `Twilio cannot change "available"; rename the activity or delete the existing one`,
          );
        }
        return found.friendlyName === inputs.friendlyName
          ? found
          : activities(found.sid).update({ friendlyName: inputs.friendlyName });
      },
    },
  );
  return { id: instance.sid, outs: outputs(instance, inputs, ownership(origin, previous)) };
}

export async function read(id: string, props: ActivityOutputs) {
  const a = await fetchOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).activities(id).fetch(),
  );
  if (!a) return { id: "" };
  const live = outputs(a, props, props);
  return { id, props: live, inputs: declared(live, INPUTS) };
}

export async function update(id: string, olds: ActivityOutputs, news: ActivityInputs) {
  const a = await attempt("updating", label(news.friendlyName), () =>
    twilioClient()
      .taskrouter.v1.workspaces(news.workspaceSid)
      .activities(id)
      .update({ friendlyName: news.friendlyName }),
  );
  return { outs: outputs(a, news, olds) };
}

/**
 * Deletes the activity. Twilio refuses while it is the workspace's default or timeout activity (e.g.
 * an adopted Offline after WorkspaceActivities restored it): that one is left in place with a log
 * line, and goes with its workspace.
 */
async function remove(id: string, props: ActivityOutputs) {
  const name = label(props.friendlyName ?? id);
  const workspace = twilioClient().taskrouter.v1.workspaces(props.workspaceSid);
  const restore = (previous: { friendlyName: string }) => workspace.activities(id).update(previous);
  if (await releaseAdopted(name, id, props, restore)) return;
  await attempt("deleting", name, async () => {
    try {
      await workspace.activities(id).remove();
    } catch (err) {
      if (isNotFound(err)) return;
      const ws = await workspace.fetch().catch(() => undefined);
      const role =
        ws?.defaultActivitySid === id
          ? "default"
          : ws?.timeoutActivitySid === id
            ? "timeout"
            : undefined;
      if (!role) throw err;
      log(
        `${name} (${id}) is the workspace's ${role} activity, which Twilio refuses to delete; ` +
          `left in place (it is deleted with workspace ${props.workspaceSid})`,
      );
    }
  });
}
export { remove as delete };
