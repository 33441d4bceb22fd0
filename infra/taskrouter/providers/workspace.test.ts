import assert from "node:assert/strict";
import * as impl from "./impl";
import type { WorkspaceInputs, WorkspaceOutputs } from "./workspace";
import { abbreviate, deleteReadDelete, message, UNKNOWN, useProviders } from "./testing";

const declared: WorkspaceInputs = {
  friendlyName: "Contact Centre",
  eventCallbackUrl: "https://example.com/events",
  eventsFilter: ["task.created", "task.canceled"],
  multiTaskEnabled: false,
  prioritizeQueueOrder: "FIFO",
  template: "NONE",
};

/** Outputs with SIDs abbreviated, for exact comparison. */
const shape = (o: unknown) => JSON.parse(abbreviate(JSON.stringify(o)));

describe("Workspace provider", () => {
  const fx = useProviders();

  it("fills Twilio's defaults in check and reports each bad property as a failure", async () => {
    assert.deepEqual(await impl.workspace.check({}, { friendlyName: "CC" }), {
      inputs: {
        friendlyName: "CC",
        multiTaskEnabled: false,
        prioritizeQueueOrder: "FIFO",
        template: "NONE",
      },
      failures: [],
    });
    const bad = await impl.workspace.check(
      {},
      {
        friendlyName: "x".repeat(65),
        eventCallbackUrl: "ftp://example.com",
        eventsFilter: ["task.created", "Task-Created"],
        prioritizeQueueOrder: "RANDOM",
        template: "LIFO",
      },
    );
    assert.deepEqual(bad.failures, [
      {
        property: "friendlyName",
        reason: `must be a string of 1 to 64 characters, got "${"x".repeat(65)}"`,
      },
      {
        property: "eventCallbackUrl",
        reason: 'must be an absolute http(s) URL, got "ftp://example.com"',
      },
      { property: "prioritizeQueueOrder", reason: 'must be one of FIFO, LIFO, got "RANDOM"' },
      { property: "template", reason: 'must be one of NONE, FIFO, got "LIFO"' },
      {
        property: "eventsFilter",
        reason: '"Task-Created" is not an event type such as task.created',
      },
    ]);
  });

  it("accepts preview unknowns anywhere in check", async () => {
    const result = await impl.workspace.check(
      {},
      { friendlyName: UNKNOWN, eventCallbackUrl: UNKNOWN, eventsFilter: ["task.created", UNKNOWN] },
    );
    assert.deepEqual(result.failures, []);
  });

  it("creates a workspace with the declared settings and reports Twilio's fields", async () => {
    const { id, outs } = await impl.workspace.create(declared);
    assert.match(id, /^WS[0-9a-f]{32}$/);
    assert.equal(outs.sid, id);
    assert.deepEqual(shape(outs), {
      ...declared,
      sid: "WS…",
      adopted: false,
      accountSid: "AC…",
      defaultActivitySid: "WA…",
      defaultActivityName: "Offline",
      timeoutActivitySid: "WA…",
      timeoutActivityName: "Offline",
    });
    assert.deepEqual(fx.requests(), ["GET /v1/Workspaces 200", "POST /v1/Workspaces 201"]);
  });

  it("reads the live object, so a change made outside Pulumi shows as a diff", async () => {
    const { id, outs } = await impl.workspace.create(declared);
    await fx.client.taskrouter.v1.workspaces(id).update({ prioritizeQueueOrder: "LIFO" });
    const read = await impl.workspace.read(id, outs);
    assert.equal(read.id, id);
    const live = read.props as WorkspaceOutputs;
    assert.equal(live.prioritizeQueueOrder, "LIFO");
    assert.deepEqual(await impl.workspace.diff(id, live, declared), {
      replaces: [],
    });
  });

  it("updates every updatable field and returns what Twilio reports", async () => {
    const { id, outs } = await impl.workspace.create(declared);
    const news: WorkspaceInputs = {
      ...declared,
      friendlyName: "Contact Centre EU",
      eventCallbackUrl: undefined,
      eventsFilter: undefined,
      multiTaskEnabled: true,
      prioritizeQueueOrder: "LIFO",
    };
    const { outs: updated } = await impl.workspace.update(id, outs, news);
    assert.deepEqual(shape(updated), {
      friendlyName: "Contact Centre EU",
      multiTaskEnabled: true,
      prioritizeQueueOrder: "LIFO",
      template: "NONE",
      sid: "WS…",
      adopted: false,
      accountSid: "AC…",
      defaultActivitySid: "WA…",
      defaultActivityName: "Offline",
      timeoutActivitySid: "WA…",
      timeoutActivityName: "Offline",
    });
    const fetched = await fx.client.taskrouter.v1.workspaces(id).fetch();
    assert.equal(fetched.eventCallbackUrl, null);
    assert.equal(fetched.eventsFilter, null);
  });

  it("finds no change when only the form differs, and replaces on a new template", async () => {
    const { id, outs } = await impl.workspace.create({ ...declared, eventsFilter: undefined });
    assert.deepEqual(
      await impl.workspace.diff(
        id,
        { ...outs, eventCallbackUrl: declared.eventCallbackUrl },
        {
          ...declared,
          eventsFilter: [],
        },
      ),
      { changes: false, replaces: [] },
    );
    assert.deepEqual(
      await impl.workspace.diff(id, outs, {
        ...declared,
        eventsFilter: undefined,
        template: "FIFO",
      }),
      { replaces: ["template"], deleteBeforeReplace: true },
    );
    assert.deepEqual(
      await impl.workspace.diff(id, outs, {
        ...declared,
        eventsFilter: undefined,
        friendlyName: UNKNOWN,
      }),
      { replaces: [] },
    );
  });

  it("replaces on a new template by deleting first, since a replacement created first would adopt the old workspace", async () => {
    const old = await impl.workspace.create(declared);
    const replacement = { ...declared, template: "FIFO" as const };
    // Created first (the engine's default order), the replacement is the old workspace, reused.
    const first = await impl.workspace.create(replacement);
    assert.deepEqual([first.id, first.outs.reused], [old.id, true]);
    // The old one's delete then leaves it to the replacement, so the new template would never apply.
    await impl.workspace.delete(old.id, old.outs);
    assert.deepEqual(fx.logs.map(abbreviate), [
      'not deleting TaskRouter Workspace "Contact Centre" (WS…): another resource of this ' +
        "deployment adopted it (a renamed key)",
    ]);
    assert.deepEqual(
      (await fx.client.taskrouter.v1.workspaces.list()).map((w) => w.sid),
      [old.id],
    );
    // Hence delete-before-replace (the diff above): the engine deletes, then creates a new one.
    fx.newProcess();
    await impl.workspace.delete(old.id, old.outs);
    const created = await impl.workspace.create(replacement);
    assert.equal(created.outs.adopted, false);
    assert.notEqual(created.id, old.id);
    assert.deepEqual(
      (await fx.client.taskrouter.v1.workspaces.list()).map((w) => w.sid),
      [created.id],
    );
  });

  it("refuses a workspace of the same name the stack did not create, before any write, and adopts it only with adopt", async () => {
    const existing = await fx.client.taskrouter.v1.workspaces.create({
      friendlyName: "Contact Centre",
      multiTaskEnabled: false,
      prioritizeQueueOrder: "LIFO",
    });
    const refusal =
      'TaskRouter Workspace "Contact Centre" already exists (WS…) and this stack did not create ' +
      'it; nothing was changed. To manage it, add "adopt: { objects: [workspace] }" (or "adopt: ' +
      '{ objects: [all] }") to the stack file; otherwise give it another name in the stack file';
    const checked = await impl.workspace.check({}, { ...declared });
    assert.deepEqual(
      checked.failures.map((f) => [f.property, abbreviate(f.reason)]),
      [["friendlyName", refusal]],
    );
    await assert.rejects(impl.workspace.create(declared), message(refusal));
    assert.deepEqual(
      fx.requests().filter((r) => !r.startsWith("GET")),
      ["POST /v1/Workspaces 201"], // the test's own create above
    );
    fx.emu.records.length = 0;
    const adopting = await impl.workspace.check({}, { ...declared, adopt: "restore" });
    assert.equal(adopting.inputs.adopts, existing.sid);
    const { id, outs } = await impl.workspace.create(adopting.inputs);
    assert.equal(id, existing.sid);
    assert.equal(outs.adopted, true);
    assert.deepEqual(outs.previous, {
      friendlyName: "Contact Centre",
      eventCallbackUrl: "",
      eventsFilter: "",
      multiTaskEnabled: false,
      prioritizeQueueOrder: "LIFO",
    });
    assert.equal(outs.prioritizeQueueOrder, "FIFO");
    assert.equal(outs.eventCallbackUrl, "https://example.com/events");
    const all = await fx.client.taskrouter.v1.workspaces.list();
    assert.equal(all.length, 1);
    assert.deepEqual(fx.requests(), [
      "GET /v1/Workspaces 200",
      "GET /v1/Workspaces 200",
      "POST /v1/Workspaces/WS… 200",
      "GET /v1/Workspaces 200",
    ]);
    // Destroy (a later deployment) leaves it, back to its settings from before adoption.
    fx.newProcess();
    await impl.workspace.delete(id, outs);
    const after = await fx.client.taskrouter.v1.workspaces(id).fetch();
    assert.deepEqual([after.prioritizeQueueOrder, after.eventCallbackUrl], ["LIFO", null]);
  });

  it("refuses in check, before any write, to adopt a multitasking workspace declared single-tasking", async () => {
    // Workspace resource (https://www.twilio.com/docs/taskrouter/api/workspace), MultiTaskEnabled:
    // on create "The default is `true`"; on update "A multi-tasking Workspace can't be updated to
    // single-tasking unless it is not a Flex Project and another (legacy) single-tasking Workspace
    // exists" (the emulator always refuses).
    const existing = await fx.client.taskrouter.v1.workspaces.create({
      friendlyName: "Contact Centre",
    });
    assert.equal(existing.multiTaskEnabled, true);
    fx.emu.records.length = 0;
    const single = await impl.workspace.check({}, { ...declared, adopt: "restore" });
    assert.deepEqual(
      single.failures.map((f) => [f.property, abbreviate(f.reason)]),
      [
        [
          "multiTaskEnabled",
          'TaskRouter Workspace "Contact Centre" (WS…) is multitasking, which Twilio does not ' +
            'turn back to single-tasking; declare "workspace: { multitasking: true }" in the stack file to adopt it',
        ],
      ],
    );
    const multi = await impl.workspace.check(
      {},
      { ...declared, multiTaskEnabled: true, adopt: "restore" },
    );
    assert.deepEqual(multi.failures, []);
    assert.equal(multi.inputs.adopts, existing.sid);
    assert.deepEqual(fx.requests(), ["GET /v1/Workspaces 200", "GET /v1/Workspaces 200"]);
  });

  it("says what failed, on which workspace, with Twilio's message and code", async () => {
    await fx.client.taskrouter.v1.workspaces.create({
      friendlyName: "Contact Centre",
      multiTaskEnabled: true,
    });
    await assert.rejects(impl.workspace.create({ ...declared, adopt: "restore" }), {
      message:
        'adopting TaskRouter Workspace "Contact Centre": Invalid MultiTaskEnabled: a multi-tasking ' +
        "workspace cannot return to single-tasking [code 20001, status 400]",
    });
  });

  it("reads a deleted workspace as gone and treats deleting it again as success", async () => {
    const { id, outs } = await impl.workspace.create(declared);
    await deleteReadDelete(fx, impl.workspace, id, outs, "/v1/Workspaces/WS…");
  });
});
