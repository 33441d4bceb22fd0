import assert from "node:assert/strict";
import * as impl from "./impl";
import type { TaskQueueInputs } from "./taskQueue";
import {
  abbreviate,
  deleteReadDelete,
  message,
  newWorkspace,
  noteWorkspace,
  TEST_ACCOUNT_SID,
  UNKNOWN,
  useProviders,
} from "./testing";

describe("TaskQueue provider", () => {
  const fx = useProviders();
  let ws: string;
  let activity: Record<string, string>;
  let declared: TaskQueueInputs;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    const seeded = await fx.client.taskrouter.v1.workspaces(ws).activities.list();
    activity = Object.fromEntries(seeded.map((a) => [a.friendlyName, a.sid]));
    declared = {
      workspaceSid: ws,
      friendlyName: "Hindi",
      targetWorkers: 'languages HAS "hindi"',
      taskOrder: "FIFO",
      maxReservedWorkers: 1,
    };
  });

  it("fills Twilio's defaults in check and reports a bad expression and range as failures", async () => {
    assert.deepEqual(await impl.taskQueue.check({}, { workspaceSid: ws, friendlyName: "All" }), {
      inputs: {
        workspaceSid: ws,
        friendlyName: "All",
        targetWorkers: "1==1",
        taskOrder: "FIFO",
        maxReservedWorkers: 1,
      },
      failures: [],
    });
    const { failures } = await impl.taskQueue.check(
      {},
      {
        ...declared,
        targetWorkers: 'languages HAS "hi-IN"',
        maxReservedWorkers: 51,
        taskOrder: "PRIORITY",
      },
    );
    assert.deepEqual(failures, [
      { property: "taskOrder", reason: 'must be one of FIFO, LIFO, got "PRIORITY"' },
      { property: "maxReservedWorkers", reason: "must be an integer from 1 to 50, got 51" },
      {
        property: "targetWorkers",
        reason: 'expression has a hyphen in "hi-IN" at column 15 (not supported by TaskRouter)',
      },
    ]);
    const preview = await impl.taskQueue.check({}, { ...declared, targetWorkers: UNKNOWN });
    assert.deepEqual(preview.failures, []);
  });

  it("creates, updates every field and reads the queue back", async () => {
    const { id, outs } = await impl.taskQueue.create(declared);
    assert.deepEqual(outs, { ...declared, sid: id, adopted: false, accountSid: TEST_ACCOUNT_SID });
    const news: TaskQueueInputs = {
      ...declared,
      friendlyName: "Hindi speakers",
      targetWorkers: 'languages HAS "hindi" AND level > 1',
      taskOrder: "LIFO",
      maxReservedWorkers: 3,
      reservationActivitySid: activity.Unavailable,
      assignmentActivitySid: activity.Offline,
    };
    assert.deepEqual(await impl.taskQueue.diff(id, outs, news), { replaces: [] });
    const { outs: updated } = await impl.taskQueue.update(id, outs, news);
    assert.deepEqual(updated, {
      ...news,
      sid: id,
      adopted: false,
      accountSid: TEST_ACCOUNT_SID,
      reservationActivityName: "Unavailable",
      assignmentActivityName: "Offline",
    });
    const { sid: _s, adopted: _a, accountSid: _c, ...rest } = updated;
    const { reservationActivityName: _r, assignmentActivityName: _n, ...inputs } = rest;
    assert.deepEqual(await impl.taskQueue.read(id, updated), { id, props: updated, inputs });
    assert.deepEqual(await impl.taskQueue.diff(id, updated, news), {
      changes: false,
      replaces: [],
    });
  });

  it("replaces the queue only when its workspace changes", async () => {
    const { id, outs } = await impl.taskQueue.create(declared);
    const other = (await newWorkspace(fx, "Other")).sid;
    assert.deepEqual(await impl.taskQueue.diff(id, outs, { ...declared, workspaceSid: other }), {
      replaces: ["workspaceSid"],
    });
  });

  it("adopts a queue of the same name in an adopted workspace when the stack adopts queues, brings it to the declared settings and records its settings before", async () => {
    noteWorkspace(ws, false); // the stack adopted the workspace
    const existing = await fx.client.taskrouter.v1.workspaces(ws).taskQueues.create({
      friendlyName: "Hindi",
      targetWorkers: "1==1",
      taskOrder: "LIFO",
    });
    const { id, outs } = await impl.taskQueue.create({ ...declared, adopt: "restore" });
    assert.equal(id, existing.sid);
    assert.deepEqual(outs, {
      ...declared,
      adopt: "restore",
      sid: id,
      adopted: true,
      previous: {
        friendlyName: "Hindi",
        targetWorkers: "1==1",
        taskOrder: "LIFO",
        maxReservedWorkers: 1,
        reservationActivitySid: "",
        assignmentActivitySid: "",
      },
      accountSid: TEST_ACCOUNT_SID,
    });
    // Destroy (a later deployment) leaves it, with its settings from before adoption.
    fx.newProcess();
    await impl.taskQueue.delete(id, outs);
    assert.deepEqual(fx.logs.map(abbreviate), [
      'TaskRouter TaskQueue "Hindi" (WQ…) was adopted: left in place with its settings from ' +
        "before adoption",
    ]);
    const after = await fx.client.taskrouter.v1.workspaces(ws).taskQueues(id).fetch();
    assert.deepEqual([after.targetWorkers, after.taskOrder], ["1==1", "LIFO"]);
    const all = await fx.client.taskrouter.v1.workspaces(ws).taskQueues.list();
    assert.equal(all.length, 1);
  });

  it("deletes an adopted queue on destroy only when the stack opted in (adopt: { onDestroy: delete })", async () => {
    noteWorkspace(ws, false); // the stack adopted the workspace
    await fx.client.taskrouter.v1.workspaces(ws).taskQueues.create({ friendlyName: "Hindi" });
    const { id, outs } = await impl.taskQueue.create({ ...declared, adopt: "delete" });
    assert.equal(outs.adopted, true);
    fx.newProcess();
    await impl.taskQueue.delete(id, outs);
    assert.deepEqual(fx.logs, []);
    assert.deepEqual(await fx.client.taskrouter.v1.workspaces(ws).taskQueues.list(), []);
  });

  it("names the queue and Twilio's reason when the workspace does not exist", async () => {
    await assert.rejects(
      impl.taskQueue.create({ ...declared, workspaceSid: "WS" + "0".repeat(32) }),
      message(
        'looking up TaskRouter TaskQueue "Hindi": The requested resource /Workspaces/WS… was not ' +
          "found [code 20404, status 404]",
      ),
    );
  });

  it("reads a deleted queue as gone and treats deleting it again as success", async () => {
    const { id, outs } = await impl.taskQueue.create(declared);
    await deleteReadDelete(fx, impl.taskQueue, id, outs, "/v1/Workspaces/WS…/TaskQueues/WQ…");
  });
});
