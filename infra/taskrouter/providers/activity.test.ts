import assert from "node:assert/strict";
import type { ActivityInputs, ActivityOutputs } from "./activity";
import * as impl from "./impl";
import {
  abbreviate,
  deleteReadDelete,
  message,
  newWorkspace,
  TEST_ACCOUNT_SID,
  UNKNOWN,
  useProviders,
} from "./testing";

describe("Activity provider", () => {
  const fx = useProviders();
  let ws: string;
  let declared: ActivityInputs;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    declared = { workspaceSid: ws, friendlyName: "Wrap-Up", available: false };
  });

  it("reports a bad workspace SID and a non-boolean available as failures, and accepts unknowns", async () => {
    const { failures } = await impl.activity.check(
      {},
      { workspaceSid: "WS123", friendlyName: "", available: "yes" },
    );
    assert.deepEqual(failures, [
      { property: "workspaceSid", reason: 'must be a WS… SID (WS and 32 hex digits), got "WS123"' },
      { property: "friendlyName", reason: 'must be a string of 1 to 64 characters, got ""' },
      { property: "available", reason: 'must be true or false, got "yes"' },
    ]);
    const preview = await impl.activity.check(
      {},
      { workspaceSid: UNKNOWN, friendlyName: "Wrap-Up", available: UNKNOWN },
    );
    assert.deepEqual(preview.failures, []);
  });

  it("creates an activity and reads it back from Twilio", async () => {
    const { id, outs } = await impl.activity.create(declared);
    assert.deepEqual(outs, { ...declared, sid: id, adopted: false, accountSid: TEST_ACCOUNT_SID });
    // A refresh reports the declared fields as inputs too, so drift shows field by field.
    assert.deepEqual(await impl.activity.read(id, outs), { id, props: outs, inputs: declared });
  });

  it("reuses a seeded activity of the same name and availability in the stack's own workspace", async () => {
    const { id, outs } = await impl.activity.create({ ...declared, friendlyName: "Offline" });
    const seeded = await fx.client.taskrouter.v1.workspaces(ws).activities.list();
    assert.equal(seeded.length, 3);
    assert.equal(seeded.find((a) => a.friendlyName === "Offline")?.sid, id);
    assert.deepEqual([outs.adopted, outs.reused], [false, true]);
  });

  it("refuses an activity of the same name in someone else's workspace unless the stack adopts activities", async () => {
    const foreign = (await newWorkspace(fx, "Theirs", { foreign: true })).sid;
    const theirs = { workspaceSid: foreign, friendlyName: "Offline", available: false };
    const refusal =
      'TaskRouter Activity "Offline" already exists (WA…) and this stack did not create it; ' +
      'nothing was changed. To manage it, add "adopt: { objects: [activities] }" (or "adopt: ' +
      '{ objects: [all] }") to the stack file; otherwise give it another name in the stack file';
    const before = fx.requests().length;
    // The check (preview, and up before any write) fails with the same message.
    const checked = await impl.activity.check({}, theirs);
    assert.deepEqual(
      checked.failures.map((f) => [f.property, abbreviate(f.reason)]),
      [["friendlyName", refusal]],
    );
    await assert.rejects(impl.activity.create(theirs), message(refusal));
    assert.deepEqual(
      fx
        .requests()
        .slice(before)
        .filter((r) => !r.startsWith("GET")),
      [],
    );
    // With `adopt`, the check names the adopted SID and create adopts it.
    const adopting = await impl.activity.check({}, { ...theirs, adopt: "restore" });
    const [offline] = await fx.client.taskrouter.v1
      .workspaces(foreign)
      .activities.list({ friendlyName: "Offline" });
    assert.deepEqual(adopting, {
      inputs: { ...theirs, adopt: "restore", adopts: offline.sid },
      failures: [],
    });
    const { id, outs } = await impl.activity.create(adopting.inputs);
    assert.equal(id, offline.sid);
    assert.deepEqual([outs.adopted, outs.previous], [true, { friendlyName: "Offline" }]);
  });

  it("refuses to adopt an activity whose availability differs, since Twilio cannot change it", async () => {
    await assert.rejects(
      impl.activity.create({ ...declared, friendlyName: "Available" }),
      message(
        'adopting TaskRouter Activity "Available": it exists (WA…) with available=true, and ' +
          'Twilio cannot change "available"; rename the activity or delete the existing one',
      ),
    );
  });

  it("renames in place and replaces, deleting first, when available or the workspace changes", async () => {
    const { id, outs } = await impl.activity.create(declared);
    const renamed = { ...declared, friendlyName: "After Call Work" };
    assert.deepEqual(await impl.activity.diff(id, outs, renamed), { replaces: [] });
    const { outs: updated } = await impl.activity.update(id, outs, renamed);
    assert.deepEqual(updated, {
      ...renamed,
      sid: id,
      adopted: false,
      accountSid: TEST_ACCOUNT_SID,
    });
    assert.deepEqual(await impl.activity.diff(id, updated, { ...renamed, available: true }), {
      replaces: ["available"],
      deleteBeforeReplace: true,
    });
    const other = (await newWorkspace(fx, "Other")).sid;
    assert.deepEqual(await impl.activity.diff(id, updated, { ...renamed, workspaceSid: other }), {
      replaces: ["workspaceSid"],
      deleteBeforeReplace: true,
    });
    assert.deepEqual(await impl.activity.diff(id, updated, renamed), {
      changes: false,
      replaces: [],
    });
  });

  it("deletes, then reads the activity as gone and treats a second delete as success", async () => {
    const { id, outs } = await impl.activity.create(declared);
    await deleteReadDelete(fx, impl.activity, id, outs, "/v1/Workspaces/WS…/Activities/WA…");
  });

  it("leaves the workspace's default activity in place with a log line, as Twilio refuses to delete it", async () => {
    const { id, outs } = await impl.activity.create({ ...declared, friendlyName: "Offline" });
    fx.newProcess(); // destroy, a later deployment (this one reused the seeded Offline)
    await impl.activity.delete(id, outs as ActivityOutputs);
    assert.deepEqual(fx.logs.map(abbreviate), [
      'TaskRouter Activity "Offline" (WA…) is the workspace\'s default activity, which Twilio ' +
        "refuses to delete; left in place (it is deleted with workspace WS…)",
    ]);
    const left = await fx.client.taskrouter.v1.workspaces(ws).activities(id).fetch();
    assert.equal(left.friendlyName, "Offline");
  });

  it("fails with Twilio's reason when the activity is still a worker's activity", async () => {
    const { id, outs } = await impl.activity.create(declared);
    await fx.client.taskrouter.v1.workspaces(ws).workers.create({
      friendlyName: "Alice",
      activitySid: id,
    });
    await assert.rejects(
      impl.activity.delete(id, outs),
      message(
        'deleting TaskRouter Activity "Wrap-Up": Cannot delete activity WA…: it is the current ' +
          "activity of worker WK… [code 20001, status 400]",
      ),
    );
  });
});
