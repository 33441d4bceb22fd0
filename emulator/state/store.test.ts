// The typed state API, called directly (no HTTP): exact records and exact errors for the rules of
// each resource. The quoted rules are Twilio's (https://www.twilio.com/docs/taskrouter/api).
import assert from "node:assert/strict";
import { Store, type TaskRec } from "./store";

const ACCOUNT = "AC" + "0".repeat(32);
const NUMBER = "+15555550100";
const T0 = "2030-01-01T00:00:00Z";

function fresh(): Store {
  const s = new Store({ accountSid: ACCOUNT, numbers: [NUMBER] });
  s.now = () => new Date(T0);
  return s;
}

function err(status: number, code: number, message: string) {
  return { status, code, message };
}

describe("typed state API", () => {
  describe("workspaces", () => {
    it("creates a workspace with Offline as default and timeout activity, and the seeded channels", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "Centre" });
      const acts = s.listOf(s.activities, ws.sid);
      assert.deepEqual(
        acts.map((a) => [a.friendlyName, a.available]),
        [
          ["Offline", false],
          ["Unavailable", false],
          ["Available", true],
        ],
      );
      assert.deepEqual(
        { ...ws, sid: "", defaultActivitySid: "", timeoutActivitySid: "" },
        {
          sid: "",
          friendlyName: "Centre",
          eventCallbackUrl: null,
          eventsFilter: null,
          multiTaskEnabled: true,
          prioritizeQueueOrder: "FIFO",
          defaultActivitySid: "",
          timeoutActivitySid: "",
          dateCreated: T0,
          dateUpdated: T0,
        },
      );
      assert.equal(ws.defaultActivitySid, acts[0].sid);
      assert.deepEqual(
        s.listOf(s.taskChannels, ws.sid).map((c) => c.uniqueName),
        ["default", "voice", "chat", "sms", "video"],
      );
    });

    it("adds a Sample Queue and a Default Fifo Workflow with the FIFO template", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "F", template: "FIFO" });
      const [q] = s.listOf(s.taskQueues, ws.sid);
      const [wf] = s.listOf(s.workflows, ws.sid);
      assert.equal(q.friendlyName, "Sample Queue");
      assert.equal(wf.friendlyName, "Default Fifo Workflow");
      assert.equal(
        wf.configuration,
        JSON.stringify({ task_routing: { filters: [], default_filter: { queue: q.sid } } }),
      );
    });

    it("refuses a second workspace whose name differs only in case", () => {
      const s = fresh();
      s.createWorkspace({ friendlyName: "Centre" });
      assert.throws(
        () => s.createWorkspace({ friendlyName: "CENTRE" }),
        err(400, 20001, "Workspace with FriendlyName 'CENTRE' already exists"),
      );
    });

    it("refuses to return a multi-tasking workspace to single-tasking", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "M" });
      assert.throws(
        () => s.updateWorkspace(ws.sid, { multiTaskEnabled: false }),
        err(
          400,
          20001,
          "Invalid MultiTaskEnabled: a multi-tasking workspace cannot return to single-tasking",
        ),
      );
    });

    it("deletes everything inside a workspace with it", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "D", template: "FIFO" });
      s.createWorker(ws.sid, { friendlyName: "w" });
      s.deleteWorkspace(ws.sid);
      assert.deepEqual(
        [s.workspaces.size, s.activities.size, s.workers.size, s.taskQueues.size, s.workflows.size],
        [0, 0, 0, 0, 0],
      );
    });
  });

  describe("activities", () => {
    it("creates an unavailable activity unless told otherwise, and refuses to delete the default one", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "A" });
      const a = s.createActivity(ws.sid, { friendlyName: "Wrap-Up" });
      assert.equal(a.available, false);
      assert.throws(
        () => s.deleteActivity(ws.sid, ws.defaultActivitySid),
        err(
          400,
          20001,
          `Cannot delete activity ${ws.defaultActivitySid}: it is the workspace's default activity`,
        ),
      );
    });

    it("refuses an empty new name", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "A" });
      assert.throws(
        () => s.updateActivity(ws.sid, ws.defaultActivitySid, { friendlyName: "" }),
        err(400, 20001, "Invalid FriendlyName: must not be empty"),
      );
    });
  });

  describe("workers", () => {
    it("creates a worker in the default activity with empty attributes", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "W" });
      const w = s.createWorker(ws.sid, { friendlyName: "Shyam" });
      assert.deepEqual(
        { ...w, sid: "" },
        {
          sid: "",
          workspaceSid: ws.sid,
          friendlyName: "Shyam",
          activitySid: ws.defaultActivitySid,
          attributes: "{}",
          dateCreated: T0,
          dateUpdated: T0,
          dateStatusChanged: T0,
          revision: 0,
        },
      );
    });

    it("refuses an activity of another workspace and a stale If-Match", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "W" });
      const other = s.createWorkspace({ friendlyName: "O" });
      assert.throws(
        () => s.createWorker(ws.sid, { friendlyName: "x", activitySid: other.defaultActivitySid }),
        err(
          400,
          20001,
          `Invalid ActivitySid: activity ${other.defaultActivitySid} not found in workspace ${ws.sid}`,
        ),
      );
      const w = s.createWorker(ws.sid, { friendlyName: "y" });
      s.updateWorker(ws.sid, w.sid, { attributes: '{"a":1}' });
      assert.throws(
        () => s.updateWorker(ws.sid, w.sid, { friendlyName: "z" }, '"0"'),
        err(412, 20412, 'Precondition failed: If-Match "0" does not match the current ETag "1"'),
      );
    });

    it("refuses RejectPendingReservations towards an available activity", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "W" });
      const available = s.listOf(s.activities, ws.sid).find((a) => a.available)!;
      const w = s.createWorker(ws.sid, { friendlyName: "y" });
      assert.throws(
        () =>
          s.updateWorker(ws.sid, w.sid, {
            activitySid: available.sid,
            rejectPendingReservations: true,
          }),
        err(
          400,
          20001,
          "RejectPendingReservations is valid only when the new activity is unavailable",
        ),
      );
    });

    it("holds typed callers to the 4096-character attributes limit", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "W" });
      const big = JSON.stringify({ x: "a".repeat(4096) });
      assert.throws(
        () => s.createWorker(ws.sid, { friendlyName: "big", attributes: big }),
        err(400, 20001, `Invalid Attributes: ${big.length} characters exceeds the limit of 4096`),
      );
    });
  });

  describe("task queues and workflows", () => {
    it("creates a queue with Twilio's defaults and accepts an empty TargetWorkers (a parking queue)", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "Q" });
      const q = s.createTaskQueue(ws.sid, { friendlyName: "Sales" });
      assert.deepEqual(
        [q.targetWorkers, q.maxReservedWorkers, q.taskOrder, q.reservationActivitySid],
        ["1==1", 1, "FIFO", null],
      );
      assert.equal(s.updateTaskQueue(ws.sid, q.sid, { targetWorkers: "" }).targetWorkers, "");
      assert.throws(
        () => s.updateTaskQueue(ws.sid, q.sid, { maxReservedWorkers: 51 }),
        err(400, 20001, "Invalid MaxReservedWorkers: 51 is outside 1..50"),
      );
    });

    it("refuses a workflow target queue of no workspace and a queue delete a workflow refers to", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "F" });
      const missing = "WQ" + "0".repeat(32);
      assert.throws(
        () =>
          s.createWorkflow(ws.sid, {
            friendlyName: "wf",
            configuration: JSON.stringify({
              task_routing: { filters: [], default_filter: { queue: missing } },
            }),
          }),
        err(
          400,
          20001,
          `Invalid Configuration: task_routing.default_filter.queue: task queue ${missing} not found in workspace ${ws.sid}`,
        ),
      );
      const q = s.createTaskQueue(ws.sid, { friendlyName: "Q" });
      const wf = s.createWorkflow(ws.sid, {
        friendlyName: "wf",
        configuration: JSON.stringify({ task_routing: { default_filter: { queue: q.sid } } }),
      });
      assert.equal(wf.taskReservationTimeout, 120);
      assert.throws(
        () => s.deleteTaskQueue(ws.sid, q.sid),
        err(400, 20001, `Cannot delete task queue ${q.sid}: workflow ${wf.sid} refers to it`),
      );
    });

    it("emits workflow.updated with reEvaluateTasks as given", () => {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "F", template: "FIFO" });
      const [wf] = s.listOf(s.workflows, ws.sid);
      const seen: boolean[] = [];
      s.events.on("workflow.updated", (e: { reEvaluateTasks: boolean }) =>
        seen.push(e.reEvaluateTasks),
      );
      s.updateWorkflow(ws.sid, wf.sid, { reEvaluateTasks: true });
      s.updateWorkflow(ws.sid, wf.sid, { taskReservationTimeout: 30 });
      assert.deepEqual(seen, [true, false]);
    });
  });

  describe("tasks and reservations", () => {
    function centre() {
      const s = fresh();
      const ws = s.createWorkspace({ friendlyName: "T", template: "FIFO" });
      const [q] = s.listOf(s.taskQueues, ws.sid);
      const [wf] = s.listOf(s.workflows, ws.sid);
      const w = s.createWorker(ws.sid, { friendlyName: "w" });
      return { s, ws: ws.sid, q, wf, w };
    }

    it("creates a task in the workflow's first queue with the documented defaults", () => {
      const { s, ws, q, wf } = centre();
      const t = s.createTask(ws, { attributes: '{"lang":"hi"}' });
      assert.deepEqual({ ...t, sid: "", taskChannelSid: "" }, {
        sid: "",
        workspaceSid: ws,
        workflowSid: wf.sid,
        taskQueueSid: q.sid,
        taskQueueEnteredDate: "2030-01-01T00:00:00.000Z", // task times keep milliseconds
        taskChannelSid: "",
        attributes: '{"lang":"hi"}',
        priority: 0,
        timeout: 86400,
        assignmentStatus: "pending",
        reason: null,
        virtualStartTime: "2030-01-01T00:00:00.000Z",
        routingTarget: null,
        ignoreCapacity: null,
        dateCreated: "2030-01-01T00:00:00.000Z",
        dateUpdated: T0,
        revision: 0,
      } satisfies TaskRec);
    });

    it("refuses a virtual start time in the future and a timeout out of range", () => {
      const { s, ws } = centre();
      assert.throws(
        () => s.createTask(ws, { virtualStartTime: new Date("2031-01-01T00:00:00Z") }),
        err(400, 20001, "Invalid VirtualStartTime: in the future"),
      );
      assert.throws(
        () => s.createTask(ws, { timeout: 0 }),
        err(400, 20001, "Invalid Timeout: 0 is outside 1..1209600"),
      );
    });

    it("cancels only a pending or reserved task, and only with a reason", () => {
      const { s, ws } = centre();
      const t = s.createTask(ws, {});
      assert.throws(
        () => s.updateTask(ws, t.sid, { assignmentStatus: "canceled" }),
        err(
          400,
          20001,
          "Missing required parameter Reason when setting AssignmentStatus to canceled",
        ),
      );
      assert.throws(
        () => s.updateTask(ws, t.sid, { assignmentStatus: "completed", reason: "x" }),
        err(
          400,
          20001,
          `Cannot complete task ${t.sid} in workspace ${ws} for account ${ACCOUNT} because it is not assigned or wrapping.`,
        ),
      );
      const done = s.updateTask(ws, t.sid, { assignmentStatus: "canceled", reason: "gone" });
      assert.deepEqual([done.assignmentStatus, done.reason], ["canceled", "gone"]);
    });

    it("accepting a reservation assigns the task and rescinds the other pending reservations", () => {
      const { s, ws, w } = centre();
      const w2 = s.createWorker(ws, { friendlyName: "w2" });
      const t = s.createTask(ws, {});
      const r1 = s.createReservation(ws, t.sid, w.sid);
      const r2 = s.createReservation(ws, t.sid, w2.sid);
      assert.equal(t.assignmentStatus, "reserved");
      s.updateReservation(ws, { taskSid: t.sid }, r1.sid, { reservationStatus: "accepted" });
      assert.deepEqual(
        [t.assignmentStatus, r1.reservationStatus, r2.reservationStatus],
        ["assigned", "accepted", "rescinded"],
      );
      assert.throws(
        () =>
          s.updateReservation(ws, { workerSid: w2.sid }, r2.sid, { reservationStatus: "accepted" }),
        err(400, 20001, `Cannot set reservation ${r2.sid} to accepted: it is rescinded`),
      );
    });

    it("hands a REST instruction to the installed handler, and refuses it without one", () => {
      const { s, ws, w } = centre();
      const t = s.createTask(ws, {});
      const r = s.createReservation(ws, t.sid, w.sid);
      const update = { instruction: { instruction: "dequeue", to: "+15555550199" } };
      assert.throws(
        () => s.updateReservation(ws, { taskSid: t.sid }, r.sid, update),
        err(400, 20001, "Instruction dequeue is not emulated yet (no call engine attached)"),
      );
      const seen: unknown[] = [];
      s.instructionHandler = (res, instruction) => seen.push([res.sid, instruction]);
      s.updateReservation(ws, { taskSid: t.sid }, r.sid, update);
      assert.deepEqual(seen, [[r.sid, { instruction: "dequeue", to: "+15555550199" }]]);
    });

    it("a reservation of another task is not found", () => {
      const { s, ws, w } = centre();
      const t1 = s.createTask(ws, {});
      const t2 = s.createTask(ws, {});
      const r = s.createReservation(ws, t1.sid, w.sid);
      assert.throws(
        () => s.reservation(ws, { taskSid: t2.sid }, r.sid),
        err(
          404,
          20404,
          `The requested resource /Workspaces/${ws}/Tasks/${t2.sid}/Reservations/${r.sid} was not found`,
        ),
      );
    });
  });

  describe("phone numbers", () => {
    it("sets the voice URL and clears it with null; an empty name resets it to the number", () => {
      const s = fresh();
      const [n] = [...s.phoneNumbers.values()];
      s.updatePhoneNumber(n.sid, { voiceUrl: "https://example.com/voice", friendlyName: "Main" });
      assert.deepEqual([n.voiceUrl, n.friendlyName], ["https://example.com/voice", "Main"]);
      s.updatePhoneNumber(n.sid, { voiceUrl: null, friendlyName: "" });
      assert.deepEqual([n.voiceUrl, n.friendlyName, n.voiceMethod], [null, NUMBER, "POST"]);
    });
  });
});
