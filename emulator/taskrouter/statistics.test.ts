// The statistics module alone: a hand-written history in, Twilio's figures out, each worked out by
// hand in the comments. The endpoints over a real engine run are in wire/statistics.test.ts.
import { strict as assert } from "node:assert";
import type { ActivityRec, TaskRec, WorkerRec } from "../state/records";
import { EventHistory, HISTORY_RETENTION_MS } from "./events";
import { cumulative, durations, realTime, type HistoryEvent } from "./statistics";

const T0 = Date.parse("2030-01-01T08:00:00Z");
const s = (seconds: number) => T0 + seconds * 1000;
let seq = 0;
const ev = (
  seconds: number,
  type: string,
  data: Record<string, string>,
  resourceSid = data.TaskSid ?? data.WorkerSid ?? "",
): HistoryEvent => ({
  sid: `EV${String(++seq).padStart(32, "0")}`,
  at: s(seconds),
  workspaceSid: "WS1",
  type,
  resourceType: type.startsWith("worker.")
    ? "Worker"
    : type.startsWith("reservation.")
      ? "Reservation"
      : "Task",
  resourceSid,
  description: type,
  data,
});
const task = (sid: string, queue: string, extra: Record<string, string> = {}) => ({
  TaskSid: sid,
  TaskQueueSid: queue,
  WorkflowSid: "WW1",
  TaskChannelSid: "TCvoice",
  ...extra,
});

/**
 * Two queues, First escalating to Second after 30 s:
 *   A created 0 s in First, moved to Second at 30 s, accepted by Ann at 40 s (40 s; 10 s in Second)
 *   B created 5 s in First, accepted by Bob at 12 s (7 s)
 *   C created 10 s in First (chat), canceled by the caller at 20 s (10 s)
 *   D created before the history begins (TaskAge 100 at 50 s), canceled at 50 s in Second
 */
const day: HistoryEvent[] = [
  ev(0, "task.created", task("A", "First")),
  ev(0, "task-queue.entered", task("A", "First")),
  ev(5, "task.created", task("B", "First")),
  ev(5, "task-queue.entered", task("B", "First")),
  ev(
    5,
    "reservation.created",
    task("B", "First", { WorkerSid: "Bob", ReservationSid: "R1" }),
    "R1",
  ),
  ev(10, "task.created", task("C", "First", { TaskChannelSid: "TCchat" })),
  ev(10, "task-queue.entered", task("C", "First", { TaskChannelSid: "TCchat" })),
  ev(
    12,
    "reservation.accepted",
    task("B", "First", { WorkerSid: "Bob", ReservationSid: "R1" }),
    "R1",
  ),
  ev(
    20,
    "task.canceled",
    task("C", "First", { TaskChannelSid: "TCchat", TaskCanceledReason: "hung up" }),
  ),
  ev(30, "task-queue.moved", task("A", "Second")),
  ev(30, "task-queue.entered", task("A", "Second")),
  ev(
    30,
    "reservation.created",
    task("A", "Second", { WorkerSid: "Ann", ReservationSid: "R2" }),
    "R2",
  ),
  ev(
    40,
    "reservation.accepted",
    task("A", "Second", { WorkerSid: "Ann", ReservationSid: "R2" }),
    "R2",
  ),
  ev(50, "task.canceled", task("D", "Second", { TaskAge: "100", TaskCanceledReason: "TTL" })),
];
const all = { start: s(0), end: s(60) };

describe("statistics (pure)", () => {
  it("counts a queue's entered, moved-out, accepted and canceled tasks with waits from creation", () => {
    // "tasks_moved: The total number of Tasks that were moved from one queue to another"; a queue
    // counts the tasks that left it. "wait_duration_until_accepted: … based on the time when the
    // Tasks were created" (https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics).
    const first = cumulative(day, all, { taskQueueSid: "First" }, [10]);
    assert.deepEqual(
      [first.tasksEnteredQueue, first.tasksMoved, first.acceptedWaits, first.canceledWaits],
      [3, 1, [7000], [10000]],
    );
    assert.deepEqual(first.splitByWaitTime, {
      "10": {
        above: { tasks_canceled: 0, reservations_accepted: 0 },
        below: { tasks_canceled: 1, reservations_accepted: 1 }, // 10 s is within 10 s
      },
    });
    const second = cumulative(day, all, { taskQueueSid: "Second" });
    // A waited 40 s since creation, 10 s since entering Second; D's wait comes from its TaskAge.
    assert.deepEqual(
      [
        second.tasksEnteredQueue,
        second.tasksMoved,
        second.acceptedWaits,
        second.acceptedWaitsInQueue,
        second.canceledWaits,
        second.canceledByReason,
      ],
      [1, 0, [40000], [10000], [100000], { TTL: 1 }],
    );
  });

  it("narrows to a task channel and to an interval, counting events on its bounds", () => {
    const chat = cumulative(day, all, { taskChannelSid: "TCchat" });
    assert.deepEqual([chat.tasksCreated, chat.tasksCanceled, chat.acceptedWaits], [1, 1, []]);
    const middle = cumulative(day, { start: s(10), end: s(30) });
    // 10–30 s: C created, B accepted, C canceled, A moved out of First, R2 created
    assert.deepEqual(
      [
        middle.tasksCreated,
        middle.tasksMoved,
        middle.reservations.accepted,
        middle.reservations.created,
      ],
      [1, 1, 1, 1],
    );
    // B's wait still comes from its creation at 5 s, before the interval.
    assert.deepEqual(middle.acceptedWaits, [7000]);
  });

  it("gives avg, min, max and total in whole seconds, rounded", () => {
    assert.deepEqual(durations([7000, 40000]), { avg: 24, min: 7, max: 40, total: 47 });
    assert.deepEqual(durations([1499, 1500]), { avg: 1, min: 1, max: 2, total: 3 });
    assert.deepEqual(durations([]), { avg: 0, min: 0, max: 0, total: 0 });
  });

  it("adds up each worker's time per activity inside the interval, up to now for the current one", () => {
    // "activity_durations: The minimum, average, maximum, and total time (in seconds) that Workers
    // spent in each Activity" (https://www.twilio.com/docs/taskrouter/api/worker-statistics).
    const worker = (sid: string, activity: string, since: number) =>
      ({
        sid,
        activitySid: activity,
        dateStatusChanged: new Date(s(since)).toISOString(),
      }) as WorkerRec;
    const history = [
      ev(0, "worker.created", { WorkerSid: "Ann", WorkerActivitySid: "Idle" }),
      ev(20, "worker.activity.update", {
        WorkerSid: "Ann",
        WorkerActivitySid: "Busy",
        WorkerPreviousActivitySid: "Idle",
        WorkerTimeInPreviousActivity: "20",
        WorkerTimeInPreviousActivityMs: "20000",
      }),
      // Bob's creation is older than the history: his first update says how long he had been Idle.
      ev(30, "worker.activity.update", {
        WorkerSid: "Bob",
        WorkerActivitySid: "Offline",
        WorkerPreviousActivitySid: "Idle",
        WorkerTimeInPreviousActivity: "100",
        WorkerTimeInPreviousActivityMs: "100000",
      }),
    ];
    // Cara has no event at all: her current activity counts from her date_status_changed.
    const workers = [
      worker("Ann", "Busy", 20),
      worker("Bob", "Offline", 30),
      worker("Cara", "Idle", 45),
    ];
    const f = cumulative(history, { start: s(10), end: s(60) }, {}, [], workers);
    // Idle: Ann 10–20 (10 s), Bob 10–30 (20 s), Cara 45–60 (15 s); Busy: Ann 20–60; Offline: Bob 30–60.
    assert.deepEqual(f.activityTimes, {
      Idle: [10000, 20000, 15000],
      Busy: [40000],
      Offline: [30000],
    });
    const onlyBob = cumulative(
      history,
      { start: s(10), end: s(60) },
      { workerSids: new Set(["Bob"]) },
      [],
      workers,
    );
    assert.deepEqual(onlyBob.activityTimes, { Idle: [20000], Offline: [30000] });
  });

  it("reads the real-time state: live tasks by status and priority, the longest waiting, workers by activity", () => {
    const t = (sid: string, status: string, priority: number, start: number, entered: number) =>
      ({
        sid,
        assignmentStatus: status,
        priority,
        virtualStartTime: new Date(s(start)).toISOString(),
        taskQueueEnteredDate: new Date(s(entered)).toISOString(),
      }) as TaskRec;
    const tasks = [
      t("A", "assigned", 0, 0, 0), // older but not waiting
      t("B", "pending", 5, 10, 40), // the longest waiting: created at 10 s
      t("C", "reserved", 0, 20, 25), // the longest in the queue: entered at 25 s
      t("D", "completed", 0, 0, 0), // not live
    ];
    const activities = [
      { sid: "WA1", friendlyName: "Offline", available: false },
      { sid: "WA2", friendlyName: "Available", available: true },
    ] as ActivityRec[];
    const workers = [
      { activitySid: "WA2" },
      { activitySid: "WA2" },
      { activitySid: "WA1" },
    ] as WorkerRec[];
    assert.deepEqual(realTime(tasks, workers, activities, s(70)), {
      activityStatistics: [
        { sid: "WA1", friendly_name: "Offline", workers: 1 },
        { sid: "WA2", friendly_name: "Available", workers: 2 },
      ],
      totalWorkers: 3,
      availableWorkers: 2,
      tasksByStatus: { pending: 1, reserved: 1, assigned: 1, wrapping: 0 },
      tasksByPriority: { "0": 2, "5": 1 },
      totalTasks: 3,
      longestTaskWaiting: { sid: "B", age: 60 },
      longestInQueue: { sid: "C", age: 45 },
    });
  });

  it("keeps the history for 30 days and at most its limit of events, oldest dropped first", () => {
    // "it keeps that data for 30 days" (https://www.twilio.com/docs/taskrouter/api/event).
    const history = new EventHistory();
    const old = ev(0, "task.created", task("A", "First"));
    history.record(old);
    const later = { ...ev(0, "task.created", task("B", "First")), at: s(0) + HISTORY_RETENTION_MS };
    history.record(later);
    assert.deepEqual(history.events(), [old, later]); // exactly 30 days old: kept
    const past = { ...ev(0, "task.created", task("C", "First")), at: later.at + 1 };
    history.record(past);
    assert.deepEqual(history.events(), [later, past]);
    assert.equal(history.get(old.sid), undefined);
    history.limit = 1;
    const last = { ...ev(0, "task.created", task("D", "First")), at: past.at };
    history.record(last);
    assert.deepEqual([history.events(), history.get(later.sid)], [[last], undefined]);
  });
});
