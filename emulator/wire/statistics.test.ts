// Statistics and Events endpoints over a scripted day on the virtual clock, every figure computed by
// hand below; the fixture checks every response against Twilio's OpenAPI.
import { strict as assert } from "node:assert";
import { admin, openApi, raw, useEmulator } from "../testing/fixture";
import { advance, buildCentre, type Centre } from "../testing/engineTestKit";
import { VIRTUAL_EPOCH } from "../taskrouter/clock";

const at = (s: number) => new Date(VIRTUAL_EPOCH + s * 1000).toISOString().replace(".000", "");

describe("Statistics and Events (virtual clock)", () => {
  const fx = useEmulator({ clock: "virtual" });
  const tr = () => fx.client.taskrouter.v1;
  let c: Centre;
  const tasks: Record<string, string> = {};
  const get = async (path: string) => {
    const res = await raw(fx.emu, "GET", `/v1/Workspaces/${c.ws}${path}`);
    return res.body as Record<string, unknown>;
  };
  /** Sets the task's pending reservation to `status` (with the worker's new activity). */
  const answer = async (
    task: string,
    status: "accepted" | "rejected",
    workerActivitySid?: string,
  ) => {
    const list = await tr().workspaces(c.ws).tasks(tasks[task]!).reservations.list();
    const pending = list.find((r) => r.reservationStatus === "pending")!;
    await tr()
      .workspaces(c.ws)
      .tasks(tasks[task]!)
      .reservations(pending.sid)
      .update({ reservationStatus: status, workerActivitySid });
  };

  /**
   * The day (seconds after the start):
   *   0  T1 created, reserved to Ann          10  Ann accepts T1 (waited 10 s); T2 created, reserved to Bob
   *  50  Bob rejects T2 and goes Offline      60  T1 completed; T2 reserved to Ann
   *  65  Ann accepts T2 (waited 55 s)         70  T3 created, nobody free
   * 100  T3 canceled (waited 30 s)           120  the statistics are read
   */
  before(async () => {
    await admin(fx.emu, "POST", "/reset");
    c = await buildCentre(fx.client, {
      queues: { Sales: {} },
      workers: { Ann: {}, Bob: {} },
      routing: { task_routing: { filters: [], default_filter: { queue: "Sales" } } },
    });
    const create = async (name: string) => {
      tasks[name] = (
        await tr().workspaces(c.ws).tasks.create({ workflowSid: c.workflow, attributes: "{}" })
      ).sid;
      await advance(fx.emu, 0);
    };
    await create("T1");
    await advance(fx.emu, 10);
    await answer("T1", "accepted");
    await create("T2");
    await advance(fx.emu, 40);
    await answer("T2", "rejected", c.activity.Offline);
    await advance(fx.emu, 10);
    await tr()
      .workspaces(c.ws)
      .tasks(tasks.T1!)
      .update({ assignmentStatus: "completed", reason: "done" });
    await advance(fx.emu, 5);
    await answer("T2", "accepted");
    await advance(fx.emu, 5);
    await create("T3");
    await advance(fx.emu, 30);
    await tr()
      .workspaces(c.ws)
      .tasks(tasks.T3!)
      .update({ assignmentStatus: "canceled", reason: "hung up" });
    await advance(fx.emu, 20);
  });

  it("counts the workspace's tasks, reservations and waits as Twilio defines them", async () => {
    // "AvgTaskAcceptanceTime: The average time (in seconds) from Task creation to acceptance";
    // "SplitByWaitTime … splits of tasks that were canceled or accepted before or after 5 seconds"
    // (https://www.twilio.com/docs/taskrouter/api/workspace-statistics). T3's 30 s wait is exactly
    // the threshold: the emulator counts it as within (below).
    const body = await get("/CumulativeStatistics?SplitByWaitTime=30,60");
    assert.deepEqual(body, {
      account_sid: fx.emu.accountSid,
      avg_task_acceptance_time: 33, // (10 + 55) / 2 = 32.5, rounded
      start_time: at(120 - 15 * 60), // "If no parameters are passed, 15 minutes will be the default."
      end_time: at(120),
      reservations_created: 3,
      reservations_accepted: 2,
      reservations_rejected: 1,
      reservations_timed_out: 0,
      reservations_canceled: 0,
      reservations_rescinded: 0,
      split_by_wait_time: {
        "30": {
          above: { tasks_canceled: 0, reservations_accepted: 1 },
          below: { tasks_canceled: 1, reservations_accepted: 1 },
        },
        "60": {
          above: { tasks_canceled: 0, reservations_accepted: 0 },
          below: { tasks_canceled: 1, reservations_accepted: 2 },
        },
      },
      wait_duration_until_accepted: { avg: 33, min: 10, max: 55, total: 65 },
      wait_duration_until_canceled: { avg: 30, min: 30, max: 30, total: 30 },
      tasks_canceled: 1,
      tasks_completed: 1,
      tasks_deleted: 0,
      tasks_moved: 0,
      tasks_created: 3,
      tasks_timed_out_in_workflow: 0,
      workspace_sid: c.ws,
      url: `${fx.emu.url}/v1/Workspaces/${c.ws}/CumulativeStatistics`,
    });
  });

  it("limits cumulative statistics to the last Minutes or to StartDate..EndDate", async () => {
    // "Minutes: Only calculate statistics since this many minutes in the past."
    const lastMinute = await get("/CumulativeStatistics?Minutes=1");
    assert.deepEqual(
      [
        lastMinute.start_time,
        lastMinute.tasks_created,
        lastMinute.reservations_created,
        lastMinute.reservations_accepted,
        lastMinute.tasks_canceled,
      ],
      [at(60), 1, 1, 1, 1], // from 60 s: T3 created; T2's reservation to Ann, accepted; T3 canceled
    );
    const early = await get(`/CumulativeStatistics?StartDate=${at(0)}&EndDate=${at(30)}`);
    assert.deepEqual(
      [early.start_time, early.end_time, early.tasks_created, early.reservations_accepted],
      [at(0), at(30), 2, 1],
    );
  });

  it("shows the workspace's real-time state: live tasks and workers by activity", async () => {
    const body = await get("/RealTimeStatistics");
    assert.deepEqual(body, {
      account_sid: fx.emu.accountSid,
      activity_statistics: [
        { sid: c.activity.Offline, friendly_name: "Offline", workers: 1 },
        { sid: c.activity.Unavailable, friendly_name: "Unavailable", workers: 0 },
        { sid: c.activity.Available, friendly_name: "Available", workers: 1 },
      ],
      longest_task_waiting_age: 0,
      longest_task_waiting_sid: null,
      tasks_by_priority: { "0": 1 },
      tasks_by_status: { pending: 0, reserved: 0, assigned: 1, wrapping: 0 },
      total_tasks: 1,
      total_workers: 2,
      workspace_sid: c.ws,
      url: `${fx.emu.url}/v1/Workspaces/${c.ws}/RealTimeStatistics`,
    });
    const both = await get("/Statistics");
    assert.deepEqual(Object.keys(both), [
      "account_sid",
      "cumulative",
      "realtime",
      "workspace_sid",
      "url",
    ]);
  });

  it("gives a queue's entered tasks, waits in queue and eligible and available workers", async () => {
    // "wait_duration_in_queue_until_accepted: … Calculation is based on the time when the Tasks
    // entered the TaskQueue"; "total_eligible_workers: … independent of their Activity state"
    // (https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics).
    const q = c.queue.Sales!;
    const body = await get(`/TaskQueues/${q}/Statistics?SplitByWaitTime=30`);
    const cumulative = body.cumulative as Record<string, unknown>;
    const realtime = body.realtime as Record<string, unknown>;
    assert.deepEqual(
      [
        cumulative.tasks_entered,
        cumulative.wait_duration_in_queue_until_accepted,
        cumulative.split_by_wait_time,
      ],
      [
        3,
        { avg: 33, min: 10, max: 55, total: 65 },
        {
          "30": {
            above: { tasks_canceled: 0, reservations_accepted: 1 },
            below: { tasks_canceled: 1, reservations_accepted: 1 },
          },
        },
      ],
    );
    assert.deepEqual(
      [realtime.total_eligible_workers, realtime.total_available_workers, realtime.total_tasks],
      [2, 1, 1],
    );
    const list = await get("/TaskQueues/Statistics");
    const items = list.task_queues_statistics as Array<Record<string, unknown>>;
    assert.deepEqual(
      items.map((i) => i.task_queue_sid),
      [q],
    );
  });

  it("gives each worker's time per activity and reservations", async () => {
    // "activity_durations: The minimum, average, maximum, and total time (in seconds) that Workers
    // spent in each Activity." Ann: Available 0–120 s; Bob: Available 0–50 s, Offline 50–120 s.
    const body = await get("/Workers/CumulativeStatistics");
    assert.deepEqual(body.activity_durations, [
      { sid: c.activity.Offline, friendly_name: "Offline", avg: 70, min: 70, max: 70, total: 70 },
      {
        sid: c.activity.Unavailable,
        friendly_name: "Unavailable",
        avg: 0,
        min: 0,
        max: 0,
        total: 0,
      },
      {
        sid: c.activity.Available,
        friendly_name: "Available",
        avg: 85,
        min: 50,
        max: 120,
        total: 170,
      },
    ]);
    const bob = await get(`/Workers/${c.worker.Bob}/Statistics`);
    const cumulative = bob.cumulative as Record<string, unknown>;
    assert.deepEqual(
      [cumulative.reservations_created, cumulative.reservations_rejected, bob.worker_sid],
      [1, 1, c.worker.Bob],
    );
    const realtime = (await get("/Workers/RealTimeStatistics")).total_workers;
    assert.equal(realtime, 2);
  });

  it("counts the tasks that entered the workflow", async () => {
    const body = await get(`/Workflows/${c.workflow}/CumulativeStatistics`);
    assert.deepEqual(
      [body.tasks_entered, body.tasks_completed, body.tasks_canceled, body.workflow_sid],
      [3, 1, 1, c.workflow],
    );
  });

  it("refuses Minutes with StartDate, a bad SplitByWaitTime, an unknown TaskChannel or parameter", async () => {
    const problems = [];
    for (const query of [
      `Minutes=5&StartDate=${at(0)}`,
      "SplitByWaitTime=30,soon",
      "TaskChannel=fax",
      "Colour=red",
    ]) {
      const res = await raw(fx.emu, "GET", `/v1/Workspaces/${c.ws}/CumulativeStatistics?${query}`);
      problems.push([res.status, (res.body as { message: string }).message]);
    }
    assert.deepEqual(problems, [
      [400, "Minutes cannot be used in combination with StartDate and EndDate"],
      [400, 'Invalid SplitByWaitTime: "30,soon" is not a comma-separated list of seconds'],
      [400, 'Invalid TaskChannel: "fax" is not a TaskChannel of the workspace'],
      [400, "Unknown query parameter Colour"],
    ]);
  });

  it("lists the workspace's events with Twilio's filters and fetches one by SID", async () => {
    // "TaskRouter logs events for each state change in the Workspace … it keeps that data for 30
    // days" (https://www.twilio.com/docs/taskrouter/api/event).
    const list = await get(`/Events?TaskSid=${tasks.T3}`);
    const events = list.events as Array<Record<string, unknown>>;
    assert.deepEqual(
      events.map((e) => [e.event_type, e.event_date]),
      [
        ["task.created", at(70)],
        ["workflow.entered", at(70)],
        ["workflow.target-matched", at(70)],
        ["task-queue.entered", at(70)],
        ["task.canceled", at(100)],
      ],
    );
    const rejected = await get(`/Events?EventType=reservation.rejected`);
    const [event] = rejected.events as Array<Record<string, unknown>>;
    assert.equal((rejected.events as unknown[]).length, 1);
    const data = event!.event_data as Record<string, string>;
    assert.deepEqual(
      [event!.resource_type, data.worker_name, data.task_sid, event!.event_date_ms],
      ["reservation", "Bob", tasks.T2, VIRTUAL_EPOCH + 50_000],
    );
    const fetched = await tr()
      .workspaces(c.ws)
      .events(event!.sid as string)
      .fetch();
    assert.deepEqual(
      [fetched.eventType, fetched.resourceSid],
      ["reservation.rejected", event!.resource_sid],
    );
    const bob = await get(`/Events?WorkerSid=${c.worker.Bob}&EventType=worker.activity.update`);
    const update = (bob.events as Array<Record<string, unknown>>)[0]!;
    assert.deepEqual(update.event_data, {
      workspace_sid: c.ws,
      workspace_name: (await tr().workspaces(c.ws).fetch()).friendlyName,
      worker_sid: c.worker.Bob,
      worker_name: "Bob",
      worker_attributes: "{}",
      worker_activity_sid: c.activity.Offline,
      worker_activity_name: "Offline",
      worker_previous_activity_sid: c.activity.Available,
      worker_previous_activity_name: "Available",
      worker_time_in_previous_activity: "50",
      worker_time_in_previous_activity_ms: "50000",
    });
    const recent = await get("/Events?Minutes=1");
    assert.deepEqual(
      (recent.events as Array<Record<string, unknown>>).map((e) => e.event_type),
      [
        "reservation.completed", // T1 completed at 60 s: the interval includes its start
        "task.completed",
        "reservation.created",
        "reservation.accepted",
        "task.created",
        "workflow.entered",
        "workflow.target-matched",
        "task-queue.entered",
        "task.canceled",
      ],
    );
  });

  it("answers every Statistics operation with exactly the fields of Twilio's OpenAPI", async () => {
    const paths = [
      "/Statistics",
      "/RealTimeStatistics",
      "/CumulativeStatistics",
      "/TaskQueues/Statistics",
      `/TaskQueues/${c.queue.Sales}/Statistics`,
      `/TaskQueues/${c.queue.Sales}/RealTimeStatistics`,
      `/TaskQueues/${c.queue.Sales}/CumulativeStatistics`,
      "/Workers/Statistics?TaskQueueName=Sales",
      "/Workers/RealTimeStatistics?TaskChannel=default",
      "/Workers/CumulativeStatistics",
      `/Workers/${c.worker.Ann}/Statistics`,
      `/Workflows/${c.workflow}/Statistics?SplitByWaitTime=5`,
      `/Workflows/${c.workflow}/RealTimeStatistics`,
      `/Workflows/${c.workflow}/CumulativeStatistics`,
      `/Events?TaskQueueSid=${c.queue.Sales}`,
    ];
    const problems: string[] = [];
    for (const path of paths) {
      const res = await raw(fx.emu, "GET", `/v1/Workspaces/${c.ws}${path}`);
      const bare = `/v1/Workspaces/${c.ws}${path.split("?")[0]}`;
      problems.push(...openApi().check("GET", bare, res.status, res.body));
    }
    assert.deepEqual(problems, []);
  });

  it("filters events by reservation, queue, workflow, channel, SID and dates", async () => {
    const count = async (query: string) =>
      ((await get(`/Events?${query}`)).events as unknown[]).length;
    const rejected = (await get("/Events?EventType=reservation.rejected")).events as Array<
      Record<string, string>
    >;
    const reservation = rejected[0]!.resource_sid;
    assert.deepEqual(
      [
        await count(`ReservationSid=${reservation}`), // created, rejected
        // T1: created, workflow.entered, target-matched, queue entered, R1 created, accepted,
        // completed, task completed (8); T2: 4 + R2 created, rejected, R3 created, accepted (8);
        // T3: 4 + canceled (5): 21, and none of the workers' events.
        await count(`TaskQueueSid=${c.queue.Sales}`),
        await count(`WorkflowSid=${c.workflow}`),
        await count("TaskChannel=default"),
        await count("TaskChannel=voice"),
        await count(`Sid=${rejected[0]!.sid}`),
        // 50 s: R2 rejected, Bob's activity; 60 s: R1 completed, T1 completed, R3 created
        await count(`StartDate=${at(50)}&EndDate=${at(60)}`),
      ],
      [2, 21, 21, 21, 0, 1, 5],
    );
  });

  it("forgets the history on a reset", async () => {
    assert.ok(fx.emu.engine.history.events().length > 0);
    await admin(fx.emu, "POST", "/reset");
    assert.deepEqual(fx.emu.engine.history.events(), []);
  });
});
