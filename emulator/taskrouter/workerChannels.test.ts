// Worker channels in the routing engine: the events a capacity or availability change sends, and
// `channel_optimized_routing` choosing among the free workers. Virtual clock; the fixture checks
// every REST response against Twilio's OpenAPI.
import { strict as assert } from "node:assert";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { admin, raw, TEST_AUTH_TOKEN, useEmulator } from "../testing/fixture";
import {
  advance,
  buildCentre,
  startWebhookServer,
  type Centre,
  type CentreSpec,
  type WebhookServer,
} from "../testing/engineTestKit";

describe("worker channels in the routing engine (virtual clock)", () => {
  const fx = useEmulator({ clock: "virtual" });
  const tr = () => fx.client.taskrouter.v1;
  let hooks: WebhookServer;

  before(async () => {
    hooks = await startWebhookServer(() => ({ status: 204 }));
  });
  after(() => hooks.close());
  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    hooks.hits.length = 0;
  });

  const build = (spec: Partial<CentreSpec>): Promise<Centre> =>
    buildCentre(fx.client, {
      multiTask: true,
      queues: { Everyone: {} },
      workers: {},
      routing: { task_routing: { filters: [], default_filter: { queue: "Everyone" } } },
      ...spec,
    });
  const channel = (c: Centre, worker: string, name: string) =>
    tr().workspaces(c.ws).workers(c.worker[worker]!).workerChannels(name);
  const createTask = async (c: Centre, taskChannel: string) =>
    (
      await tr()
        .workspaces(c.ws)
        .tasks.create({ workflowSid: c.workflow, taskChannel, attributes: "{}" })
    ).sid;

  describe("worker.capacity.update and worker.channel.availability.update", () => {
    // Event reference, "Worker events": "worker.capacity.update | Worker Channel | A worker's
    // channel's configured capacity has been updated"; "worker.channel.availability.update | Worker
    // Channel | A worker's channel's availability has been updated"; "When an event comes in that
    // relates to a Worker's configured channel capacity or availability changing, the following
    // additional fields are passed in: WorkerChannelAvailable, WorkerChannelAvailableCapacity,
    // WorkerChannelPreviousCapacity, TaskChannelSid, TaskChannelUniqueName, WorkerChannelTaskCount"
    // (https://www.twilio.com/docs/taskrouter/api/event/reference).
    const channelFields = [
      "EventType",
      "ResourceType",
      "WorkerName",
      "WorkerChannelAvailable",
      "WorkerChannelAvailableCapacity",
      "WorkerChannelPreviousCapacity",
      "TaskChannelUniqueName",
      "WorkerChannelTaskCount",
    ];

    it("posts a signed capacity event, then an availability event, with the channel's fields", async () => {
      const c = await build({ eventCallbackUrl: `${hooks.url}/events`, workers: { Ann: {} } });
      const chat = (await tr().workspaces(c.ws).taskChannels.list()).find(
        (t) => t.uniqueName === "chat",
      )!;
      await channel(c, "Ann", "chat").update({ capacity: 3 });
      await createTask(c, "chat");
      await advance(fx.emu, 0);
      await channel(c, "Ann", "chat").update({ capacity: 2, available: false });
      await channel(c, "Ann", "chat").update({ capacity: 2, available: false }); // no change
      await channel(c, "Ann", "chat").update({ available: true });
      await advance(fx.emu, 0);
      const events = hooks
        .on("/events")
        .filter((e) => /^worker\.(capacity|channel)\./.test(e.params.EventType!));
      assert.deepEqual(
        events.map((e) => channelFields.map((f) => e.params[f] ?? null)),
        [
          ["worker.capacity.update", "Worker", "Ann", "true", "3", "1", "chat", "0"],
          ["worker.capacity.update", "Worker", "Ann", "false", "0", "3", "chat", "1"],
          ["worker.channel.availability.update", "Worker", "Ann", "false", "0", "3", "chat", "1"],
          ["worker.channel.availability.update", "Worker", "Ann", "true", "1", "2", "chat", "1"],
        ],
      );
      for (const e of events) {
        assert.equal(e.params.ResourceSid, c.worker.Ann);
        assert.equal(e.params.WorkerSid, c.worker.Ann);
        assert.equal(e.params.TaskChannelSid, chat.sid);
        assert.equal(validateRequest(TEST_AUTH_TOKEN, e.signature!, e.url, e.params), true);
      }
      assert.equal(
        events[0].params.EventDescription,
        "Worker Ann capacity on chat updated from 1 to 3",
      );
      assert.equal(events[2].params.EventDescription, "Worker Ann channel chat unavailable");
    });

    it("respects the EventsFilter and lists the events in GET /Events, filtered by WorkerSid and TaskChannel", async () => {
      const c = await build({
        eventCallbackUrl: `${hooks.url}/events`,
        eventsFilter: "worker.channel.availability.update",
        workers: { Ann: {}, Bob: {} },
      });
      await channel(c, "Ann", "voice").update({ capacity: 0 });
      await channel(c, "Bob", "sms").update({ available: false });
      await advance(fx.emu, 0);
      assert.deepEqual(
        hooks.on("/events").map((e) => [e.params.EventType, e.params.WorkerName]),
        [["worker.channel.availability.update", "Bob"]],
      );
      const list = async (query: string) => {
        const res = await raw(fx.emu, "GET", `/v1/Workspaces/${c.ws}/Events?${query}`);
        assert.equal(res.status, 200);
        const body = res.body as { events: Array<Record<string, unknown>> };
        return body.events.map((e) => [
          e.event_type,
          e.resource_sid,
          (e.event_data as Record<string, string>).task_channel_unique_name,
        ]);
      };
      assert.deepEqual(await list(`WorkerSid=${c.worker.Ann}&EventType=worker.capacity.update`), [
        ["worker.capacity.update", c.worker.Ann, "voice"],
      ]);
      assert.deepEqual(await list("TaskChannel=sms"), [
        ["worker.channel.availability.update", c.worker.Bob, "sms"],
      ]);
    });
  });

  it("counts a worker channel's assigned tasks and free capacity from the engine through a task's life", async () => {
    // Worker Channel resource: "assigned_tasks: The total number of Tasks assigned to Worker for the
    // TaskChannel type"; "available_capacity_percentage: The current percentage of capacity the
    // TaskChannel has available ... A value of 0 indicates that TaskChannel has no capacity available";
    // "configured_capacity: ... TaskRouter will not create any reservations after the assigned Tasks
    // for the Worker reaches the value" (https://www.twilio.com/docs/taskrouter/api/worker-channel).
    const c = await build({ workers: { Ann: {} } });
    const figures = async () => {
      const wc = await channel(c, "Ann", "chat").fetch();
      return [wc.configuredCapacity, wc.assignedTasks, wc.availableCapacityPercentage];
    };
    await channel(c, "Ann", "chat").update({ capacity: 3 });
    const [t1, t2] = [await createTask(c, "chat"), await createTask(c, "chat")];
    await advance(fx.emu, 0);
    assert.deepEqual(await figures(), [3, 2, 33]); // two pending reservations
    const reservation = async (task: string) =>
      (await tr().workspaces(c.ws).tasks(task).reservations.list())[0]!.sid;
    const answer = async (task: string, reservationStatus: "accepted" | "rejected") =>
      tr()
        .workspaces(c.ws)
        .tasks(task)
        .reservations(await reservation(task))
        .update({ reservationStatus });
    await answer(t1, "accepted");
    await answer(t2, "rejected");
    await advance(fx.emu, 0);
    assert.deepEqual(await figures(), [3, 1, 66]); // the rejected task is not offered to Ann again
    await channel(c, "Ann", "chat").update({ capacity: 4 });
    assert.deepEqual(await figures(), [4, 1, 75]);
    await tr().workspaces(c.ws).tasks(t1).update({ assignmentStatus: "wrapping" });
    assert.deepEqual(await figures(), [4, 1, 75]); // wrap-up still holds the capacity
    await tr().workspaces(c.ws).tasks(t1).update({ assignmentStatus: "completed", reason: "done" });
    assert.deepEqual(await figures(), [4, 0, 100]);
    await channel(c, "Ann", "chat").update({ capacity: 1 });
    const t3 = await createTask(c, "chat");
    await advance(fx.emu, 0);
    assert.deepEqual(await figures(), [1, 1, 0]);
    assert.equal((await tr().workspaces(c.ws).tasks(t3).fetch()).assignmentStatus, "reserved");
    const voice = await channel(c, "Ann", "voice").fetch();
    assert.deepEqual([voice.assignedTasks, voice.availableCapacityPercentage], [0, 100]);
  });

  describe("channel_optimized_routing", () => {
    // "ChannelOptimizedRouting: Whether the TaskChannel should prioritize Workers that have been idle.
    // If `true`, Workers that have been idle the longest are prioritized." (TaskChannel resource,
    // https://www.twilio.com/docs/taskrouter/api/task-channel). Without it the emulator keeps its
    // round robin: the worker reserved longest ago first (emulator/README.md).
    const reservedTo = async (c: Centre, task: string) => {
      const rs = await tr().workspaces(c.ws).tasks(task).reservations.list();
      assert.equal(rs.length, 1);
      return c.name(rs[0]!.workerSid);
    };
    const accept = async (c: Centre, task: string) => {
      const [r] = await tr().workspaces(c.ws).tasks(task).reservations.list();
      await tr()
        .workspaces(c.ws)
        .tasks(task)
        .reservations(r!.sid)
        .update({ reservationStatus: "accepted" });
    };
    const complete = (c: Centre, task: string) =>
      tr().workspaces(c.ws).tasks(task).update({ assignmentStatus: "completed", reason: "done" });
    const optimize = async (c: Centre, on: boolean) => {
      const chat = (await tr().workspaces(c.ws).taskChannels.list()).find(
        (t) => t.uniqueName === "chat",
      )!;
      const updated = await tr()
        .workspaces(c.ws)
        .taskChannels(chat.sid)
        .update({ channelOptimizedRouting: on });
      assert.equal(updated.channelOptimizedRouting, on);
    };

    /** Ann takes T1 at 0 s and keeps it; Bob takes T2 at 10 s and finishes it at 20 s. T1's SID. */
    async function annBusyBobDone(c: Centre): Promise<string> {
      const t1 = await createTask(c, "chat");
      await advance(fx.emu, 0);
      assert.equal(await reservedTo(c, t1), "Ann");
      await accept(c, t1);
      await advance(fx.emu, 10);
      const t2 = await createTask(c, "chat");
      await advance(fx.emu, 0);
      assert.equal(await reservedTo(c, t2), "Bob");
      await accept(c, t2);
      await advance(fx.emu, 10);
      await complete(c, t2);
      return t1;
    }
    const nextChatGoesTo = async (c: Centre) => {
      const task = await createTask(c, "chat");
      await advance(fx.emu, 0);
      return reservedTo(c, task);
    };

    /** Multitasking, chat capacity 2. At 30 s Ann was reserved longest ago, but only Bob is idle. */
    async function busyOrIdle(on: boolean) {
      const c = await build({ workers: { Ann: {}, Bob: {} } });
      await optimize(c, on);
      for (const w of ["Ann", "Bob"]) await channel(c, w, "chat").update({ capacity: 2 });
      await annBusyBobDone(c);
      await advance(fx.emu, 10);
      return nextChatGoesTo(c);
    }

    it("offers the next chat to the idle worker over one still busy on the channel", async () => {
      assert.equal(await busyOrIdle(true), "Bob");
    });

    it("without it, offers the chat round robin: the worker reserved longest ago, though busy", async () => {
      assert.equal(await busyOrIdle(false), "Ann");
    });

    /**
     * Single-tasking; Ann finishes T1 at 100 s. At 200 s both are idle: Ann was reserved longest ago,
     * Bob has been idle longest (since 20 s).
     */
    async function idleLongest(on: boolean) {
      const c = await build({ multiTask: false, workers: { Ann: {}, Bob: {} } });
      await optimize(c, on);
      const t1 = await annBusyBobDone(c);
      await advance(fx.emu, 80);
      await complete(c, t1);
      await advance(fx.emu, 100);
      return nextChatGoesTo(c);
    }

    it("offers the task to the worker idle longest, not the one reserved longest ago", async () => {
      assert.equal(await idleLongest(true), "Bob");
    });

    it("without it, offers the task to the worker reserved longest ago", async () => {
      assert.equal(await idleLongest(false), "Ann");
    });

    /**
     * Single-tasking: Bob takes T1 at 0 s and finishes it at 20 s; Ann, never reserved, comes back
     * from Offline to Available at 50 s. At 60 s Bob has been idle longest; round robin takes the
     * never-reserved Ann first.
     */
    async function backFromOffline(on: boolean) {
      const c = await build({
        multiTask: false,
        workers: { Ann: { activity: "Offline" }, Bob: {} },
      });
      await optimize(c, on);
      const t1 = await createTask(c, "chat");
      await advance(fx.emu, 0);
      assert.equal(await reservedTo(c, t1), "Bob");
      await accept(c, t1);
      await advance(fx.emu, 20);
      await complete(c, t1);
      await advance(fx.emu, 30);
      await tr()
        .workspaces(c.ws)
        .workers(c.worker.Ann!)
        .update({ activitySid: c.activity.Available });
      await advance(fx.emu, 10);
      return nextChatGoesTo(c);
    }

    it("counts idle time from a worker's return to an available activity", async () => {
      assert.equal(await backFromOffline(true), "Bob");
    });

    it("without it, offers the task to the never-reserved worker first", async () => {
      assert.equal(await backFromOffline(false), "Ann");
    });

    it("applies per task channel: a voice task keeps round robin while chat is optimized", async () => {
      const c = await build({ workers: { Ann: {}, Bob: {} } });
      await optimize(c, true);
      for (const w of ["Ann", "Bob"]) await channel(c, w, "chat").update({ capacity: 2 });
      const t1 = await createTask(c, "chat");
      await advance(fx.emu, 0);
      await accept(c, t1); // Ann holds a chat from 0 s
      await advance(fx.emu, 10);
      const t2 = await createTask(c, "voice");
      await advance(fx.emu, 0);
      assert.equal(await reservedTo(c, t2), "Bob");
      await accept(c, t2);
      await complete(c, t2); // Bob reserved at 10 s, idle again
      await advance(fx.emu, 10);
      const t3 = await createTask(c, "voice");
      await advance(fx.emu, 0);
      assert.equal(await reservedTo(c, t3), "Ann");
    });
  });
});
