import type { WorkerInstance } from "twilio/lib/rest/taskrouter/v1/workspace/worker";
import { canonicalJson } from "../../canonicalJson";
import type { WorkerInputs, WorkerOutputs } from "../worker";
import {
  createOrAdopt,
  declared,
  markTakeOver,
  ownership,
  releaseAdopted,
  takeOver,
  attempt,
  Checker,
  defined,
  diffProps,
  type DiffSpec,
  fetchOrGone,
  parseAttributes,
  ProviderError,
  removeOrGone,
  single,
} from "./common";
import { listedOnce, twilioClient } from "./state";

const label = (name: string) => `TaskRouter Worker ${JSON.stringify(name)}`;

type Previous = NonNullable<WorkerOutputs["previous"]>;

/**
 * An adopted worker's settings before adoption (fetched: lists hide attributes). Its activity is
 * the agent's, never restored.
 */
async function snapshot(w: WorkerInstance): Promise<Previous> {
  const full = await twilioClient().taskrouter.v1.workspaces(w.workspaceSid).workers(w.sid).fetch();
  return { friendlyName: full.friendlyName, attributes: full.attributes };
}

/** The input fields, as `read` reports them after a refresh. */
const INPUTS = [
  "workspaceSid",
  "friendlyName",
  "activitySid",
  "activity",
  "attributes",
  "adopt",
  "adopts",
  "reuses",
] as const;

/**
 * The declared activity (SID and name), logical names and ownership marks are kept as declared:
 * an agent's live activity is theirs, never drift.
 */
const KEPT = ["activitySid", "activity", "adopt", "adopts", "reuses"] as const;

/**
 * The SID of the declared activity: `activitySid` when given, else the workspace's activity named
 * `activity` (the program declares it by name, so a worker's state record carries no dependency on
 * the Activity resource). Activities are listed once per process, at the first worker write of the
 * run (after WorkspaceActivities, which waits for every activity), and again once for a name not
 * in that list.
 */
async function declaredActivitySid(inputs: WorkerInputs): Promise<string | undefined> {
  if (inputs.activitySid !== undefined || inputs.activity === undefined) return inputs.activitySid;
  const name = label(inputs.friendlyName);
  const activities = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).activities;
  for (const fresh of [false, true]) {
    const listed = await attempt("looking up activities for", name, () =>
      listedOnce(
        "activities for workers",
        inputs.workspaceSid,
        () => activities.list({ pageSize: 1000 }),
        fresh,
      ),
    );
    const found = single(
      `TaskRouter Activity ${JSON.stringify(inputs.activity)}`,
      inputs.activity,
      listed,
    );
    if (found) return found.sid;
  }
  throw new ProviderError(
    `setting ${name}: the workspace has no activity ${JSON.stringify(inputs.activity)}`,
  );
}

function outputs(
  w: WorkerInstance,
  inputs: Partial<WorkerInputs>,
  own: Pick<WorkerOutputs, "adopted" | "reused" | "previous">,
): WorkerOutputs {
  return defined({
    ...declared(inputs, KEPT),
    workspaceSid: w.workspaceSid,
    friendlyName: w.friendlyName,
    attributes: parseAttributes(w.attributes),
    sid: w.sid,
    ...declared(own, ["reused", "previous"] as const),
    adopted: own.adopted ?? false,
  });
}

export async function check(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
) {
  const inputs: Record<string, unknown> = { attributes: {}, ...news };
  const c = new Checker(inputs);
  c.sid("workspaceSid", "WS");
  c.friendlyName();
  c.sid("activitySid", "WA", false);
  c.jsonObject("attributes");
  const name = String(inputs.friendlyName);
  await markTakeOver(olds, inputs, c, label(name), policy(inputs as never), (ws) =>
    listedOnce("workers", ws, () =>
      twilioClient().taskrouter.v1.workspaces(ws).workers.list({ pageSize: 1000 }),
    ),
  );
  return { inputs: inputs as unknown as WorkerInputs, failures: c.failures };
}

export async function diff(_id: string, olds: WorkerOutputs, news: WorkerInputs) {
  // The declared activity by SID when given, else by name (the SID of that name is resolved when
  // written; states from before kept the SID in their inputs, which is not a change).
  const activity: DiffSpec<WorkerInputs>["compare"] =
    news.activitySid !== undefined ? { activitySid: true } : { activity: true };
  return diffProps(olds, news, {
    compare: { workspaceSid: true, friendlyName: true, ...activity, attributes: true },
    replaces: ["workspaceSid"],
    deleteBeforeReplace: true,
  });
}

const policy = (inputs: WorkerInputs) => ({
  kind: "workers",
  workspaceSid: inputs.workspaceSid,
  adopt: inputs.adopt,
});

export async function create(given: WorkerInputs) {
  const inputs = defined({ ...given, activitySid: await declaredActivitySid(given) });
  const workers = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).workers;
  const name = label(inputs.friendlyName);
  const params = {
    friendlyName: inputs.friendlyName,
    attributes: canonicalJson(inputs.attributes),
    ...(inputs.activitySid ? { activitySid: inputs.activitySid } : {}),
  };
  // Taken over: bring it to the declared settings (the update also returns the attributes lists
  // hide), but never move the agent: the declared activity is where a new worker starts.
  const adopt = (found: WorkerInstance) =>
    workers(found.sid).update({ friendlyName: params.friendlyName, attributes: params.attributes });
  try {
    const { instance, origin, previous } = await createOrAdopt(
      name,
      inputs.friendlyName,
      policy(inputs),
      {
        list: () => workers.list({ friendlyName: inputs.friendlyName }),
        create: () => workers.create(params),
        adopt,
        snapshot,
      },
      // Worker names are unique in a workspace (ignoring case): when this run's check found no
      // worker by this name, create straight away; one made since is a conflict, resolved below.
      inputs.adopts !== undefined || inputs.reuses !== undefined,
    );
    return { id: instance.sid, outs: outputs(instance, inputs, ownership(origin, previous)) };
  } catch (err) {
    // Names are unique ignoring case, but the list filter may not be: on a conflict, scan them all.
    const status = ((err as { cause?: { status?: unknown } }).cause ?? {}).status;
    if (status !== 400 && status !== 409) throw err;
    const existing = await attempt("looking up", name, async () =>
      single(name, inputs.friendlyName, await workers.list({ pageSize: 1000 })),
    );
    if (!existing) throw err;
    const origin = takeOver(name, existing.sid, policy(inputs));
    const previous = origin === "adopted" ? await snapshot(existing) : undefined;
    const instance = await attempt("adopting", name, () => adopt(existing));
    return { id: instance.sid, outs: outputs(instance, inputs, ownership(origin, previous)) };
  }
}

export async function read(id: string, props: WorkerOutputs) {
  const w = await fetchOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).workers(id).fetch(),
  );
  if (!w) return { id: "" };
  const live = outputs(w, props, props);
  return { id, props: live, inputs: declared(live, INPUTS) };
}

export async function update(id: string, olds: WorkerOutputs, given: WorkerInputs) {
  const news = defined({ ...given, activitySid: await declaredActivitySid(given) });
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
  return { outs: outputs(w, news, olds) };
}

async function remove(id: string, props: WorkerOutputs) {
  const worker = () => twilioClient().taskrouter.v1.workspaces(props.workspaceSid).workers(id);
  const name = label(props.friendlyName ?? id);
  if (await releaseAdopted(name, id, props, (previous) => worker().update(previous))) return;
  await removeOrGone(name, () => worker().remove());
}
export { remove as delete };
