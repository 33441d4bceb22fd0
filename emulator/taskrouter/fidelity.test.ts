// Documented routing behaviours (issue #16), each on the virtual clock with exact times and the
// Twilio statement it follows quoted above the test.
import { strict as assert } from "node:assert";
import { admin, useEmulator } from "../testing/fixture";
import { advance, buildCentre, type Centre, type CentreSpec } from "../testing/engineTestKit";

describe("routing fidelity (virtual clock)", () => {
  const fx = useEmulator({ clock: "virtual" });
  beforeEach(() => admin(fx.emu, "POST", "/reset"));

  const tr = () => fx.client.taskrouter.v1;
  const build = (spec: Partial<CentreSpec> & Pick<CentreSpec, "routing">): Promise<Centre> =>
    buildCentre(fx.client, { queues: { Everyone: {} }, workers: {}, ...spec });
  const createTask = async (c: Centre, attributes: Record<string, unknown> = {}) =>
    (
      await tr()
        .workspaces(c.ws)
        .tasks.create({ workflowSid: c.workflow, attributes: JSON.stringify(attributes) })
    ).sid;
  const where = async (c: Centre, sid: string) => {
    const t = await tr().workspaces(c.ws).tasks(sid).fetch();
    return `${t.assignmentStatus}@${t.taskQueueFriendlyName}`;
  };
  /** Advances the virtual clock to the next whole second plus `fraction` seconds. */
  const toFraction = async (fraction: number) => {
    const now = fx.emu.clock.now();
    await advance(fx.emu, (Math.ceil(now / 1000) * 1000 - now) / 1000 + fraction);
  };

  // https://www.twilio.com/docs/taskrouter/task-evaluation: "The Queue timeout is now the sum of Q1
  // and Q2 timeouts: 20." Target timeouts count from the task's creation, to the millisecond.
  it("fires a 2 s escalation at exactly 2.000 s after creation for arrivals at x.3 s and x.9 s", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              expression: "1==1",
              targets: [{ queue: "First", timeout: 2 }, { queue: "Everyone" }],
            },
          ],
        },
      },
      queues: { First: { targetWorkers: "1==2" }, Everyone: { targetWorkers: "1==2" } },
    });
    for (const fraction of [0.3, 0.9]) {
      await toFraction(fraction);
      const sid = await createTask(c);
      const created = (await tr().workspaces(c.ws).tasks(sid).fetch()).dateCreated;
      assert.equal(created.getTime() % 1000, 0, "the API renders whole seconds");
      await advance(fx.emu, 1.999);
      assert.equal(
        await where(c, sid),
        "pending@First",
        `arrival at x.${fraction * 10} s, age 1.999 s`,
      );
      await advance(fx.emu, 0.001);
      assert.equal(
        await where(c, sid),
        "pending@Everyone",
        `arrival at x.${fraction * 10} s, age 2.000 s`,
      );
    }
  });

  // https://www.twilio.com/docs/taskrouter/workflow-configuration documents the structure with
  // `"timeout": "<duration>"` in a target, and "a \"default_filter\" key which provides a catch-all
  // route for Tasks that do not match any of the specified filters". Twilio's samples also put a
  // `timeout` on the filter itself and in default_filter. Twilio is silent on what they mean; the
  // emulator's choice (infra/taskrouter/routing.ts): a filter's timeout is that of each of its
  // targets that names none, and a default_filter timeout ends the default step like a target's.
  it("accepts a filter-level timeout, a quoted timeout and a default_filter timeout, and routes them", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              expression: 'kind == "sales"',
              timeout: 2,
              targets: [
                { queue: "First" },
                { queue: "Everyone", timeout: "3" },
                { queue: "First" },
              ],
            },
          ],
          default_filter: { queue: "Everyone", timeout: 5 },
        },
      },
      queues: { First: { targetWorkers: "1==2" }, Everyone: { targetWorkers: "1==2" } },
    });
    const sales = await createTask(c, { kind: "sales" });
    const other = await createTask(c, { kind: "other" });
    const states = async () => [await where(c, sales), await where(c, other)];
    await advance(fx.emu, 1.999);
    assert.deepEqual(await states(), ["pending@First", "pending@Everyone"]);
    await advance(fx.emu, 0.001); // age 2: the filter's timeout ends the first target
    assert.deepEqual(await states(), ["pending@Everyone", "pending@Everyone"]);
    await advance(fx.emu, 2.999); // age 4.999: the quoted "3" ends the second target at 5
    assert.deepEqual(await states(), ["pending@Everyone", "pending@Everyone"]);
    await advance(fx.emu, 0.001);
    const reason = async (sid: string) => (await tr().workspaces(c.ws).tasks(sid).fetch()).reason;
    assert.deepEqual(await states(), ["pending@First", "canceled@Everyone"]);
    assert.equal(await reason(other), "Task canceled on Workflow timeout");
    await advance(fx.emu, 2); // age 7: the third target inherits the filter's 2 s and falls out
    assert.deepEqual(await states(), ["canceled@First", "canceled@Everyone"]);
    assert.equal(await reason(sales), "Task canceled on Workflow timeout");
  });

  // https://www.twilio.com/docs/taskrouter/worker-presence: "If a Task skips a filter, it's
  // evaluated as if the Task didn't match the filter expression. This is important when considering
  // your `default_filter` behavior because, even though a Task may match one of the filter
  // expressions, Tasks that skip a named filter still qualify for the `default_filter`."
  it("evaluates a task that skips every target of its filter as if it did not match: next filter, else default_filter", async () => {
    const skipAll = { queue: "Hindi", skip_if: "workers.available == 0" };
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              filter_friendly_name: "Hindi",
              expression: "hindi == true",
              targets: [skipAll, skipAll],
            },
            { filter_friendly_name: "VIP", expression: "vip == true", targets: [{ queue: "Vip" }] },
            {
              filter_friendly_name: "Slow",
              expression: "slow == true",
              targets: [{ queue: "Hindi", timeout: 3 }],
            },
          ],
          default_filter: { queue: "Everyone" },
        },
      },
      queues: { Hindi: {}, Vip: {}, Everyone: {} },
      workers: { Ravi: { activity: "Offline" } },
    });
    const hindi = await createTask(c, { hindi: true });
    const hindiVip = await createTask(c, { hindi: true, vip: true });
    const slow = await createTask(c, { slow: true });
    await advance(fx.emu, 0);
    assert.deepEqual(
      [await where(c, hindi), await where(c, hindiVip), await where(c, slow)],
      ["pending@Everyone", "pending@Vip", "pending@Hindi"],
    );
    // A filter left by its timeout is not a skip: the task falls out of the workflow.
    await advance(fx.emu, 3);
    assert.equal(await where(c, slow), "canceled@Hindi");
    assert.equal(await where(c, hindi), "pending@Everyone");
  });

  // Twilio's TaskQueue API reference, TargetWorkers: "The default value is `1==1`. If this value is
  // empty, Tasks will wait in the TaskQueue until they are deleted or moved to another TaskQueue."
  it('accepts TargetWorkers="" as a parking queue whose tasks wait until moved', async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [{ expression: "parked == true", targets: [{ queue: "Parking" }] }],
          default_filter: { queue: "Everyone" },
        },
      },
      queues: { Parking: { targetWorkers: "" }, Everyone: {} },
      workers: { Asha: {} },
    });
    const parking = await tr().workspaces(c.ws).taskQueues(c.queue.Parking).fetch();
    assert.equal(parking.targetWorkers, "");
    const sid = await createTask(c, { parked: true });
    await advance(fx.emu, 600);
    assert.equal(
      await where(c, sid),
      "pending@Parking",
      "Asha is available but no one is a member",
    );
    await tr()
      .workspaces(c.ws)
      .tasks(sid)
      .update({ attributes: JSON.stringify({ parked: false }) });
    await advance(fx.emu, 0);
    assert.equal(await where(c, sid), "reserved@Everyone");
  });

  // Twilio's Task API reference: RoutingTarget is "A SID of a Worker, Queue, or Workflow to route a
  // Task to"; IgnoreCapacity: "By setting `IgnoreCapacity` to a value of `true`, `1`, or `yes`, the
  // Task will be routed to the Worker without respecting their capacity and availability. Any other
  // value will enforce the Worker's capacity and availability. The default value of
  // `IgnoreCapacity` is `true` when the `RoutingTarget` is set to a Worker SID."
  it("routes RoutingTarget=WK… to that worker without a workflow, and honours IgnoreCapacity with one", async () => {
    const c = await build({
      routing: { task_routing: { default_filter: { queue: "Everyone" } } },
      workers: { Asha: { activity: "Offline" }, Bala: { activity: "Offline" }, Chen: {} },
    });
    const tasks = tr().workspaces(c.ws).tasks;
    const reservations = async (sid: string) =>
      (await tasks(sid).reservations.list()).map((r) => `${r.workerName}:${r.reservationStatus}`);
    // No workflow: default IgnoreCapacity (true) reserves Asha although she is Offline.
    const toAsha = (await tasks.create({ routingTarget: c.worker.Asha })).sid;
    // No workflow, IgnoreCapacity=false: waits until Bala is available.
    const toBala = (await tasks.create({ routingTarget: c.worker.Bala, ignoreCapacity: "false" }))
      .sid;
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(toAsha), ["Asha:pending"]);
    assert.deepEqual(await reservations(toBala), []);
    assert.equal((await tasks(toBala).fetch()).assignmentStatus, "pending");
    await tr()
      .workspaces(c.ws)
      .workers(c.worker.Bala)
      .update({ activitySid: c.activity.Available });
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(toBala), ["Bala:pending"]);
    // With a workflow: Chen is busy with a reservation (single-tasking workspace).
    const first = await createTask(c, {});
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(first), ["Chen:pending"]);
    const respecting = (
      await tasks.create({
        workflowSid: c.workflow,
        routingTarget: c.worker.Chen,
        ignoreCapacity: "false",
      })
    ).sid;
    const ignoring = (await tasks.create({ workflowSid: c.workflow, routingTarget: c.worker.Chen }))
      .sid;
    await advance(fx.emu, 0);
    assert.deepEqual(await reservations(respecting), []);
    assert.deepEqual(await reservations(ignoring), ["Chen:pending"]);
  });

  // Known-worker targets (keys as in twilio-java's WorkflowRuleTarget: "known_worker_sid",
  // "known_worker_friendly_name", e.g. "task.requested_agent"). Twilio error 40152, "Invalid Queue
  // for Known Worker": "The Worker targeted by the Known Worker Routing feature is not a member of
  // the TaskQueue referenced in the Workflow Target" (such a target matches no one here).
  it("offers a known_worker_sid / known_worker_friendly_name target only to the worker the task names", async () => {
    const c = await build({
      routing: {
        task_routing: {
          filters: [
            {
              expression: 'by == "sid"',
              targets: [{ queue: "Sales", known_worker_sid: "task.last_agent_sid" }],
            },
            {
              expression: 'by == "name"',
              targets: [
                { queue: "Sales", known_worker_friendly_name: "task.requested_agent", timeout: 5 },
                { queue: "Sales" },
              ],
            },
          ],
          default_filter: { queue: "Sales" },
        },
      },
      queues: { Sales: { targetWorkers: 'team == "sales"' } },
      workers: {
        Asha: { attributes: { team: "sales" } },
        Bala: { attributes: { team: "sales" } },
        Chen: { attributes: { team: "support" } },
      },
    });
    const reservations = async (sid: string) =>
      (await tr().workspaces(c.ws).tasks(sid).reservations.list()).map(
        (r) => `${r.workerName}:${r.reservationStatus}`,
      );
    const bySid = await createTask(c, { by: "sid", last_agent_sid: c.worker.Bala });
    const byName = await createTask(c, { by: "name", requested_agent: "Chen" });
    await advance(fx.emu, 4.999);
    assert.deepEqual(await reservations(bySid), ["Bala:pending"], "Asha is free and first in line");
    assert.deepEqual(await reservations(byName), [], "Chen is not a member of Sales");
    await advance(fx.emu, 0.001);
    assert.deepEqual(await reservations(byName), ["Asha:pending"]);
  });
});
