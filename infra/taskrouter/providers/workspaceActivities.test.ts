import assert from "node:assert/strict";
import * as impl from "./impl";
import { abbreviate, newWorkspace, TEST_ACCOUNT_SID, UNKNOWN, useProviders } from "./testing";
import type { WorkspaceActivitiesInputs } from "./workspaceActivities";

describe("WorkspaceActivities provider", () => {
  const fx = useProviders();
  let ws: string;
  let activity: Record<string, string>;
  let declared: WorkspaceActivitiesInputs;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    const activities = fx.client.taskrouter.v1.workspaces(ws).activities;
    await activities.create({ friendlyName: "Break", available: false });
    activity = Object.fromEntries((await activities.list()).map((a) => [a.friendlyName, a.sid]));
    declared = {
      workspaceSid: ws,
      defaultActivitySid: activity.Unavailable,
      timeoutActivitySid: activity.Break,
    };
  });

  it("reports activity references that are not SIDs, and accepts unknowns", async () => {
    const { failures } = await impl.workspaceActivities.check(
      {},
      { workspaceSid: ws, defaultActivitySid: "Offline", timeoutActivitySid: UNKNOWN },
    );
    assert.deepEqual(failures, [
      {
        property: "defaultActivitySid",
        reason: 'must be a WA… SID (WA and 32 hex digits), got "Offline"',
      },
    ]);
  });

  it("sets the default and timeout activities and records what they were", async () => {
    const { id, outs } = await impl.workspaceActivities.create(declared);
    assert.equal(id, ws);
    assert.deepEqual(outs, {
      ...declared,
      defaultActivityName: "Unavailable",
      timeoutActivityName: "Break",
      previousDefaultActivitySid: activity.Offline,
      previousTimeoutActivitySid: activity.Offline,
      accountSid: TEST_ACCOUNT_SID,
    });
    assert.deepEqual(await impl.workspaceActivities.read(id, outs), {
      id,
      props: outs,
      inputs: { ...declared, defaultActivity: "Unavailable", timeoutActivity: "Break" },
    });
  });

  it("reads the live settings, so a default changed outside Pulumi shows as a diff", async () => {
    const { id, outs } = await impl.workspaceActivities.create(declared);
    await fx.client.taskrouter.v1.workspaces(ws).update({ defaultActivitySid: activity.Available });
    const { props } = await impl.workspaceActivities.read(id, outs);
    assert.deepEqual(props, {
      ...outs,
      defaultActivitySid: activity.Available,
      defaultActivityName: "Available",
    });
    assert.deepEqual(await impl.workspaceActivities.diff(id, props!, declared), {
      replaces: [],
    });
  });

  it("updates in place, keeps the recorded previous values, and replaces only for another workspace", async () => {
    const { id, outs } = await impl.workspaceActivities.create(declared);
    const news = { ...declared, timeoutActivitySid: activity.Available };
    assert.deepEqual(await impl.workspaceActivities.diff(id, outs, news), {
      replaces: [],
    });
    const { outs: updated } = await impl.workspaceActivities.update(id, outs, news);
    assert.equal(updated.timeoutActivityName, "Available");
    assert.equal(updated.previousTimeoutActivitySid, activity.Offline);
    const other = (await newWorkspace(fx, "Other")).sid;
    assert.deepEqual(
      await impl.workspaceActivities.diff(id, updated, { ...news, workspaceSid: other }),
      { replaces: ["workspaceSid"] },
    );
  });

  it("restores the previous activities on delete, so the declared ones can then be deleted", async () => {
    const { id, outs } = await impl.workspaceActivities.create(declared);
    await impl.workspaceActivities.delete(id, outs);
    const after = await fx.client.taskrouter.v1.workspaces(ws).fetch();
    assert.equal(after.defaultActivitySid, activity.Offline);
    assert.equal(after.timeoutActivitySid, activity.Offline);
    assert.equal(
      await fx.client.taskrouter.v1.workspaces(ws).activities(activity.Break).remove(),
      true,
    );
  });

  it("skips a previous activity that no longer exists, with a log line", async () => {
    const { id, outs } = await impl.workspaceActivities.create({
      ...declared,
      defaultActivitySid: activity.Unavailable,
    });
    const { outs: moved } = await impl.workspaceActivities.update(id, outs, declared);
    const gone = { ...moved, previousTimeoutActivitySid: activity.Available };
    await fx.client.taskrouter.v1.workspaces(ws).activities(activity.Available).remove();
    await impl.workspaceActivities.delete(id, gone);
    assert.deepEqual(fx.logs.map(abbreviate), [
      "TaskRouter Workspace WS… default/timeout activities: the previous timeoutActivitySid WA… no longer exists; not restored",
    ]);
    const after = await fx.client.taskrouter.v1.workspaces(ws).fetch();
    assert.equal(after.defaultActivitySid, activity.Offline);
    assert.equal(after.timeoutActivitySid, activity.Break);
  });

  it("reads a deleted workspace as gone and treats deleting with it gone as success", async () => {
    const { id, outs } = await impl.workspaceActivities.create(declared);
    await fx.client.taskrouter.v1.workspaces(ws).remove();
    assert.deepEqual(await impl.workspaceActivities.read(id, outs), { id: "" });
    await impl.workspaceActivities.delete(id, outs);
    assert.deepEqual(fx.requests().slice(-3), [
      "DELETE /v1/Workspaces/WS… 204",
      "GET /v1/Workspaces/WS… 404",
      "GET /v1/Workspaces/WS… 404",
    ]);
  });
});
