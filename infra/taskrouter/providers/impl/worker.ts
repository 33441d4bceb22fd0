import type { WorkerInstance } from "twilio/lib/rest/taskrouter/v1/workspace/worker";
import type { WorkerInputs, WorkerOutputs } from "../worker";
import {
  createOrAdopt,
  attempt,
  canonicalJson,
  Checker,
  defined,
  diffProps,
  fetchOrGone,
  parseAttributes,
  removeOrGone,
  single,
} from "./common";
import { twilioClient } from "./state";

const label = (name: string) => `TaskRouter Worker ${JSON.stringify(name)}`;

function outputs(w: WorkerInstance, declared: WorkerInputs, adopted: boolean): WorkerOutputs {
  return defined({
    workspaceSid: w.workspaceSid,
    friendlyName: w.friendlyName,
    activitySid: declared.activitySid,
    attributes: parseAttributes(w.attributes),
    sid: w.sid,
    adopted,
    activityName: w.activityName,
    currentActivitySid: w.activitySid,
    available: w.available,
  });
}

export async function check(_olds: unknown, news: Record<string, unknown>) {
  const inputs = { attributes: {}, ...news };
  const c = new Checker(inputs);
  c.sid("workspaceSid", "WS");
  c.friendlyName();
  c.sid("activitySid", "WA", false);
  c.jsonObject("attributes");
  return { inputs: inputs as unknown as WorkerInputs, failures: c.failures };
}

export async function diff(_id: string, olds: WorkerOutputs, news: WorkerInputs) {
  return diffProps(olds, news, {
    compare: { workspaceSid: true, friendlyName: true, activitySid: true, attributes: true },
    replaces: ["workspaceSid"],
    deleteBeforeReplace: true,
  });
}

export async function create(inputs: WorkerInputs) {
  const workers = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).workers;
  const name = label(inputs.friendlyName);
  const params = {
    friendlyName: inputs.friendlyName,
    attributes: canonicalJson(inputs.attributes),
    ...(inputs.activitySid ? { activitySid: inputs.activitySid } : {}),
  };
  // Adopted: bring it to the declared settings (the update also returns the attributes lists hide).
  const adopt = (found: WorkerInstance) => workers(found.sid).update(params);
  try {
    const { instance, adopted } = await createOrAdopt(name, inputs.friendlyName, {
      list: () => workers.list({ friendlyName: inputs.friendlyName }),
      create: () => workers.create(params),
      adopt,
    });
    return { id: instance.sid, outs: outputs(instance, inputs, adopted) };
  } catch (err) {
    // Names are unique ignoring case, but the list filter may not be: on a conflict, scan them all.
    const status = ((err as { cause?: { status?: unknown } }).cause ?? {}).status;
    if (status !== 400 && status !== 409) throw err;
    const existing = await attempt("looking up", name, async () =>
      single(name, inputs.friendlyName, await workers.list({ pageSize: 1000 })),
    );
    if (!existing) throw err;
    const instance = await attempt("adopting", name, () => adopt(existing));
    return { id: instance.sid, outs: outputs(instance, inputs, true) };
  }
}

export async function read(id: string, props: WorkerOutputs) {
  const w = await fetchOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).workers(id).fetch(),
  );
  if (!w) return { id: "" };
  return { id, props: outputs(w, props, props.adopted ?? false) };
}

export async function update(id: string, olds: WorkerOutputs, news: WorkerInputs) {
  const activityChanged = news.activitySid !== undefined && news.activitySid !== olds.activitySid;
  const w = await attempt("updating", label(news.friendlyName), () =>
    twilioClient()
      .taskrouter.v1.workspaces(news.workspaceSid)
      .workers(id)
      .update({
        friendlyName: news.friendlyName,
        attributes: canonicalJson(news.attributes),
        // Only a changed declaration moves the worker; otherwise agents keep their live activity.
        ...(activityChanged ? { activitySid: news.activitySid } : {}),
      }),
  );
  return { outs: outputs(w, news, olds.adopted ?? false) };
}

async function remove(id: string, props: WorkerOutputs) {
  await removeOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).workers(id).remove(),
  );
}
export { remove as delete };
