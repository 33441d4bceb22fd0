import { strict as assert } from "node:assert";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { admin, TEST_AUTH_TOKEN, useEmulator } from "../testing/fixture";
import {
  advance,
  buildCentre,
  json,
  startWebhookServer,
  type Centre,
  type CentreSpec,
  type Hit,
  type Reply,
  type WebhookServer,
} from "../testing/engineTestKit";

describe("routing engine (virtual clock)", () => {
  const fx = useEmulator({ clock: "virtual" });
  let hooks: WebhookServer;
  /** What the assignment callback answers, per worker name (default: no answer body = manual mode). */
  let answer: (hit: Hit, worker: string) => Reply;

  before(async () => {
    hooks = await startWebhookServer((hit) => {
      if (hit.path === "/assignment" || hit.path === "/fallback") {
        const worker = JSON.parse(hit.params.WorkerAttributes ?? "{}") as { name?: string };
        return answer(hit, worker.name ?? "");
      }
      return { status: 204 };
    });
  });
  after(() => hooks.close());
  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    hooks.hits.length = 0;
    answer = () => ({ status: 200 });
  });

  const tr = () => fx.client.taskrouter.v1;
  const build = (spec: Partial<CentreSpec> & Pick<CentreSpec, "routing">): Promise<Centre> =>
    buildCentre(fx.client, {
      queues: { Everyone: {} },
      workers: {},
      assignmentCallbackUrl: `${hooks.url}/assignment`,
      ...spec,
    });
  const createTask = async (c: Centre, attributes: Record<string, unknown>, priority?: number) =>
    (
      await tr()
        .workspaces(c.ws)
        .tasks.create({ workflowSid: c.workflow, attributes: JSON.stringify(attributes), priority })
    ).sid;
  const task = async (c: Centre, sid: string) => {
    const t = await tr().workspaces(c.ws).tasks(sid).fetch();
    return {
      status: t.assignmentStatus,
      queue: t.taskQueueFriendlyName,
      priority: t.priority,
      reason: t.reason,
    };
  };
  const reservations = async (c: Centre, sid: string) =>
    (await tr().workspaces(c.ws).tasks(sid).reservations.list()).map(
      (r) => `${r.workerName}:${r.reservationStatus}`,
    );
  const activityOf = async (c: Centre, worker: string) =>
    (await tr().workspaces(c.ws).workers(c.worker[worker]).fetch()).activityName;
  const setActivity = (c: Centre, worker: string, activity: string) =>
    tr().workspaces(c.ws).workers(c.worker[worker]).update({ activitySid: c.activity[activity] });
  const everyone = { task_routing: { default_filter: { queue: "Everyone" } } };

  it("reserves the highest-priority task first, then the oldest", async () => {
    const c = await build({ routing: everyone, workers: { Asha: { activity: "Offline" } } });
    const low = await createTask(c, { n: 1 }, 1);
    await advance(fx.emu, 1);
    const high = await createTask(c, { n: 2 }, 10);
    await advance(fx.emu, 1);
    const lowToo = await createTask(c, { n: 3 }, 1);
    await setActivity(c, "Asha", "Available");
    await advance(fx.emu, 0);
    assert.deepEqual(
      [(await task(c, low)).status, (await task(c, high)).status, (await task(c, lowToo)).status],
      ["pending", "reserved", "pending"],
    );
    assert.deepEqual(await reservations(c, high), ["Asha:pending"]);
  });

  it("serves a FIFO queue oldest first and a LIFO queue newest first regardless of priority", async () => {
    for (const [order, expected] of [
      ["FIFO", ["reserved", "pending", "pending"]],
      ["LIFO", ["pending", "pending", "reserved"]],
    ] as const) {
      await admin(fx.emu, "POST", "/reset");
      const c = await build({
        routing: everyone,
        queues: { Everyone: { taskOrder: order } },
        workers: { Asha: { activity: "Offline" } },
      });
      const sids: string[] = [];
      for (const priority of [5, 9, 0]) {
        sids.push(await createTask(c, {}, order === "LIFO" ? priority : 0));
        await advance(fx.emu, 1);
      }
      await setActivity(c, "Asha", "Available");
      await advance(fx.emu, 0);
      assert.deepEqual(
        await Promise.all(sids.map(async (s) => (await task(c, s)).status)),
        expected,
        order,
      );
    }
  });

  it("escalates to the second target when the first target's timeout expires, applying its priority", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              filter_friendly_name: "Hindi",
              expression: 'selected_language == "hindi"',
              targets: [
                { queue: "Hindi", timeout: 30 },
                { queue: "Everyone", priority: 7 },
              ],
            },
          ],
          default_filter: { queue: "Everyone" },
        },
      },
      queues: { Hindi: { targetWorkers: 'languages HAS "hindi"' }, Everyone: {} },
      workers: {
        Ravi: { attributes: { languages: ["hindi"] }, activity: "Offline" },
        Asha: { attributes: { languages: ["english"] } },
      },
    });
    const sid = await createTask(c, { selected_language: "hindi" });
    await advance(fx.emu, 29);
    assert.deepEqual(await task(c, sid), {
      status: "pending",
      queue: "Hindi",
      priority: 0,
      reason: null,
    });
    await advance(fx.emu, 1);
    assert.deepEqual(await task(c, sid), {
      status: "reserved",
      queue: "Everyone",
      priority: 7,
      reason: null,
    });
    assert.deepEqual(await reservations(c, sid), ["Asha:pending"]);
  });

  it("uses the default filter only when no filter matches", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [{ expression: 'selected_language == "hindi"', targets: [{ queue: "Hindi" }] }],
          default_filter: { queue: "Everyone" },
        },
      },
      queues: { Hindi: {}, Everyone: {} },
    });
    assert.equal(
      (await task(c, await createTask(c, { selected_language: "english" }))).queue,
      "Everyone",
    );
    assert.equal(
      (await task(c, await createTask(c, { selected_language: "hindi" }))).queue,
      "Hindi",
    );
  });

  it("reserves only workers whose languages include the task's selected language", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              expression: "1==1",
              targets: [
                { queue: "Everyone", expression: "worker.languages HAS task.selected_language" },
              ],
            },
          ],
        },
      },
      workers: {
        Asha: { attributes: { languages: ["english"] } },
        Shyam: { attributes: { languages: ["hindi", "english"] } },
      },
    });
    const hindi = await createTask(c, { selected_language: "hindi" });
    const tamil = await createTask(c, { selected_language: "tamil" });
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(c, hindi), ["Shyam:pending"]);
    assert.deepEqual(await reservations(c, tamil), []);
  });

  it("skips a target whose skip_if holds when nobody can take the task there", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              expression: "1==1",
              targets: [
                { queue: "Hindi", timeout: 300, skip_if: "workers.available == 0" },
                { queue: "Everyone" },
              ],
            },
          ],
        },
      },
      queues: { Hindi: { targetWorkers: 'languages HAS "hindi"' }, Everyone: {} },
      workers: {
        Ravi: { attributes: { languages: ["hindi"] }, activity: "Offline" },
        Asha: { attributes: {} },
      },
    });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual(await task(c, sid), {
      status: "reserved",
      queue: "Everyone",
      priority: 0,
      reason: null,
    });
  });

  it("cancels a task that falls past its last target", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [{ expression: "1==1", targets: [{ queue: "Everyone", timeout: 10 }] }],
        },
      },
    });
    const sid = await createTask(c, {});
    await advance(fx.emu, 10);
    assert.deepEqual(await task(c, sid), {
      status: "canceled",
      queue: "Everyone",
      priority: 0,
      reason: "Task canceled on Workflow timeout",
    });
  });

  it("times a reservation out, moves the worker to the timeout activity and offers the task to the next worker", async () => {
    const c = await build({
      routing: everyone,
      reservationTimeout: 15,
      workers: { Asha: { attributes: { name: "Asha" } }, Bala: { attributes: { name: "Bala" } } },
    });
    const sid = await createTask(c, {});
    await advance(fx.emu, 14);
    assert.deepEqual(await reservations(c, sid), ["Asha:pending"]);
    await advance(fx.emu, 1);
    assert.deepEqual((await reservations(c, sid)).sort(), ["Asha:timeout", "Bala:pending"]);
    assert.equal(await activityOf(c, "Asha"), "Offline");
    assert.equal((await task(c, sid)).status, "reserved");
  });

  it("carries out a reject with an activity, then offers the task to another worker who accepts", async () => {
    const c = await build({
      routing: everyone,
      workers: { Asha: { attributes: { name: "Asha" } }, Bala: { attributes: { name: "Bala" } } },
    });
    answer = (_hit, worker) =>
      worker === "Asha"
        ? json({ instruction: "reject", activity_sid: c.activity.Unavailable })
        : json({ instruction: "accept" });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual((await reservations(c, sid)).sort(), ["Asha:rejected", "Bala:accepted"]);
    assert.equal(await activityOf(c, "Asha"), "Unavailable");
    assert.equal((await task(c, sid)).status, "assigned");
  });

  it("moves single-tasking workers through the queue's reservation and assignment activities", async () => {
    const c = await build({
      routing: everyone,
      activities: { Reserved: false, Busy: false },
      queues: { Everyone: { reservationActivity: "Reserved", assignmentActivity: "Busy" } },
      workers: { Asha: {} },
    });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.equal(await activityOf(c, "Asha"), "Reserved");
    const [r] = await tr().workspaces(c.ws).tasks(sid).reservations.list();
    await tr()
      .workspaces(c.ws)
      .tasks(sid)
      .reservations(r.sid)
      .update({ reservationStatus: "accepted" });
    await advance(fx.emu, 0);
    assert.equal(await activityOf(c, "Asha"), "Busy");
    assert.equal((await task(c, sid)).status, "assigned");
  });

  it("reserves up to max_reserved_workers at once and rescinds the others when one accepts", async () => {
    const c = await build({
      routing: everyone,
      queues: { Everyone: { maxReservedWorkers: 2 } },
      workers: { Asha: {}, Bala: {}, Chitra: {} },
    });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    const pending = await tr().workspaces(c.ws).tasks(sid).reservations.list();
    assert.deepEqual(pending.map((r) => `${r.workerName}:${r.reservationStatus}`).sort(), [
      "Asha:pending",
      "Bala:pending",
    ]);
    const bala = pending.find((r) => r.workerName === "Bala");
    await tr()
      .workspaces(c.ws)
      .tasks(sid)
      .reservations(bala!.sid)
      .update({ reservationStatus: "accepted" });
    assert.deepEqual((await reservations(c, sid)).sort(), ["Asha:rescinded", "Bala:accepted"]);
  });

  it("re-evaluates a pending task when its attributes change", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [{ expression: 'selected_language == "hindi"', targets: [{ queue: "Hindi" }] }],
          default_filter: { queue: "Everyone" },
        },
      },
      queues: { Hindi: {}, Everyone: {} },
    });
    const sid = await createTask(c, {});
    await tr()
      .workspaces(c.ws)
      .tasks(sid)
      .update({ attributes: JSON.stringify({ selected_language: "hindi" }) });
    await advance(fx.emu, 0);
    assert.equal((await task(c, sid)).queue, "Hindi");
  });

  it("re-evaluates pending tasks when the workflow is updated with ReEvaluateTasks", async () => {
    const c = await build({ routing: everyone, queues: { Hindi: {}, Everyone: {} } });
    const sid = await createTask(c, {});
    const toHindi = JSON.stringify({ task_routing: { default_filter: { queue: c.queue.Hindi } } });
    await tr().workspaces(c.ws).workflows(c.workflow).update({ configuration: toHindi });
    await advance(fx.emu, 0);
    assert.equal((await task(c, sid)).queue, "Everyone");
    await tr()
      .workspaces(c.ws)
      .workflows(c.workflow)
      .update({ configuration: toHindi, reEvaluateTasks: "true" });
    await advance(fx.emu, 0);
    assert.equal((await task(c, sid)).queue, "Hindi");
  });

  it("cancels a task when its TTL expires", async () => {
    const c = await build({ routing: everyone });
    const sid = (await tr().workspaces(c.ws).tasks.create({ workflowSid: c.workflow, timeout: 60 }))
      .sid;
    await advance(fx.emu, 60);
    assert.deepEqual(await task(c, sid), {
      status: "canceled",
      queue: "Everyone",
      priority: 0,
      reason: "Task TTL Exceeded",
    });
  });

  it("signs the assignment callback with the account auth token and sends Twilio's parameters", async () => {
    const c = await build({
      routing: everyone,
      workers: { Asha: { attributes: { name: "Asha" } } },
    });
    const sid = await createTask(c, { type: "support" }, 3);
    await advance(fx.emu, 0);
    const [hit] = hooks.on("/assignment");
    const [r] = await tr().workspaces(c.ws).tasks(sid).reservations.list();
    assert.equal(
      validateRequest(TEST_AUTH_TOKEN, hit.signature as string, hit.url, hit.params),
      true,
    );
    assert.equal(
      validateRequest("another-token", hit.signature as string, hit.url, hit.params),
      false,
    );
    assert.deepEqual(hit.params, {
      AccountSid: fx.emu.accountSid,
      WorkspaceSid: c.ws,
      WorkflowSid: c.workflow,
      TaskQueueSid: c.queue.Everyone,
      WorkerSid: c.worker.Asha,
      WorkerAttributes: '{"name":"Asha"}',
      TaskSid: sid,
      TaskAttributes: '{"type":"support"}',
      TaskAge: "0",
      TaskPriority: "3",
      ReservationSid: r.sid,
      Timestamp: String(Math.floor(fx.emu.clock.now() / 1000)),
    });
  });

  it("calls the fallback URL after a response that is not application/json, and records error 40000", async () => {
    const c = await build({
      routing: everyone,
      fallbackAssignmentCallbackUrl: `${hooks.url}/fallback`,
      workers: { Asha: { attributes: { name: "Asha" } } },
    });
    answer = (hit) =>
      hit.path === "/assignment"
        ? { type: "text/html", body: "<p>accept</p>" }
        : json({ instruction: "accept" });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual(
      hooks.hits.map((h) => h.path),
      ["/assignment", "/fallback"],
    );
    assert.equal((await task(c, sid)).status, "assigned");
    const { failures } = (await admin(fx.emu, "GET", "/engine/failures")) as {
      failures: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      failures.map((f) => [f.code, f.fallback, f.message]),
      [
        [
          40000,
          false,
          'Assignment callback response Content-Type is "text/html", not application/json',
        ],
      ],
    );
  });

  it("lets the reservation time out when both callback URLs answer badly, recording 40001 and 40005", async () => {
    const c = await build({
      routing: everyone,
      reservationTimeout: 20,
      fallbackAssignmentCallbackUrl: `${hooks.url}/fallback`,
      workers: { Asha: { attributes: { name: "Asha" } } },
    });
    answer = (hit) =>
      hit.path === "/assignment"
        ? { type: "application/json", body: "{accept" }
        : json({ ok: true });
    const sid = await createTask(c, {});
    await advance(fx.emu, 19);
    assert.deepEqual(await reservations(c, sid), ["Asha:pending"]);
    await advance(fx.emu, 1);
    assert.deepEqual(await reservations(c, sid), ["Asha:timeout"]);
    const { failures } = (await admin(fx.emu, "GET", "/engine/failures")) as {
      failures: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      failures.map((f) => [f.code, f.fallback, f.url]),
      [
        [40001, false, `${hooks.url}/assignment`],
        [40005, true, `${hooks.url}/fallback`],
      ],
    );
  });

  it("records an assignment callback answering HTTP 500 as 11200 and carries out the fallback's instruction", async () => {
    const c = await build({
      routing: everyone,
      fallbackAssignmentCallbackUrl: `${hooks.url}/fallback`,
      workers: { Asha: { attributes: { name: "Asha" } } },
    });
    answer = (hit) =>
      hit.path === "/assignment" ? { status: 500, body: "oops" } : json({ instruction: "accept" });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual(
      hooks.hits.map((h) => h.path),
      ["/assignment", "/fallback"],
    );
    assert.deepEqual(await reservations(c, sid), ["Asha:accepted"]);
    assert.equal((await task(c, sid)).status, "assigned");
    const { failures } = (await admin(fx.emu, "GET", "/engine/failures")) as {
      failures: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      failures.map((f) => [f.code, f.fallback, f.message]),
      [[11200, false, `Assignment callback ${hooks.url}/assignment answered HTTP 500`]],
    );
  });

  it("carries out a call instruction: dials the worker's contact_uri, fetches the call URL signed, accepts and adds worker_call_sid", async () => {
    const c = await build({
      routing: everyone,
      workers: { Asha: { attributes: { name: "Asha", contact_uri: "+15555550201" } } },
    });
    answer = () =>
      json({
        instruction: "call",
        from: "+15555550100",
        url: `${hooks.url}/worker-twiml`,
        accept: true,
      });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    const [fetch] = hooks.on("/worker-twiml");
    assert.ok(fetch, "the call URL was fetched");
    assert.equal(fetch.method, "POST");
    const attrs = JSON.parse((await tr().workspaces(c.ws).tasks(sid).fetch()).attributes) as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      {
        CallSid: fetch.params.CallSid,
        To: fetch.params.To,
        From: fetch.params.From,
        Direction: fetch.params.Direction,
      },
      {
        CallSid: attrs.worker_call_sid,
        To: "+15555550201",
        From: "+15555550100",
        Direction: "outbound-api",
      },
    );
    assert.match(String(attrs.worker_call_sid), /^CA[0-9a-f]{32}$/);
    assert.equal(
      validateRequest(TEST_AUTH_TOKEN, fetch.signature ?? "", fetch.url, fetch.params),
      true,
    );
    assert.deepEqual(await reservations(c, sid), ["Asha:accepted"]);
    assert.equal((await task(c, sid)).status, "assigned");
  });

  it("records a call instruction without a from as 40111 and leaves the reservation pending", async () => {
    const c = await build({
      routing: everyone,
      workers: { Asha: { attributes: { name: "Asha", contact_uri: "+15555550201" } } },
    });
    answer = () => json({ instruction: "call", url: `${hooks.url}/worker-twiml` });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(c, sid), ["Asha:pending"]);
    assert.deepEqual(hooks.on("/worker-twiml"), []);
    const { failures } = (await admin(fx.emu, "GET", "/engine/failures")) as {
      failures: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      failures.map((f) => [f.code, f.message]),
      [[40111, "Call: invalid from null"]],
    );
  });

  it("records an invalid reject activity as 40100 and leaves the reservation pending", async () => {
    const c = await build({
      routing: everyone,
      workers: { Asha: { attributes: { name: "Asha" } } },
    });
    answer = () => json({ instruction: "reject", activity_sid: "WA" + "f".repeat(32) });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(c, sid), ["Asha:pending"]);
    const { failures } = (await admin(fx.emu, "GET", "/engine/failures")) as {
      failures: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      failures.map((f) => [f.code, f.message]),
      [[40100, `Invalid activity_sid WA${"f".repeat(32)} in reject instruction`]],
    );
  });

  it("posts signed event callbacks for the events in the workspace's EventsFilter, in order", async () => {
    const c = await build({
      routing: everyone,
      eventCallbackUrl: `${hooks.url}/events`,
      eventsFilter: "task.created,reservation.created,reservation.accepted,worker.activity.update",
      workers: { Asha: { attributes: { name: "Asha" } } },
    });
    answer = () => json({ instruction: "accept" });
    const sid = await createTask(c, {});
    await advance(fx.emu, 0);
    await setActivity(c, "Asha", "Unavailable");
    await advance(fx.emu, 0);
    const events = hooks.on("/events");
    assert.deepEqual(
      events.map((e) => [
        e.params.EventType,
        e.params.ResourceType,
        e.params.TaskSid ?? null,
        e.params.WorkerName ?? null,
      ]),
      [
        ["task.created", "Task", sid, null],
        ["reservation.created", "Reservation", sid, "Asha"],
        ["reservation.accepted", "Reservation", sid, "Asha"],
        ["worker.activity.update", "Worker", null, "Asha"],
      ],
    );
    for (const e of events)
      assert.equal(validateRequest(TEST_AUTH_TOKEN, e.signature as string, e.url, e.params), true);
    assert.equal(events[3].params.WorkerActivityName, "Unavailable");
    assert.equal(events[3].params.WorkerPreviousActivityName, "Available");
  });

  it("advances the virtual clock through the admin API and refuses a bad request", async () => {
    const before = fx.emu.clock.now();
    const state = (await admin(fx.emu, "POST", "/clock/advance", { seconds: 90 })) as {
      kind: string;
      now: string;
    };
    assert.deepEqual(state, { kind: "virtual", now: new Date(before + 90_000).toISOString() });
    await assert.rejects(admin(fx.emu, "POST", "/clock/advance", { seconds: -1 }), {
      message: 'admin POST /clock/advance: 400 {"error":"seconds must be a non-negative number"}',
    });
  });
});
