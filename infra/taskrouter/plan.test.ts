import assert from "node:assert/strict";
import { planCentre, withQueueSids } from "./plan";
import { stackSpec } from "./testFixtures";

const WQ_ENGLISH = "WQ00000000000000000000000000000001";
const WQ_HINDI = "WQ00000000000000000000000000000002";

describe("planCentre", () => {
  it("plans the fixture centre's Twilio objects with the values Twilio gets", () => {
    assert.deepEqual(planCentre(stackSpec()), {
      workspace: {
        friendlyName: "WS",
        multiTaskEnabled: false,
        prioritizeQueueOrder: "FIFO",
        eventCallback: true,
        defaultActivity: "Offline",
        timeoutActivity: "Offline",
      },
      activities: [
        { friendlyName: "Offline", available: false },
        { friendlyName: "Available", available: true },
        { friendlyName: "Wrap-Up", available: false },
      ],
      channels: [],
      workers: [
        {
          friendlyName: "Shyam",
          activity: "Available",
          attributes: { languages: ["hindi"], contact_uri: "client:shyam" },
        },
        {
          friendlyName: "Alice",
          activity: "Available",
          attributes: { languages: ["english"], contact_uri: "client:alice" },
        },
      ],
      queues: [
        {
          key: "english",
          friendlyName: "English",
          targetWorkers: 'languages HAS "english"',
          taskOrder: "FIFO",
          maxReservedWorkers: 1,
        },
        {
          key: "hindi",
          friendlyName: "Hindi",
          targetWorkers: 'languages HAS "hindi"',
          taskOrder: "FIFO",
          maxReservedWorkers: 1,
        },
      ],
      workflow: {
        friendlyName: "Routing",
        taskReservationTimeout: 120,
        queues: ["hindi", "english"],
        configuration: {
          task_routing: {
            filters: [
              {
                filter_friendly_name: "Hindi",
                expression: 'lang == "hindi"',
                targets: [{ queue: "hindi", timeout: 60 }, { queue: "english" }],
              },
            ],
            default_filter: { queue: "english" },
          },
        },
      },
    });
  });

  it("carries the events filter, a queue's activities and the other settings as declared", () => {
    const spec = stackSpec();
    spec.workspace = {
      friendlyName: "WS",
      multitasking: true,
      queueOrder: "LIFO",
      events: false,
      eventsFilter: ["task.created", "task.canceled"],
    };
    spec.queues.hindi = {
      friendlyName: "Hindi",
      targetWorkers: 'languages HAS "hindi"',
      taskOrder: "LIFO",
      maxReservedWorkers: 3,
      reservationActivity: "Wrap-Up",
      assignmentActivity: "Offline",
    };
    spec.workflow.reservationTimeout = 45;
    const plan = planCentre(spec);
    assert.deepEqual(plan.workspace, {
      friendlyName: "WS",
      multiTaskEnabled: true,
      prioritizeQueueOrder: "LIFO",
      eventCallback: false,
      eventsFilter: ["task.created", "task.canceled"],
      defaultActivity: "Offline",
      timeoutActivity: "Offline",
    });
    assert.deepEqual(plan.queues[1], {
      key: "hindi",
      friendlyName: "Hindi",
      targetWorkers: 'languages HAS "hindi"',
      taskOrder: "LIFO",
      maxReservedWorkers: 3,
      reservationActivity: "Wrap-Up",
      assignmentActivity: "Offline",
    });
    assert.equal(plan.workflow.taskReservationTimeout, 45);
  });

  it("lists only the queues the workflow routes to, in document order, each once", () => {
    const spec = stackSpec();
    spec.queues.spare = {
      friendlyName: "Spare",
      targetWorkers: "1==1",
      taskOrder: "FIFO",
      maxReservedWorkers: 1,
    };
    spec.workflow.filters.push({
      name: "English",
      expression: 'lang == "english"',
      targets: [{ queue: "english" }, { queue: "hindi" }],
    });
    const plan = planCentre(spec);
    assert.deepEqual(plan.workflow.queues, ["hindi", "english"]);
    assert.deepEqual(
      plan.queues.map((q) => q.key),
      ["english", "hindi", "spare"],
    );
  });
});

describe("withQueueSids", () => {
  it("puts each queue's SID where the planned document names its key, keys in Twilio's order", () => {
    const { configuration } = planCentre(stackSpec()).workflow;
    const resolved = withQueueSids(configuration, { english: WQ_ENGLISH, hindi: WQ_HINDI });
    assert.equal(
      JSON.stringify(resolved),
      '{"task_routing":{"filters":[{"filter_friendly_name":"Hindi","expression":"lang == \\"hindi\\"",' +
        `"targets":[{"queue":"${WQ_HINDI}","timeout":60},{"queue":"${WQ_ENGLISH}"}]}],` +
        `"default_filter":{"queue":"${WQ_ENGLISH}"}}}`,
    );
    assert.equal(configuration.task_routing.default_filter.queue, "english", "the plan is kept");
  });

  it("throws naming the queue without a SID (or with an empty one) and where the document uses it", () => {
    const { configuration } = planCentre(stackSpec()).workflow;
    assert.throws(() => withQueueSids(configuration, { english: WQ_ENGLISH }), {
      message: 'no queue SID for queue "hindi" (task_routing.filters[0].targets[0].queue)',
    });
    assert.throws(() => withQueueSids(configuration, { hindi: WQ_HINDI, english: "" }), {
      message: 'no queue SID for queue "english" (task_routing.filters[0].targets[1].queue)',
    });
  });
});
