import type { WorkspaceInstance } from "twilio/lib/rest/taskrouter/v1/workspace";
import type { WorkspaceActivitiesInputs, WorkspaceActivitiesOutputs } from "../workspaceActivities";
import { attempt, Checker, declared, diffProps, fetchOrGone } from "./common";
import { log, twilioClient } from "./state";
import { isNotFound } from "../../twilioClient";

const label = (workspaceSid: string) =>
  `TaskRouter Workspace ${workspaceSid} default/timeout activities`;

function outputs(
  ws: WorkspaceInstance,
  previous: Pick<
    WorkspaceActivitiesOutputs,
    "previousDefaultActivitySid" | "previousTimeoutActivitySid"
  >,
): WorkspaceActivitiesOutputs {
  return {
    workspaceSid: ws.sid,
    defaultActivitySid: ws.defaultActivitySid,
    timeoutActivitySid: ws.timeoutActivitySid,
    defaultActivityName: ws.defaultActivityName,
    timeoutActivityName: ws.timeoutActivityName,
    previousDefaultActivitySid: previous.previousDefaultActivitySid,
    previousTimeoutActivitySid: previous.previousTimeoutActivitySid,
  };
}

export async function check(_olds: unknown, news: Record<string, unknown>) {
  const c = new Checker(news);
  c.sid("workspaceSid", "WS");
  c.sid("defaultActivitySid", "WA");
  c.sid("timeoutActivitySid", "WA");
  return { inputs: news as unknown as WorkspaceActivitiesInputs, failures: c.failures };
}

export async function diff(
  _id: string,
  olds: WorkspaceActivitiesOutputs,
  news: WorkspaceActivitiesInputs,
) {
  return diffProps(olds, news, {
    compare: { workspaceSid: true, defaultActivitySid: true, timeoutActivitySid: true },
    replaces: ["workspaceSid"],
  });
}

export async function create(inputs: WorkspaceActivitiesInputs) {
  const workspace = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid);
  const name = label(inputs.workspaceSid);
  const before = await attempt("reading", name, () => workspace.fetch());
  const ws = await attempt("setting", name, () =>
    workspace.update({
      defaultActivitySid: inputs.defaultActivitySid,
      timeoutActivitySid: inputs.timeoutActivitySid,
    }),
  );
  const previous = {
    previousDefaultActivitySid: before.defaultActivitySid,
    previousTimeoutActivitySid: before.timeoutActivitySid,
  };
  return { id: inputs.workspaceSid, outs: outputs(ws, previous) };
}

export async function read(id: string, props: WorkspaceActivitiesOutputs) {
  const ws = await fetchOrGone(label(id), () =>
    twilioClient().taskrouter.v1.workspaces(id).fetch(),
  );
  if (!ws) return { id: "" };
  const live = outputs(ws, props);
  return {
    id,
    props: live,
    // With the logical names as Twilio now reports them (a refresh names a drifted activity).
    inputs: {
      ...declared(live, ["workspaceSid", "defaultActivitySid", "timeoutActivitySid"]),
      defaultActivity: live.defaultActivityName,
      timeoutActivity: live.timeoutActivityName,
    },
  };
}

export async function update(
  id: string,
  olds: WorkspaceActivitiesOutputs,
  news: WorkspaceActivitiesInputs,
) {
  const ws = await attempt("setting", label(id), () =>
    twilioClient().taskrouter.v1.workspaces(id).update({
      defaultActivitySid: news.defaultActivitySid,
      timeoutActivitySid: news.timeoutActivitySid,
    }),
  );
  return { outs: outputs(ws, olds) };
}

/**
 * Restores the previous default and timeout activities. A previous activity that no longer exists
 * is skipped with a log line; a workspace that is gone means there is nothing to restore.
 */
async function remove(id: string, props: WorkspaceActivitiesOutputs) {
  const workspace = twilioClient().taskrouter.v1.workspaces(id);
  const name = label(id);
  await attempt("restoring", name, async () => {
    let current: WorkspaceInstance;
    try {
      current = await workspace.fetch();
    } catch (err) {
      if (isNotFound(err)) return; // the workspace is gone: nothing to restore
      throw err;
    }
    const restore: { defaultActivitySid?: string; timeoutActivitySid?: string } = {};
    for (const [field, sid] of [
      ["defaultActivitySid", props.previousDefaultActivitySid],
      ["timeoutActivitySid", props.previousTimeoutActivitySid],
    ] as const) {
      if (!sid || current[field] === sid) continue;
      try {
        await workspace.activities(sid).fetch();
        restore[field] = sid;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        log(`${name}: the previous ${field} ${sid} no longer exists; not restored`);
      }
    }
    if (Object.keys(restore).length > 0) await workspace.update(restore);
  });
}
export { remove as delete };
