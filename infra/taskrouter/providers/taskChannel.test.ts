import assert from "node:assert/strict";
import * as impl from "./impl";
import type { TaskChannelInputs } from "./taskChannel";
import { newWorkspace, TEST_ACCOUNT_SID, useProviders } from "./testing";

const short = (text: string) => text.replace(/\b(WS|TC|WK|WC)[0-9a-f]{32}\b/g, "$1…");

describe("TaskChannel provider", () => {
  const fx = useProviders();
  let ws: string;
  let declared: TaskChannelInputs;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    declared = {
      workspaceSid: ws,
      uniqueName: "email",
      friendlyName: "Email",
      channelOptimizedRouting: true,
    };
  });

  it("reports a hyphenated unique name and a non-boolean flag as failures", async () => {
    const { failures } = await impl.taskChannel.check(
      {},
      { ...declared, uniqueName: "e-mail", channelOptimizedRouting: "yes" },
    );
    assert.deepEqual(failures, [
      { property: "channelOptimizedRouting", reason: 'must be true or false, got "yes"' },
      {
        property: "uniqueName",
        reason:
          'must be letters, digits and underscores (no hyphen), 1 to 64 characters, got "e-mail"',
      },
    ]);
  });

  it("creates a custom channel, reads it back, updates it in place and replaces on a new unique name", async () => {
    const { id, outs } = await impl.taskChannel.create(declared);
    assert.match(id, /^TC[0-9a-f]{32}$/);
    assert.deepEqual(outs, { ...declared, sid: id, adopted: false, accountSid: TEST_ACCOUNT_SID });
    assert.deepEqual(await impl.taskChannel.read(id, outs), { id, props: outs, inputs: declared });
    const renamed = { ...declared, friendlyName: "Mail", channelOptimizedRouting: false };
    assert.deepEqual(await impl.taskChannel.diff(id, outs, renamed), { replaces: [] });
    const { outs: updated } = await impl.taskChannel.update(id, outs, renamed);
    assert.deepEqual([updated.friendlyName, updated.channelOptimizedRouting], ["Mail", false]);
    assert.deepEqual(await impl.taskChannel.diff(id, updated, { ...renamed, uniqueName: "mail" }), {
      replaces: ["uniqueName"],
      deleteBeforeReplace: true,
    });
    fx.newProcess(); // destroy, a later deployment
    await impl.taskChannel.delete(id, updated);
    assert.deepEqual(await impl.taskChannel.read(id, updated), { id: "" });
  });

  it("reuses a seeded channel, sets its fields, and never deletes it", async () => {
    const seeded = { ...declared, uniqueName: "chat", friendlyName: "Web chat" };
    const checked = await impl.taskChannel.check({}, seeded);
    assert.deepEqual(checked, { inputs: seeded, failures: [] });
    const { id, outs } = await impl.taskChannel.create(seeded);
    const chat = (await fx.client.taskrouter.v1.workspaces(ws).taskChannels.list()).find(
      (c) => c.uniqueName === "chat",
    );
    assert.equal(chat?.sid, id);
    assert.deepEqual([chat?.friendlyName, chat?.channelOptimizedRouting], ["Web chat", true]);
    assert.deepEqual(
      [outs.adopted, outs.reused, outs.previous],
      [false, true, { friendlyName: "Chat", channelOptimizedRouting: false }],
    );
    fx.newProcess(); // destroy, a later deployment
    await impl.taskChannel.delete(id, outs);
    assert.deepEqual(fx.logs.map(short), [
      'TaskRouter TaskChannel "chat" (TC…) is one of the channels Twilio creates in every workspace; left in place',
    ]);
    // Left in place with the settings it had before this stack reused it.
    const left = await fx.client.taskrouter.v1.workspaces(ws).taskChannels(id).fetch();
    assert.deepEqual([left.friendlyName, left.channelOptimizedRouting], ["Chat", false]);
  });

  it("refuses a custom channel of the same unique name in someone else's workspace unless the stack adopts channels", async () => {
    const foreign = (await newWorkspace(fx, "Theirs", { foreign: true })).sid;
    await fx.client.taskrouter.v1
      .workspaces(foreign)
      .taskChannels.create({ uniqueName: "email", friendlyName: "Their email" });
    const theirs = { ...declared, workspaceSid: foreign };
    const checked = await impl.taskChannel.check({}, theirs);
    assert.deepEqual(
      checked.failures.map((f) => [f.property, short(f.reason)]),
      [
        [
          "uniqueName",
          'TaskRouter TaskChannel "email" already exists (TC…) and this stack did not create it; ' +
            'nothing was changed. To manage it, add "adopt: { objects: [channels] }" (or "adopt: ' +
            '{ objects: [all] }") to the stack file; otherwise give it another name in the stack file',
        ],
      ],
    );
    const adopting = await impl.taskChannel.check({}, { ...theirs, adopt: "restore" });
    assert.deepEqual(adopting.failures, []);
    const { id, outs } = await impl.taskChannel.create(adopting.inputs);
    assert.equal(adopting.inputs.adopts, id);
    assert.deepEqual(
      [outs.adopted, outs.previous],
      [true, { friendlyName: "Their email", channelOptimizedRouting: false }],
    );
    // Destroy (a later deployment) restores the adopted channel's settings and keeps it.
    fx.newProcess();
    await impl.taskChannel.delete(id, outs);
    const kept = await fx.client.taskrouter.v1.workspaces(foreign).taskChannels(id).fetch();
    assert.deepEqual([kept.friendlyName, kept.channelOptimizedRouting], ["Their email", false]);
  });
});

describe("TaskChannelCapacity provider", () => {
  const fx = useProviders();

  it("sets the declared capacities, reads them back, puts dropped ones back to 1 and resets on delete", async () => {
    const ws = (await newWorkspace(fx)).sid;
    const worker = await fx.client.taskrouter.v1.workspaces(ws).workers.create({
      friendlyName: "Alice",
    });
    const channels = () =>
      fx.client.taskrouter.v1
        .workspaces(ws)
        .workers(worker.sid)
        .workerChannels.list()
        .then((l) =>
          Object.fromEntries(l.map((c) => [c.taskChannelUniqueName, c.configuredCapacity])),
        );
    const inputs = {
      workspaceSid: ws,
      workerSid: worker.sid,
      workerName: "Alice",
      capacities: { chat: 3, voice: 1 },
    };
    assert.deepEqual((await impl.taskChannelCapacity.check({}, inputs)).failures, []);
    const before = fx.requests().length;
    const { id, outs } = await impl.taskChannelCapacity.create(inputs);
    assert.equal(id, worker.sid);
    assert.deepEqual(await channels(), { default: 1, voice: 1, chat: 3, sms: 1, video: 1 });
    // voice already had capacity 1: only chat was written.
    assert.deepEqual(
      fx
        .requests()
        .slice(before)
        .filter((r) => r.startsWith("POST"))
        .map(short),
      [`POST /v1/Workspaces/WS…/Workers/WK…/Channels/WC… 200`],
    );
    await fx.client.taskrouter.v1
      .workspaces(ws)
      .workers(worker.sid)
      .workerChannels("chat")
      .update({ capacity: 2 });
    const read = await impl.taskChannelCapacity.read(id, outs);
    assert.deepEqual(read.inputs, { ...inputs, capacities: { chat: 2, voice: 1 } });
    const next = { ...inputs, capacities: { sms: 5 } };
    assert.deepEqual(await impl.taskChannelCapacity.diff(id, outs, next), { replaces: [] });
    await impl.taskChannelCapacity.update(id, outs, next);
    assert.deepEqual(await channels(), { default: 1, voice: 1, chat: 1, sms: 5, video: 1 });
    fx.newProcess(); // destroy, a later deployment
    await impl.taskChannelCapacity.delete(id, { ...outs, ...next });
    assert.deepEqual(await channels(), { default: 1, voice: 1, chat: 1, sms: 1, video: 1 });
  });

  it("fails clearly on a channel the workspace does not have, and on a bad capacity", async () => {
    const ws = (await newWorkspace(fx)).sid;
    const worker = await fx.client.taskrouter.v1.workspaces(ws).workers.create({
      friendlyName: "Bob",
    });
    const inputs = {
      workspaceSid: ws,
      workerSid: worker.sid,
      workerName: "Bob",
      capacities: { fax: 2 },
    };
    await assert.rejects(impl.taskChannelCapacity.create(inputs), (err: Error) => {
      assert.equal(
        err.message,
        'setting TaskRouter Worker "Bob" channel capacities: the workspace has no task channel "fax"',
      );
      return true;
    });
    const { failures } = await impl.taskChannelCapacity.check(
      {},
      { ...inputs, capacities: { chat: -1 } },
    );
    assert.deepEqual(failures, [
      { property: "capacities", reason: "chat: must be a whole number ≥ 0, got -1" },
    ]);
  });
});
