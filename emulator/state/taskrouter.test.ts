import assert from "node:assert/strict";
import { TEST_ACCOUNT_SID, useEmulator } from "../testing/fixture";

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);

describe("emulator TaskRouter REST API", () => {
  const fx = useEmulator();
  const tr = () => fx.client.taskrouter.v1;

  describe("workspaces", () => {
    it("creates a workspace with the three seeded activities, Offline as default and timeout activity", async () => {
      const ws = await tr().workspaces.create({ friendlyName: "Seeded" });
      assert.match(ws.sid, SID("WS"));
      assert.equal(ws.accountSid, TEST_ACCOUNT_SID);
      assert.equal(ws.defaultActivityName, "Offline");
      assert.equal(ws.timeoutActivityName, "Offline");
      assert.equal(ws.multiTaskEnabled, true);
      assert.equal(ws.prioritizeQueueOrder, "FIFO");
      assert.equal(ws.url, `${fx.emu.url}/v1/Workspaces/${ws.sid}`);
      const acts = await tr().workspaces(ws.sid).activities.list();
      assert.deepEqual(
        acts.map((a) => [a.friendlyName, a.available]),
        [
          ["Offline", false],
          ["Unavailable", false],
          ["Available", true],
        ],
      );
      assert.equal(acts[0].sid, ws.defaultActivitySid);
      assert.equal(
        await tr()
          .workspaces(ws.sid)
          .taskQueues.list()
          .then((l) => l.length),
        0,
      );
    });

    it("adds the sample queue and the default FIFO workflow with Template=FIFO", async () => {
      const ws = await tr().workspaces.create({ friendlyName: "Fifo", template: "FIFO" });
      const queues = await tr().workspaces(ws.sid).taskQueues.list();
      assert.deepEqual(
        queues.map((q) => [q.friendlyName, q.targetWorkers]),
        [["Sample Queue", "1==1"]],
      );
      const wfs = await tr().workspaces(ws.sid).workflows.list();
      assert.equal(wfs.length, 1);
      assert.equal(wfs[0].friendlyName, "Default Fifo Workflow");
      assert.equal(wfs[0].taskReservationTimeout, 120);
      assert.deepEqual(JSON.parse(wfs[0].configuration), {
        task_routing: { filters: [], default_filter: { queue: queues[0].sid } },
      });
    });

    it("fetches, updates, filters by FriendlyName and deletes a workspace", async () => {
      const ws = await tr().workspaces.create({
        friendlyName: "Crud",
        eventCallbackUrl: "https://example.com/ev",
      });
      const acts = await tr().workspaces(ws.sid).activities.list({ friendlyName: "Available" });
      const updated = await tr().workspaces(ws.sid).update({
        friendlyName: "Crud2",
        timeoutActivitySid: acts[0].sid,
        prioritizeQueueOrder: "LIFO",
      });
      assert.equal(updated.friendlyName, "Crud2");
      assert.equal(updated.timeoutActivityName, "Available");
      assert.equal(updated.prioritizeQueueOrder, "LIFO");
      assert.equal(updated.eventCallbackUrl, "https://example.com/ev");
      const fetched = await tr().workspaces(ws.sid).fetch();
      assert.equal(fetched.friendlyName, "Crud2");
      const found = await tr().workspaces.list({ friendlyName: "crud2" });
      assert.deepEqual(
        found.map((w) => w.sid),
        [ws.sid],
      );
      assert.equal(await tr().workspaces(ws.sid).remove(), true);
      await assert.rejects(tr().workspaces(ws.sid).fetch(), {
        status: 404,
        code: 20404,
        message: `The requested resource /Workspaces/${ws.sid} was not found`,
      });
    });
  });

  describe("activities, workers, queues and workflows", () => {
    let ws: string;
    before(async () => {
      ws = (await tr().workspaces.create({ friendlyName: "People" })).sid;
    });

    it("creates, updates, filters and deletes activities", async () => {
      const a = await tr()
        .workspaces(ws)
        .activities.create({ friendlyName: "Break", available: false });
      assert.match(a.sid, SID("WA"));
      assert.equal(
        (await tr().workspaces(ws).activities(a.sid).update({ friendlyName: "Lunch" }))
          .friendlyName,
        "Lunch",
      );
      const avail = await tr().workspaces(ws).activities.list({ available: "true" });
      assert.deepEqual(
        avail.map((x) => x.friendlyName),
        ["Available"],
      );
      const byName = await tr().workspaces(ws).activities.list({ friendlyName: "Lunch" });
      assert.deepEqual(
        byName.map((x) => x.sid),
        [a.sid],
      );
      assert.equal(await tr().workspaces(ws).activities(a.sid).remove(), true);
      assert.equal((await tr().workspaces(ws).activities.list()).length, 3);
    });

    it("creates workers with derived activity fields and hides attributes in lists", async () => {
      const acts = await tr().workspaces(ws).activities.list({ friendlyName: "Available" });
      const w = await tr()
        .workspaces(ws)
        .workers.create({
          friendlyName: "alice",
          activitySid: acts[0].sid,
          attributes: JSON.stringify({ skills: ["sales"], level: 3 }),
        });
      assert.match(w.sid, SID("WK"));
      assert.equal(w.activityName, "Available");
      assert.equal(w.available, true);
      assert.equal(w.attributes, '{"skills":["sales"],"level":3}');
      const listed = await tr().workspaces(ws).workers.list({ friendlyName: "alice" });
      assert.equal(listed.length, 1);
      assert.equal(listed[0].attributes, null);
      const fetched = await tr().workspaces(ws).workers(w.sid).fetch();
      assert.equal(fetched.attributes, '{"skills":["sales"],"level":3}');
      const off = await tr()
        .workspaces(ws)
        .workers(w.sid)
        .update({ activitySid: (await tr().workspaces(ws).fetch()).defaultActivitySid });
      assert.equal(off.activityName, "Offline");
      assert.equal(off.available, false);
      assert.equal(await tr().workspaces(ws).workers(w.sid).remove(), true);
    });

    it("gives new workers the workspace default activity", async () => {
      const w = await tr().workspaces(ws).workers.create({ friendlyName: "defaulted" });
      assert.equal(w.activityName, "Offline");
      assert.equal(w.attributes, "{}");
    });

    it("filters workers by ActivityName, ActivitySid, Available, TargetWorkersExpression and TaskQueueSid", async () => {
      const avail = (await tr().workspaces(ws).activities.list({ friendlyName: "Available" }))[0];
      const mk = (friendlyName: string, attrs: object, activitySid?: string) =>
        tr()
          .workspaces(ws)
          .workers.create({ friendlyName, attributes: JSON.stringify(attrs), activitySid });
      const en = await mk("f-en", { languages: ["en"], tier: "gold" }, avail.sid);
      const es = await mk("f-es", { languages: ["es"], tier: "silver" });
      const names = (l: Array<{ friendlyName: string }>) =>
        l.map((x) => x.friendlyName).filter((n) => n.startsWith("f-"));
      assert.deepEqual(
        names(await tr().workspaces(ws).workers.list({ activityName: "Available" })),
        ["f-en"],
      );
      assert.deepEqual(names(await tr().workspaces(ws).workers.list({ activitySid: avail.sid })), [
        "f-en",
      ]);
      assert.deepEqual(names(await tr().workspaces(ws).workers.list({ available: "false" })), [
        "f-es",
      ]);
      assert.deepEqual(
        names(
          await tr().workspaces(ws).workers.list({ targetWorkersExpression: "languages HAS 'es'" }),
        ),
        ["f-es"],
      );
      assert.deepEqual(
        names(
          await tr()
            .workspaces(ws)
            .workers.list({ targetWorkersExpression: `sid == '${en.sid}'` }),
        ),
        ["f-en"],
      );
      const q = await tr()
        .workspaces(ws)
        .taskQueues.create({ friendlyName: "gold", targetWorkers: "tier == 'gold'" });
      assert.deepEqual(names(await tr().workspaces(ws).workers.list({ taskQueueSid: q.sid })), [
        "f-en",
      ]);
      await tr().workspaces(ws).taskQueues(q.sid).remove();
      await tr().workspaces(ws).workers(es.sid).remove();
      await tr().workspaces(ws).workers(en.sid).remove();
    });

    it("creates, updates, filters and deletes task queues", async () => {
      const acts = await tr().workspaces(ws).activities.list();
      const q = await tr().workspaces(ws).taskQueues.create({
        friendlyName: "Support",
        targetWorkers: "skills HAS 'support'",
        maxReservedWorkers: 3,
        taskOrder: "LIFO",
        reservationActivitySid: acts[1].sid,
        assignmentActivitySid: acts[1].sid,
      });
      assert.match(q.sid, SID("WQ"));
      assert.equal(q.reservationActivityName, "Unavailable");
      assert.equal(q.maxReservedWorkers, 3);
      assert.equal(q.taskOrder, "LIFO");
      const u = await tr()
        .workspaces(ws)
        .taskQueues(q.sid)
        .update({ targetWorkers: "1==1", taskOrder: "FIFO" });
      assert.equal(u.targetWorkers, "1==1");
      assert.equal(u.taskOrder, "FIFO");
      const plain = await tr().workspaces(ws).taskQueues.create({ friendlyName: "Plain" });
      assert.equal(plain.targetWorkers, "1==1");
      assert.equal(plain.maxReservedWorkers, 1);
      assert.equal(plain.reservationActivitySid, null);
      await tr()
        .workspaces(ws)
        .taskQueues(plain.sid)
        .update({ targetWorkers: "skills HAS 'billing'" });
      const eligible = await tr()
        .workspaces(ws)
        .taskQueues.list({ evaluateWorkerAttributes: JSON.stringify({ skills: ["billing"] }) });
      assert.deepEqual(
        eligible.map((x) => x.friendlyName),
        ["Support", "Plain"],
      );
      const none = await tr()
        .workspaces(ws)
        .taskQueues.list({
          evaluateWorkerAttributes: JSON.stringify({ skills: [] }),
          friendlyName: "Plain",
        });
      assert.deepEqual(none, []);
      const w = await tr()
        .workspaces(ws)
        .workers.create({
          friendlyName: "biller",
          attributes: JSON.stringify({ skills: ["billing"] }),
        });
      const forWorker = await tr()
        .workspaces(ws)
        .taskQueues.list({ workerSid: w.sid, friendlyName: "Plain" });
      assert.deepEqual(
        forWorker.map((x) => x.sid),
        [plain.sid],
      );
      await tr().workspaces(ws).workers(w.sid).remove();
      assert.equal(await tr().workspaces(ws).taskQueues(plain.sid).remove(), true);
      assert.equal(await tr().workspaces(ws).taskQueues(q.sid).remove(), true);
    });

    it("creates, updates, filters and deletes workflows, storing the configuration verbatim", async () => {
      const q = await tr().workspaces(ws).taskQueues.create({ friendlyName: "WfQueue" });
      const config = `{"task_routing": {"filters": [{"filter_friendly_name": "vip", "expression": "vip == true", "targets": [{"queue": "${q.sid}", "priority": "10", "timeout": 30}, {"expression": "task.lang IN worker.languages"}]}], "default_filter": {"queue": "${q.sid}"}}}`;
      const wf = await tr().workspaces(ws).workflows.create({
        friendlyName: "Main",
        configuration: config,
        assignmentCallbackUrl: "https://example.com/assign",
        taskReservationTimeout: 30,
      });
      assert.match(wf.sid, SID("WW"));
      assert.equal(wf.configuration, config);
      assert.equal(wf.documentContentType, "application/json");
      assert.equal(wf.assignmentCallbackUrl, "https://example.com/assign");
      assert.equal(wf.fallbackAssignmentCallbackUrl, null);
      assert.equal(wf.taskReservationTimeout, 30);
      const u = await tr()
        .workspaces(ws)
        .workflows(wf.sid)
        .update({ friendlyName: "Main2", reEvaluateTasks: "true" });
      assert.equal(u.friendlyName, "Main2");
      const listed = await tr().workspaces(ws).workflows.list({ friendlyName: "Main2" });
      assert.deepEqual(
        listed.map((x) => x.sid),
        [wf.sid],
      );
      assert.equal(await tr().workspaces(ws).workflows(wf.sid).remove(), true);
      assert.equal(await tr().workspaces(ws).taskQueues(q.sid).remove(), true);
    });
  });

  describe("tasks and reservations", () => {
    let ws: string;
    let sales: string;
    let other: string;
    let wf: string;
    let worker: string;
    let worker2: string;
    before(async () => {
      ws = (await tr().workspaces.create({ friendlyName: "Tasks" })).sid;
      sales = (await tr().workspaces(ws).taskQueues.create({ friendlyName: "Sales" })).sid;
      other = (await tr().workspaces(ws).taskQueues.create({ friendlyName: "Other" })).sid;
      wf = (
        await tr()
          .workspaces(ws)
          .workflows.create({
            friendlyName: "Router",
            configuration: JSON.stringify({
              task_routing: {
                filters: [{ expression: "type == 'sales'", targets: [{ queue: sales }] }],
                default_filter: { queue: other },
              },
            }),
          })
      ).sid;
      worker = (await tr().workspaces(ws).workers.create({ friendlyName: "agent" })).sid;
      worker2 = (await tr().workspaces(ws).workers.create({ friendlyName: "agent2" })).sid;
    });

    it("creates a pending task in the queue of the first matching workflow filter", async () => {
      const t = await tr()
        .workspaces(ws)
        .tasks.create({ attributes: JSON.stringify({ type: "sales" }), priority: 5, timeout: 600 });
      assert.match(t.sid, SID("WT"));
      assert.equal(t.assignmentStatus, "pending");
      assert.equal(t.workflowSid, wf);
      assert.equal(t.workflowFriendlyName, "Router");
      assert.equal(t.taskQueueSid, sales);
      assert.equal(t.taskQueueFriendlyName, "Sales");
      assert.equal(t.taskChannelUniqueName, "default");
      assert.equal(t.priority, 5);
      assert.equal(t.timeout, 600);
      assert.equal(t.attributes, '{"type":"sales"}');
      const d = await tr().workspaces(ws).tasks.create({ workflowSid: wf, taskChannel: "voice" });
      assert.equal(d.taskQueueSid, other);
      assert.equal(d.timeout, 86400);
      assert.equal(d.taskChannelUniqueName, "voice");
      const listed = await tr().workspaces(ws).tasks.list({ taskQueueSid: other });
      assert.deepEqual(
        listed.map((x) => [x.sid, x.attributes]),
        [[d.sid, null]],
      );
      await tr().workspaces(ws).tasks(d.sid).remove();
    });

    it("filters tasks by AssignmentStatus, WorkflowSid and TaskQueueSid", async () => {
      const a = await tr()
        .workspaces(ws)
        .tasks.create({ attributes: JSON.stringify({ type: "filter" }) });
      await tr()
        .workspaces(ws)
        .tasks(a.sid)
        .update({ assignmentStatus: "canceled", reason: "test" });
      const canceled = await tr()
        .workspaces(ws)
        .tasks.list({ assignmentStatus: ["canceled"] });
      assert.deepEqual(
        canceled.map((x) => x.sid),
        [a.sid],
      );
      const byWf = await tr().workspaces(ws).tasks.list({ workflowSid: wf, taskQueueSid: other });
      assert.deepEqual(
        byWf.map((x) => x.sid),
        [a.sid],
      );
      // Exact: the filtered list is what filtering the whole list by hand gives, and not empty.
      const b = await tr()
        .workspaces(ws)
        .tasks.create({ attributes: JSON.stringify({ type: "sales" }) });
      const pendingSales = await tr()
        .workspaces(ws)
        .tasks.list({ assignmentStatus: ["pending"], taskQueueSid: sales });
      const expected = (await tr().workspaces(ws).tasks.list())
        .filter((x) => x.assignmentStatus === "pending" && x.taskQueueSid === sales)
        .map((x) => x.sid);
      assert.ok(expected.includes(b.sid));
      assert.deepEqual(
        pendingSales.map((x) => x.sid),
        expected,
      );
      await tr().workspaces(ws).tasks(b.sid).update({ assignmentStatus: "canceled", reason: "x" });
      const byExpr = await tr()
        .workspaces(ws)
        .tasks.list({ evaluateTaskAttributes: "type == 'filter'" });
      assert.deepEqual(
        byExpr.map((x) => x.sid),
        [a.sid],
      );
    });

    it("filters tasks by Priority, WorkflowName, TaskQueueName and RoutingTarget, and orders them by Priority", async () => {
      const mk = (priority: number, extra: Record<string, string> = {}) =>
        tr()
          .workspaces(ws)
          .tasks.create({
            attributes: JSON.stringify({ type: "sales", batch: "f2" }),
            priority,
            ...extra,
          });
      const low = await mk(3);
      const high = await mk(9);
      const direct = await mk(9, { routingTarget: other });
      const batch = { evaluateTaskAttributes: "batch == 'f2'" };
      const sids = (l: Array<{ sid: string }>) => l.map((x) => x.sid);
      assert.deepEqual(
        sids(
          await tr()
            .workspaces(ws)
            .tasks.list({ ...batch, priority: 9 }),
        ),
        [high.sid, direct.sid],
      );
      assert.deepEqual(
        sids(
          await tr()
            .workspaces(ws)
            .tasks.list({ ...batch, workflowName: "Router" }),
        ),
        [low.sid, high.sid],
      );
      assert.deepEqual(
        sids(
          await tr()
            .workspaces(ws)
            .tasks.list({ ...batch, taskQueueName: "Sales" }),
        ),
        [low.sid, high.sid],
      );
      assert.deepEqual(
        sids(
          await tr()
            .workspaces(ws)
            .tasks.list({ ...batch, routingTarget: other }),
        ),
        [direct.sid],
      );
      assert.deepEqual(
        sids(
          await tr()
            .workspaces(ws)
            .tasks.list({ ...batch, ordering: "Priority:desc" }),
        ),
        [high.sid, direct.sid, low.sid],
      );
      assert.deepEqual(
        await tr()
          .workspaces(ws)
          .tasks.list({ ...batch, hasAddons: true }),
        [],
      );
      for (const t of [low, high, direct]) {
        await tr()
          .workspaces(ws)
          .tasks(t.sid)
          .update({ assignmentStatus: "canceled", reason: "x" });
      }
    });

    it("updates task attributes and priority and cancels a pending task with a reason", async () => {
      const t = await tr().workspaces(ws).tasks.create({ attributes: "{}" });
      const u = await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .update({ attributes: '{"x":1}', priority: 7 });
      assert.equal(u.attributes, '{"x":1}');
      assert.equal(u.priority, 7);
      const c = await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .update({ assignmentStatus: "canceled", reason: "caller hung up" });
      assert.equal(c.assignmentStatus, "canceled");
      assert.equal(c.reason, "caller hung up");
    });

    it("accepts a reservation, rescinds the others, and completes the task", async () => {
      const t = await tr()
        .workspaces(ws)
        .tasks.create({ attributes: JSON.stringify({ type: "sales" }) });
      const r1 = fx.emu.store.createReservation(ws, t.sid, worker);
      const r2 = fx.emu.store.createReservation(ws, t.sid, worker2);
      assert.equal((await tr().workspaces(ws).tasks(t.sid).fetch()).assignmentStatus, "reserved");
      const pending = await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .reservations.list({ reservationStatus: "pending" });
      assert.deepEqual(pending.map((r) => r.sid).sort(), [r1.sid, r2.sid].sort());
      const byWorker = await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .reservations.list({ workerSid: worker2 });
      assert.deepEqual(
        byWorker.map((r) => [r.sid, r.workerName]),
        [[r2.sid, "agent2"]],
      );
      const acc = await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .reservations(r1.sid)
        .update({ reservationStatus: "accepted" });
      assert.equal(acc.reservationStatus, "accepted");
      assert.equal(acc.workerName, "agent");
      assert.equal(
        (await tr().workspaces(ws).workers(worker2).reservations(r2.sid).fetch()).reservationStatus,
        "rescinded",
      );
      assert.equal((await tr().workspaces(ws).tasks(t.sid).fetch()).assignmentStatus, "assigned");
      const mine = await tr()
        .workspaces(ws)
        .workers(worker)
        .reservations.list({ reservationStatus: "accepted" });
      assert.deepEqual(
        mine.map((r) => r.sid),
        [r1.sid],
      );
      await assert.rejects(
        tr().workspaces(ws).tasks(t.sid).update({ assignmentStatus: "canceled", reason: "late" }),
        {
          status: 400,
          code: 20001,
          message: `Cannot cancel task ${t.sid} in workspace ${ws} for account ${TEST_ACCOUNT_SID} because it is not pending or reserved.`,
        },
      );
      const wrap = await tr().workspaces(ws).tasks(t.sid).update({ assignmentStatus: "wrapping" });
      assert.equal(wrap.assignmentStatus, "wrapping");
      const done = await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .update({ assignmentStatus: "completed", reason: "done" });
      assert.equal(done.assignmentStatus, "completed");
      assert.equal(
        (await tr().workspaces(ws).tasks(t.sid).reservations(r1.sid).fetch()).reservationStatus,
        "completed",
      );
    });

    it("rejects a reservation through the worker scope, setting the worker activity, and the task returns to pending", async () => {
      const t = await tr()
        .workspaces(ws)
        .tasks.create({ attributes: JSON.stringify({ type: "sales" }) });
      const r = fx.emu.store.createReservation(ws, t.sid, worker);
      const unavailable = (
        await tr().workspaces(ws).activities.list({ friendlyName: "Unavailable" })
      )[0];
      const rej = await tr()
        .workspaces(ws)
        .workers(worker)
        .reservations(r.sid)
        .update({ reservationStatus: "rejected", workerActivitySid: unavailable.sid });
      assert.equal(rej.reservationStatus, "rejected");
      assert.equal(
        rej.url,
        `${fx.emu.url}/v1/Workspaces/${ws}/Workers/${worker}/Reservations/${r.sid}`,
      );
      assert.equal((await tr().workspaces(ws).workers(worker).fetch()).activityName, "Unavailable");
      assert.equal((await tr().workspaces(ws).tasks(t.sid).fetch()).assignmentStatus, "pending");
      await tr()
        .workspaces(ws)
        .tasks(t.sid)
        .update({ assignmentStatus: "canceled", reason: "cleanup" });
    });

    it("reports store events with payloads the routing engine can use", async () => {
      const seen: string[] = [];
      const listener = (name: string) => (p: { task?: { sid: string } }) =>
        seen.push(`${name}:${p.task?.sid ?? ""}`);
      const onCreated = listener("task.created");
      const onCanceled = listener("task.canceled");
      fx.emu.store.events.on("task.created", onCreated);
      fx.emu.store.events.on("task.canceled", onCanceled);
      const t = await tr().workspaces(ws).tasks.create({ attributes: "{}" });
      await tr().workspaces(ws).tasks(t.sid).update({ assignmentStatus: "canceled", reason: "x" });
      fx.emu.store.events.off("task.created", onCreated);
      fx.emu.store.events.off("task.canceled", onCanceled);
      assert.deepEqual(seen, [`task.created:${t.sid}`, `task.canceled:${t.sid}`]);
    });

    it("takes its dates from store.now so a virtual clock can drive them", async () => {
      const real = fx.emu.store.now;
      fx.emu.store.now = () => new Date("2030-01-02T03:04:05.678Z");
      try {
        const t = await tr().workspaces(ws).tasks.create({ attributes: "{}" });
        assert.equal(t.dateCreated.toISOString(), "2030-01-02T03:04:05.000Z");
        fx.emu.store.updateTask(ws, t.sid, { assignmentStatus: "canceled", reason: "clock" });
      } finally {
        fx.emu.store.now = real;
      }
    });
  });

  describe("pagination", () => {
    let ws: string;
    before(async () => {
      ws = (await tr().workspaces.create({ friendlyName: "Many" })).sid;
      for (let i = 0; i < 120; i++) {
        fx.emu.store.createWorker(ws, { friendlyName: `w${String(i).padStart(3, "0")}` });
      }
    });

    it("lists 120 workers over three pages of 50 by following next_page_url", async () => {
      const all = await tr().workspaces(ws).workers.list({ pageSize: 50 });
      assert.equal(all.length, 120);
      assert.deepEqual(
        all.map((w) => w.friendlyName),
        Array.from({ length: 120 }, (_, i) => `w${String(i).padStart(3, "0")}`),
      );
      const pages = fx.emu.records.filter(
        (r) => r.path === `/v1/Workspaces/${ws}/Workers` && r.method === "GET",
      );
      assert.equal(pages.length, 3);
      assert.deepEqual(pages[0].query, { PageSize: "50" });
      assert.equal(pages[1].query.Page, "1");
      assert.match(String(pages[2].query.PageToken), /^PT/);
    });

    it("emits absolute meta URLs on the emulator's own host and port", async () => {
      const page = await tr().workspaces(ws).workers.page({ pageSize: 50 });
      const next = (page as unknown as { nextPageUrl: string }).nextPageUrl;
      assert.ok(
        next.startsWith(
          `${fx.emu.url}/v1/Workspaces/${ws}/Workers?PageSize=50&Page=1&PageToken=PT`,
        ),
        next,
      );
      const second = await page.nextPage();
      assert.equal(second?.instances.length, 50);
      const third = await second?.nextPage();
      assert.equal(third?.instances.length, 20);
      assert.equal(await third?.nextPage(), undefined);
      const meta = fx.emu.records.at(-1)?.response as { meta: Record<string, unknown> };
      assert.equal(
        meta.meta.first_page_url,
        `${fx.emu.url}/v1/Workspaces/${ws}/Workers?PageSize=50&Page=0`,
      );
      assert.equal(meta.meta.next_page_url, null);
      assert.equal(meta.meta.page, 2);
      assert.equal(meta.meta.key, "workers");
    });

    it("keeps filters in the page URLs", async () => {
      const all = await tr()
        .workspaces(ws)
        .workers.list({ activityName: "Offline", pageSize: 100 });
      assert.equal(all.length, 120);
      const second = fx.emu.records.at(-1);
      assert.equal(second?.query.ActivityName, "Offline");
    });

    it("defaults PageSize to 50 and refuses PageSize outside 1..1000", async () => {
      const page = await tr().workspaces(ws).workers.page({});
      assert.equal(page.instances.length, 50);
      await assert.rejects(tr().workspaces(ws).workers.page({ pageSize: 1001 }), {
        status: 400,
        code: 20001,
        message: "Invalid PageSize: 1001 is outside 1..1000",
      });
      await assert.rejects(tr().workspaces(ws).workers.page({ pageSize: 0 }), {
        status: 400,
        code: 20001,
        message: "Invalid PageSize: 0 is outside 1..1000",
      });
    });

    it("refuses absolute paging without a PageToken", async () => {
      await assert.rejects(tr().workspaces(ws).workers.page({ pageNumber: 2, pageSize: 10 }), {
        status: 400,
        code: 40153,
        message: "Absolute Paging used when iterating TaskRouter resources",
      });
    });
  });
});
