import { strict as assert } from "node:assert";
import { admin, raw, useEmulator } from "../../testing/fixture";
import { advance } from "../../testing/engineTestKit";

// Every response here passes through the fixture's OpenAPI check (TaskChannel and WorkerChannel
// schemas of twilio_taskrouter_v1.json); a violation fails the suite's `after` hook.
describe("TaskChannels and Worker Channels", () => {
  const fx = useEmulator({ clock: "virtual" });
  const tr = () => fx.client.taskrouter.v1;
  beforeEach(() => admin(fx.emu, "POST", "/reset"));
  const post = (path: string, body: string) =>
    raw(fx.emu, "POST", path, { body, contentType: "application/x-www-form-urlencoded" });

  it("seeds a new workspace with Default, Voice, Chat, SMS and Video", async () => {
    // "In a multitasking-enabled workspace, all the tasks are assigned to one of the available Task
    // Channels (Voice, SMS, Chat, Video or Default)." (https://www.twilio.com/docs/taskrouter/multitasking)
    const ws = await tr().workspaces.create({ friendlyName: "Seeded" });
    const list = await tr().workspaces(ws.sid).taskChannels.list();
    assert.deepEqual(
      list.map((c) => [c.uniqueName, c.friendlyName, c.channelOptimizedRouting]),
      [
        ["default", "Default", false],
        ["voice", "Voice", false],
        ["chat", "Chat", false],
        ["sms", "SMS", false],
        ["video", "Video", false],
      ],
    );
  });

  it("creates, fetches, updates and deletes a custom channel; UniqueName is fixed and unique", async () => {
    const ws = (await tr().workspaces.create({ friendlyName: "Custom" })).sid;
    const channels = tr().workspaces(ws).taskChannels;
    const made = await channels.create({
      friendlyName: "Email",
      uniqueName: "email",
      channelOptimizedRouting: true,
    });
    assert.match(made.sid, /^TC[0-9a-f]{32}$/);
    assert.deepEqual(
      [made.uniqueName, made.friendlyName, made.channelOptimizedRouting],
      ["email", "Email", true],
    );
    const updated = await tr().workspaces(ws).taskChannels(made.sid).update({
      friendlyName: "Email inbox",
      channelOptimizedRouting: false,
    });
    assert.deepEqual(
      [updated.friendlyName, updated.channelOptimizedRouting],
      ["Email inbox", false],
    );
    assert.equal((await tr().workspaces(ws).taskChannels(made.sid).fetch()).uniqueName, "email");

    const dup = await post(
      `/v1/Workspaces/${ws}/TaskChannels`,
      "FriendlyName=Mail&UniqueName=email",
    );
    assert.equal(dup.status, 400);
    assert.equal(
      (dup.body as { message: string }).message,
      `TaskChannel with UniqueName 'email' already exists in workspace ${ws}`,
    );
    const rename = await post(`/v1/Workspaces/${ws}/TaskChannels/${made.sid}`, "UniqueName=mail");
    assert.equal(rename.status, 400);
    assert.equal(
      (rename.body as { message: string }).message,
      "UniqueName cannot be changed after the task channel is created",
    );
    // "Task Channel friendlyName and uniqueName values do not support hyphens."
    // (https://www.twilio.com/docs/taskrouter/api/task-channel)
    const hyphen = await post(
      `/v1/Workspaces/${ws}/TaskChannels`,
      "FriendlyName=Web&UniqueName=web-chat",
    );
    assert.equal(hyphen.status, 400);
    assert.equal(
      (hyphen.body as { message: string }).message,
      "Invalid UniqueName: hyphens are not supported",
    );

    assert.equal(await tr().workspaces(ws).taskChannels(made.sid).remove(), true);
    const gone = await raw(fx.emu, "GET", `/v1/Workspaces/${ws}/TaskChannels/${made.sid}`);
    assert.equal(gone.status, 404);
  });

  it("fetches, updates and deletes a channel by its unique name as by its SID", async () => {
    // Twilio's OpenAPI for /TaskChannels/{Sid} gives `fetchUniqueName` and `updateUniqueName`
    // examples, and its `Sid` parameter has no SID pattern: the unique name names the channel too.
    const ws = (await tr().workspaces.create({ friendlyName: "ByName" })).sid;
    const chat = await tr().workspaces(ws).taskChannels("chat").fetch();
    assert.match(chat.sid, /^TC[0-9a-f]{32}$/);
    assert.equal(chat.uniqueName, "chat");
    const updated = await tr()
      .workspaces(ws)
      .taskChannels("chat")
      .update({ channelOptimizedRouting: true });
    assert.deepEqual([updated.sid, updated.channelOptimizedRouting], [chat.sid, true]);
    assert.equal(
      (await tr().workspaces(ws).taskChannels(chat.sid).fetch()).channelOptimizedRouting,
      true,
    );
    assert.equal(await tr().workspaces(ws).taskChannels("chat").remove(), true);
    const gone = await raw(fx.emu, "GET", `/v1/Workspaces/${ws}/TaskChannels/${chat.sid}`);
    assert.equal(gone.status, 404);
    const unknown = await raw(fx.emu, "GET", `/v1/Workspaces/${ws}/TaskChannels/fax`);
    assert.equal(unknown.status, 404);
    assert.equal(
      (unknown.body as { message: string }).message,
      `The requested resource /Workspaces/${ws}/TaskChannels/fax was not found`,
    );
  });

  it("refuses to delete a channel a live task uses, and allows it once the task is finished", async () => {
    const ws = (await tr().workspaces.create({ friendlyName: "InUse" })).sid;
    const q = await tr()
      .workspaces(ws)
      .taskQueues.create({ friendlyName: "Q", targetWorkers: "1==1" });
    const chat = (await tr().workspaces(ws).taskChannels.list()).find(
      (c) => c.uniqueName === "chat",
    );
    assert.ok(chat);
    const task = await tr()
      .workspaces(ws)
      .tasks.create({ taskQueueSid: q.sid, taskChannel: "chat" } as never);
    const refused = await raw(fx.emu, "DELETE", `/v1/Workspaces/${ws}/TaskChannels/${chat.sid}`);
    assert.equal(refused.status, 400);
    assert.equal(
      (refused.body as { message: string }).message,
      `Cannot delete task channel ${chat.sid}: task ${task.sid} is pending on it`,
    );
    await tr()
      .workspaces(ws)
      .tasks(task.sid)
      .update({ assignmentStatus: "canceled", reason: "test" });
    assert.equal(await tr().workspaces(ws).taskChannels(chat.sid).remove(), true);
  });

  it("gives every worker one channel per task channel, capacity 1 and available", async () => {
    const ws = (await tr().workspaces.create({ friendlyName: "Workers" })).sid;
    const w = await tr().workspaces(ws).workers.create({ friendlyName: "Alice" });
    await tr().workspaces(ws).taskChannels.create({ friendlyName: "Email", uniqueName: "email" });
    const list = await tr().workspaces(ws).workers(w.sid).workerChannels.list();
    assert.deepEqual(
      list.map((c) => [
        c.taskChannelUniqueName,
        c.configuredCapacity,
        c.available,
        c.assignedTasks,
        c.availableCapacityPercentage,
      ]),
      [
        ["default", 1, true, 0, 100],
        ["voice", 1, true, 0, 100],
        ["chat", 1, true, 0, 100],
        ["sms", 1, true, 0, 100],
        ["video", 1, true, 0, 100],
        ["email", 1, true, 0, 100],
      ],
    );
    const chat = list[2];
    assert.match(chat.sid, /^WC[0-9a-f]{32}$/);
    const fetched = await tr().workspaces(ws).workers(w.sid).workerChannels(chat.sid).fetch();
    assert.equal(fetched.sid, chat.sid);
    // The channel can also be named by its task channel's unique name.
    const byName = await tr()
      .workspaces(ws)
      .workers(w.sid)
      .workerChannels("chat")
      .update({ capacity: 3 });
    assert.deepEqual(
      [byName.sid, byName.configuredCapacity, byName.available],
      [chat.sid, 3, true],
    );
    const off = await tr()
      .workspaces(ws)
      .workers(w.sid)
      .workerChannels(chat.sid)
      .update({ available: false });
    assert.deepEqual(
      [off.configuredCapacity, off.available, off.availableCapacityPercentage],
      [3, false, 0],
    );
    const bad = await post(
      `/v1/Workspaces/${ws}/Workers/${w.sid}/Channels/${chat.sid}`,
      "Capacity=-1",
    );
    assert.equal(bad.status, 400);
    assert.equal(
      (bad.body as { message: string }).message,
      "Invalid Capacity: -1 must be a whole number ≥ 0",
    );
    const missing = await raw(
      fx.emu,
      "GET",
      `/v1/Workspaces/${ws}/Workers/${w.sid}/Channels/WC${"0".repeat(32)}`,
    );
    assert.equal(missing.status, 404);
  });

  describe("routing in a multitasking workspace", () => {
    async function centre() {
      const ws = (await tr().workspaces.create({ friendlyName: "Multi", multiTaskEnabled: true }))
        .sid;
      const acts = await tr().workspaces(ws).activities.list();
      const available = acts.find((a) => a.friendlyName === "Available")!.sid;
      const q = await tr()
        .workspaces(ws)
        .taskQueues.create({ friendlyName: "Q", targetWorkers: "1==1" });
      const wf = await tr()
        .workspaces(ws)
        .workflows.create({
          friendlyName: "WF",
          configuration: JSON.stringify({
            task_routing: { filters: [], default_filter: { queue: q.sid } },
          }),
        });
      const w = await tr()
        .workspaces(ws)
        .workers.create({ friendlyName: "Alice", activitySid: available });
      const task = async (channel: string) =>
        (
          await tr()
            .workspaces(ws)
            .tasks.create({ workflowSid: wf.sid, taskChannel: channel, attributes: "{}" })
        ).sid;
      const reserved = async () => {
        await advance(fx.emu, 0.01);
        const rs = await tr()
          .workspaces(ws)
          .workers(w.sid)
          .reservations.list({ reservationStatus: "pending" });
        return rs.map((r) => r.taskSid).sort();
      };
      return { ws, w: w.sid, task, reserved };
    }

    it("reserves up to the chat capacity concurrently (3 chats + 1 voice)", async () => {
      // "you may want a worker to handle a maximum of 1 Voice call and up to 3 Chat requests"
      // (https://www.twilio.com/docs/taskrouter/multitasking); "Workers receive Task reservation
      // requests in parallel for each task type until the configured Task Channel capacity is
      // reached." (https://www.twilio.com/docs/taskrouter/api/worker-channel)
      const c = await centre();
      await tr().workspaces(c.ws).workers(c.w).workerChannels("chat").update({ capacity: 3 });
      const chats = [
        await c.task("chat"),
        await c.task("chat"),
        await c.task("chat"),
        await c.task("chat"),
      ];
      const voice = [await c.task("voice"), await c.task("voice")];
      assert.deepEqual(await c.reserved(), [...chats.slice(0, 3), voice[0]].sort());
      const chatChannel = await tr().workspaces(c.ws).workers(c.w).workerChannels("chat").fetch();
      assert.deepEqual(
        [chatChannel.assignedTasks, chatChannel.availableCapacityPercentage],
        [3, 0],
      );
    });

    it("reserves nothing on a channel marked unavailable, and resumes when it is available again", async () => {
      // "Set to `false` to prevent the Worker from receiving any new Tasks of this TaskChannel type."
      // (UpdateWorkerChannel `Available`, Twilio's TaskRouter OpenAPI)
      const c = await centre();
      await tr().workspaces(c.ws).workers(c.w).workerChannels("chat").update({ available: false });
      const chat = await c.task("chat");
      const sms = await c.task("sms");
      assert.deepEqual(await c.reserved(), [sms]);
      await tr().workspaces(c.ws).workers(c.w).workerChannels("chat").update({ available: true });
      assert.deepEqual(await c.reserved(), [chat, sms].sort());
    });

    it("reserves nothing on a channel with capacity 0", async () => {
      // "If the capacity is 0, no new reservations will be created." (UpdateWorkerChannel `Capacity`)
      const c = await centre();
      await tr().workspaces(c.ws).workers(c.w).workerChannels("voice").update({ capacity: 0 });
      await c.task("voice");
      assert.deepEqual(await c.reserved(), []);
    });
  });

  it("keeps one task at a time in a single-tasking workspace whatever the channel capacity", async () => {
    const ws = (await tr().workspaces.create({ friendlyName: "Single", multiTaskEnabled: false }))
      .sid;
    const available = (await tr().workspaces(ws).activities.list()).find((a) => a.available)!.sid;
    const q = await tr()
      .workspaces(ws)
      .taskQueues.create({ friendlyName: "Q", targetWorkers: "1==1" });
    const wf = await tr()
      .workspaces(ws)
      .workflows.create({
        friendlyName: "WF",
        configuration: JSON.stringify({
          task_routing: { filters: [], default_filter: { queue: q.sid } },
        }),
      });
    const w = await tr()
      .workspaces(ws)
      .workers.create({ friendlyName: "Bob", activitySid: available });
    await tr().workspaces(ws).workers(w.sid).workerChannels("chat").update({ capacity: 3 });
    for (let i = 0; i < 3; i++) {
      await tr()
        .workspaces(ws)
        .tasks.create({ workflowSid: wf.sid, taskChannel: "chat", attributes: "{}" });
    }
    await advance(fx.emu, 0.01);
    const rs = await tr().workspaces(ws).workers(w.sid).reservations.list();
    assert.equal(rs.length, 1);
  });

  it("keeps changed worker channels in the state file, and drops them with their task channel", async () => {
    const ws = (await tr().workspaces.create({ friendlyName: "Saved" })).sid;
    const w = await tr().workspaces(ws).workers.create({ friendlyName: "Carol" });
    const email = await tr()
      .workspaces(ws)
      .taskChannels.create({ friendlyName: "Email", uniqueName: "email" });
    await tr()
      .workspaces(ws)
      .workers(w.sid)
      .workerChannels("email")
      .update({ capacity: 4, available: false });
    const saved = JSON.parse(JSON.stringify(fx.emu.store.snapshot())) as ReturnType<
      typeof fx.emu.store.snapshot
    >;
    await admin(fx.emu, "POST", "/reset");
    fx.emu.store.load(saved);
    const back = await tr().workspaces(ws).workers(w.sid).workerChannels("email").fetch();
    assert.deepEqual([back.configuredCapacity, back.available], [4, false]);
    await tr().workspaces(ws).taskChannels(email.sid).remove();
    assert.equal(fx.emu.store.workerChannels.size, 0);
  });
});
