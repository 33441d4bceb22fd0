// One owner per object (oneOwnerPerObject, impl/common.ts): a resource whose key was renamed, or that
// is replaced with `--replace`, hands its object to the new resource, which adopts it by name; the
// engine's later delete of the old resource must not remove it.
import assert from "node:assert/strict";
import * as impl from "./impl";
import type { TaskQueueInputs } from "./taskQueue";
import { abbreviate, newWorkspace, noteWorkspace, useProviders } from "./testing";

describe("One owner per object across the resources of a deployment", () => {
  const fx = useProviders();
  let ws: string;
  let declared: TaskQueueInputs;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    declared = {
      workspaceSid: ws,
      friendlyName: "Hindi",
      targetWorkers: 'languages HAS "hindi"',
      taskOrder: "FIFO",
      maxReservedWorkers: 1,
    };
  });
  const queueSids = async (workspaceSid = ws) =>
    (await fx.client.taskrouter.v1.workspaces(workspaceSid).taskQueues.list()).map((q) => q.sid);

  it("leaves a queue adopted by a renamed key's new resource in place when the old resource is deleted, with a log line", async () => {
    const old = await impl.taskQueue.create(declared); // `hindi:`, an earlier deployment
    fx.newProcess(); // the `up` after renaming the key to `hindi_speakers:`
    noteWorkspace(ws, true); // its workspace's diff: the stack created the workspace
    const renamed = await impl.taskQueue.create(declared);
    assert.deepEqual(
      [renamed.id, renamed.outs.adopted, renamed.outs.reused],
      [old.id, false, true],
    );
    await impl.taskQueue.delete(old.id, old.outs);
    assert.deepEqual(fx.logs.map(abbreviate), [
      'not deleting TaskRouter TaskQueue "Hindi" (WQ…): another resource of this deployment ' +
        "adopted it (a renamed key)",
    ]);
    assert.deepEqual(await queueSids(), [old.id]);
    assert.deepEqual(
      fx.requests().filter((r) => r.startsWith("DELETE")),
      [],
    );
  });

  it("leaves it in place too when the run that adopted it stopped before the delete: the next run's diff of the new resource claims it", async () => {
    const old = await impl.taskQueue.create(declared);
    const renamed = await impl.taskQueue.create(declared);
    fx.newProcess(); // the next `up`: nothing adopted in this process
    assert.deepEqual(await impl.taskQueue.diff(renamed.id, renamed.outs, declared), {
      changes: false,
      replaces: [],
    });
    await impl.taskQueue.delete(old.id, old.outs);
    assert.deepEqual(fx.logs.map(abbreviate), [
      'not deleting TaskRouter TaskQueue "Hindi" (WQ…): another resource of this deployment ' +
        "holds it (a renamed key or a replacement took it over)",
    ]);
    assert.deepEqual(await queueSids(), [old.id]);
  });

  it("still deletes the old queue of a replacement that made a new one (another workspace)", async () => {
    const old = await impl.taskQueue.create(declared);
    fx.newProcess();
    const other = (await newWorkspace(fx, "Other")).sid;
    const moved = { ...declared, workspaceSid: other };
    assert.deepEqual(await impl.taskQueue.diff(old.id, old.outs, moved), {
      replaces: ["workspaceSid"],
    });
    const replacement = await impl.taskQueue.create(moved);
    assert.equal(replacement.outs.adopted, false);
    await impl.taskQueue.delete(old.id, old.outs);
    assert.deepEqual(fx.logs, []);
    assert.deepEqual([await queueSids(), await queueSids(other)], [[], [replacement.id]]);
  });

  it("does not restore a phone number's previous voice URL when `--replace` handed the number to a new resource", async () => {
    const inputs = {
      phoneNumber: "+15555550100",
      voiceUrl: "https://api.example.com/incoming-call",
      voiceMethod: "POST" as const,
    };
    const old = await impl.phoneNumberVoiceUrl.create(inputs);
    fx.newProcess(); // `pulumi up --replace <urn>`: diff, create the replacement, delete the old
    assert.deepEqual(await impl.phoneNumberVoiceUrl.diff(old.id, old.outs, inputs), {
      changes: false,
      replaces: [],
    });
    const replacement = await impl.phoneNumberVoiceUrl.create(inputs);
    assert.equal(replacement.id, old.id);
    await impl.phoneNumberVoiceUrl.delete(old.id, old.outs);
    assert.deepEqual(fx.logs.map(abbreviate), [
      "not restoring phone number +15555550100 (PN…): another resource of this deployment holds " +
        "it (a renamed key or a replacement took it over)",
    ]);
    const number = await fx.client.api.v2010.account.incomingPhoneNumbers(old.id).fetch();
    assert.equal(number.voiceUrl, "https://api.example.com/incoming-call");
  });
});
