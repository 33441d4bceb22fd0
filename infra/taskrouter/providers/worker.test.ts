import assert from "node:assert/strict";
import { DEFAULT_RETRY } from "../twilioClient";
import * as impl from "./impl";
import {
  deleteReadDelete,
  message,
  newWorkspace,
  noteWorkspace,
  TEST_ACCOUNT_SID,
  UNKNOWN,
  useProviders,
} from "./testing";
import type { WorkerInputs } from "./worker";

describe("Worker provider", () => {
  const fx = useProviders();
  let ws: string;
  let activity: Record<string, string>;
  let declared: WorkerInputs;
  /** The activity Twilio reports for a worker now (outputs do not record it). */
  const liveActivity = async (outs: { sid: string }) =>
    (await fx.client.taskrouter.v1.workspaces(ws).workers(outs.sid).fetch()).activityName;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    const seeded = await fx.client.taskrouter.v1.workspaces(ws).activities.list();
    activity = Object.fromEntries(seeded.map((a) => [a.friendlyName, a.sid]));
    declared = {
      workspaceSid: ws,
      friendlyName: "Alice",
      activitySid: activity.Available,
      attributes: { languages: ["english"], contact_uri: "+15555550101" },
    };
  });

  it("defaults attributes to {} in check and reports bad values as failures", async () => {
    assert.deepEqual(await impl.worker.check({}, { workspaceSid: ws, friendlyName: "Bob" }), {
      inputs: { workspaceSid: ws, friendlyName: "Bob", attributes: {} },
      failures: [],
    });
    const { failures } = await impl.worker.check(
      {},
      { workspaceSid: ws, friendlyName: "Bob", activitySid: "Available", attributes: "[]" },
    );
    assert.deepEqual(failures, [
      {
        property: "activitySid",
        reason: 'must be a WA… SID (WA and 32 hex digits), got "Available"',
      },
      { property: "attributes", reason: 'must be an object, got "[]"' },
    ]);
    const preview = await impl.worker.check(
      {},
      { workspaceSid: ws, friendlyName: "Bob", activitySid: UNKNOWN, attributes: { a: UNKNOWN } },
    );
    assert.deepEqual(preview.failures, []);
  });

  it("creates a worker in its declared activity, with its attributes as an object and no live activity in its outputs", async () => {
    const { id, outs } = await impl.worker.create(declared);
    assert.deepEqual(outs, { ...declared, sid: id, adopted: false, accountSid: TEST_ACCOUNT_SID });
    const fetched = await fx.client.taskrouter.v1.workspaces(ws).workers(id).fetch();
    assert.equal(fetched.attributes, '{"contact_uri":"+15555550101","languages":["english"]}');
    assert.equal(fetched.activityName, "Available");
  });

  it("reads the single worker, because lists hide attributes", async () => {
    const { id, outs } = await impl.worker.create(declared);
    fx.emu.records.length = 0;
    assert.deepEqual(await impl.worker.read(id, outs), { id, props: outs, inputs: declared });
    assert.deepEqual(fx.requests(), ["GET /v1/Workspaces/WS…/Workers/WK… 200"]);
  });

  it("compares attributes semantically, so key order and formatting are not changes", async () => {
    const { id, outs } = await impl.worker.create(declared);
    const reordered = {
      ...declared,
      attributes: { contact_uri: "+15555550101", languages: ["english"] },
    };
    assert.deepEqual(await impl.worker.diff(id, outs, reordered), { changes: false, replaces: [] });
    const skilled = {
      ...declared,
      attributes: { ...declared.attributes, languages: ["english", "hindi"] },
    };
    assert.deepEqual(await impl.worker.diff(id, outs, skilled), { replaces: [] });
    const other = (await newWorkspace(fx, "Other")).sid;
    assert.deepEqual(await impl.worker.diff(id, outs, { ...declared, workspaceSid: other }), {
      replaces: ["workspaceSid"],
      deleteBeforeReplace: true,
    });
  });

  it("updates attributes without moving an agent who changed activity, and moves them when the declared activity changes", async () => {
    const { id, outs } = await impl.worker.create(declared);
    await fx.client.taskrouter.v1
      .workspaces(ws)
      .workers(id)
      .update({ activitySid: activity.Offline });
    const skilled = { ...declared, attributes: { languages: ["english", "hindi"] } };
    const { outs: updated } = await impl.worker.update(id, outs, skilled);
    assert.deepEqual(updated.attributes, { languages: ["english", "hindi"] });
    assert.equal(await liveActivity(updated), "Offline");
    const moved = { ...skilled, activitySid: activity.Unavailable };
    assert.deepEqual(await impl.worker.diff(id, updated, moved), { replaces: [] });
    const { outs: after } = await impl.worker.update(id, updated, moved);
    assert.equal(after.activitySid, activity.Unavailable);
    assert.equal(await liveActivity(after), "Unavailable");
  });

  it("starts a worker in its activity declared by name, listing the workspace's activities once per process", async () => {
    const byName = { ...declared, activitySid: undefined, activity: "Offline" };
    fx.emu.records.length = 0;
    const { outs } = await impl.worker.create(byName);
    assert.equal(outs.activitySid, activity.Offline);
    await impl.worker.create({ ...byName, friendlyName: "Bob", activity: "Unavailable" });
    assert.deepEqual(fx.requests(), [
      "GET /v1/Workspaces/WS…/Activities 200",
      "POST /v1/Workspaces/WS…/Workers 201",
      "POST /v1/Workspaces/WS…/Workers 201",
    ]);
    assert.equal(await liveActivity(outs), "Offline");
    // An activity made after that list (not by this stack's order, which makes every activity
    // first): listed again once, then found.
    const lunch = await fx.client.taskrouter.v1
      .workspaces(ws)
      .activities.create({ friendlyName: "Lunch", available: false });
    const { outs: carol } = await impl.worker.create({
      ...byName,
      friendlyName: "Carol",
      activity: "Lunch",
    });
    assert.equal(carol.activitySid, lunch.sid);
    await assert.rejects(
      impl.worker.create({ ...byName, friendlyName: "Dave", activity: "Nap" }),
      message('setting TaskRouter Worker "Dave": the workspace has no activity "Nap"'),
    );
    // Carol's and Dave's misses listed once more each.
    assert.equal(
      fx.requests().filter((r) => r.startsWith("GET /v1/Workspaces/WS…/Activities")).length,
      3,
    );
  });

  it("compares the declared activity by name when it is declared by name, and moves the agent only when that names another activity", async () => {
    const { id, outs } = await impl.worker.create(declared);
    // A state from before recorded the SID too; the same name is no change.
    const byName = { ...declared, activitySid: undefined, activity: "Available" };
    assert.deepEqual(await impl.worker.diff(id, { ...outs, activity: "Available" }, byName), {
      changes: false,
      replaces: [],
    });
    const offline = { ...byName, activity: "Offline" };
    assert.deepEqual(await impl.worker.diff(id, { ...outs, activity: "Available" }, offline), {
      replaces: [],
    });
    const { outs: moved } = await impl.worker.update(
      id,
      { ...outs, activity: "Available" },
      offline,
    );
    assert.equal(moved.activitySid, activity.Offline);
    assert.equal(await liveActivity(moved), "Offline");
    // The agent goes on a break; a change of skills does not move them back.
    await fx.client.taskrouter.v1
      .workspaces(ws)
      .workers(id)
      .update({ activitySid: activity.Unavailable });
    const { outs: skilled } = await impl.worker.update(id, moved, {
      ...offline,
      attributes: { a: 1 },
    });
    assert.equal(await liveActivity(skilled), "Unavailable");
    assert.equal(skilled.activitySid, activity.Offline);
  });

  it("adopts a worker whose name differs only in case, renaming it instead of duplicating", async () => {
    noteWorkspace(ws, false); // the stack adopted the workspace
    const existing = await fx.client.taskrouter.v1.workspaces(ws).workers.create({
      friendlyName: "alice",
      attributes: "{}",
    });
    const { id, outs } = await impl.worker.create({ ...declared, adopt: "restore" });
    assert.equal(id, existing.sid);
    assert.deepEqual(
      [outs.adopted, outs.previous],
      [true, { friendlyName: "alice", attributes: "{}" }],
    );
    assert.equal(outs.friendlyName, "Alice");
    assert.deepEqual(outs.attributes, declared.attributes);
    const all = await fx.client.taskrouter.v1.workspaces(ws).workers.list();
    assert.equal(all.length, 1);
  });

  it("names the worker and Twilio's reason when an activity does not exist", async () => {
    await assert.rejects(
      impl.worker.create({ ...declared, activitySid: "WA" + "0".repeat(32) }),
      message(
        'creating TaskRouter Worker "Alice": Invalid ActivitySid: activity WA… not found in ' +
          "workspace WS… [code 20001, status 400]",
      ),
    );
  });

  it("looks new workers' names up with one list of the workspace per process, and creates first when it found none", async () => {
    noteWorkspace(ws, true);
    fx.emu.records.length = 0;
    const { id: alice } = await impl.worker.create(declared);
    // No check found Alice in this process: the create is the only request.
    assert.deepEqual(fx.requests(), ["POST /v1/Workspaces/WS…/Workers 201"]);
    fx.emu.records.length = 0;
    const checks = await Promise.all(
      ["Alice", "Bob", "Carol"].map((friendlyName) =>
        impl.worker.check({}, { workspaceSid: ws, friendlyName }),
      ),
    );
    // Alice exists (this stack's workspace): the preview says her create reuses her.
    assert.deepEqual(
      checks.map((c) => c.inputs.reuses),
      [alice, undefined, undefined],
    );
    assert.deepEqual(fx.requests(), ["GET /v1/Workspaces/WS…/Workers 200"]);
    assert.equal(fx.emu.records[0].query.PageSize, "1000");
    // Someone makes Dave after the list was read: the check still says nothing to take over, and
    // create reuses him rather than make a second Dave.
    const dave = await fx.client.taskrouter.v1
      .workspaces(ws)
      .workers.create({ friendlyName: "Dave" });
    const check = await impl.worker.check({}, { workspaceSid: ws, friendlyName: "Dave" });
    assert.equal(check.inputs.reuses, undefined);
    fx.emu.records.length = 0;
    const { id } = await impl.worker.create({ ...declared, friendlyName: "Dave" });
    assert.equal(id, dave.sid);
    // Twilio refuses a second worker of that name; the conflict is resolved by looking it up.
    assert.deepEqual(fx.requests(), [
      "POST /v1/Workspaces/WS…/Workers 400",
      "GET /v1/Workspaces/WS…/Workers 200",
      "POST /v1/Workspaces/WS…/Workers/WK… 200",
    ]);
    assert.equal((await fx.client.taskrouter.v1.workspaces(ws).workers.list()).length, 2);
    // A new provider process (the next run) lists afresh.
    fx.newProcess();
    noteWorkspace(ws, true);
    const next = await impl.worker.check({}, { workspaceSid: ws, friendlyName: "Dave" });
    assert.equal(next.inputs.reuses, dave.sid);
  });

  it("does not keep a failed list: the next check lists again", async () => {
    // Every attempt the client makes fails.
    const count = DEFAULT_RETRY.attempts;
    await fx.fault({ kind: "500", method: "GET", path: "/Workers$", count });
    await assert.rejects(impl.worker.check({}, { workspaceSid: ws, friendlyName: "Bob" }), {
      name: "ProviderError",
      message: 'looking up TaskRouter Worker "Bob": Internal Server Error [code 20500, status 500]',
    });
    fx.emu.records.length = 0;
    const check = await impl.worker.check({}, { workspaceSid: ws, friendlyName: "Bob" });
    assert.deepEqual(check.failures, []);
    assert.deepEqual(fx.requests(), ["GET /v1/Workspaces/WS…/Workers 200"]);
  });

  it("reads a deleted worker as gone and treats deleting it again as success", async () => {
    const { id, outs } = await impl.worker.create(declared);
    await deleteReadDelete(fx, impl.worker, id, outs, "/v1/Workspaces/WS…/Workers/WK…");
  });
});
