import { strict as assert } from "node:assert";
import { compareWithLive, queueKey, toStack, type LiveWorkspace } from "./exportWorkspace";
import { resolveSpec } from "./loadStack";

const WQ1 = "WQ" + "1".repeat(32);
const WQ2 = "WQ" + "2".repeat(32);

function live(configuration: unknown, edit: (l: LiveWorkspace) => void = () => {}): LiveWorkspace {
  const l: LiveWorkspace = {
    workspace: {
      sid: "WS" + "0".repeat(32),
      friendlyName: "Centre",
      multiTaskEnabled: false,
      prioritizeQueueOrder: "FIFO",
      eventCallbackUrl: null,
      eventsFilter: null,
      defaultActivityName: "Offline",
      timeoutActivityName: "Offline",
    },
    activities: [
      { sid: "WA1", friendlyName: "Offline", available: false },
      { sid: "WA2", friendlyName: "Available", available: true },
      { sid: "WA3", friendlyName: "Break", available: false },
    ],
    workers: [
      {
        sid: "WK1",
        friendlyName: "Ann",
        activityName: "Available",
        attributes: '{"skills":["sales"]}',
      },
    ],
    queues: [
      {
        sid: WQ1,
        friendlyName: "Sales & Support",
        targetWorkers: 'skills HAS "sales"',
        taskOrder: "LIFO",
        maxReservedWorkers: 2,
        reservationActivityName: null,
        assignmentActivityName: null,
      },
      {
        sid: WQ2,
        friendlyName: "1st line",
        targetWorkers: "1==1",
        taskOrder: "FIFO",
        maxReservedWorkers: 1,
        reservationActivityName: null,
        assignmentActivityName: null,
      },
    ],
    workflows: [
      {
        sid: "WW" + "3".repeat(32),
        friendlyName: "Routing",
        configuration: JSON.stringify(configuration),
        taskReservationTimeout: 45,
      },
    ],
  };
  edit(l);
  return l;
}

describe("workspace export (pure)", () => {
  it("derives queue keys from friendly names, unique and valid", () => {
    const taken = new Set<string>();
    assert.deepEqual(
      ["Sales & Support", "sales support", "1st line", "  ", "Hindi"].map((n) =>
        queueKey(n, taken),
      ),
      ["sales_support", "sales_support_2", "q_1st_line", "queue", "hindi"],
    );
  });

  it("maps queue SIDs back to keys, fills inherited target queues and names unnamed filters", () => {
    const { stack, notes } = toStack(
      live({
        task_routing: {
          filters: [
            {
              expression: 'skill == "sales"',
              targets: [
                { queue: WQ1, timeout: 30, priority: "5" },
                { timeout: 60, skip_if: "workers.available == 0" },
                { queue: WQ2 },
              ],
            },
          ],
          default_filter: { queue: WQ2 },
        },
      }),
    );
    assert.deepEqual(stack.workflow, {
      friendlyName: "Routing",
      reservationTimeout: 45,
      filters: [
        {
          name: "Filter 1",
          expression: 'skill == "sales"',
          targets: [
            { queue: "sales_support", priority: 5, timeout: 30 },
            { queue: "sales_support", timeout: 60, skipIf: "workers.available == 0" },
            { queue: "q_1st_line" },
          ],
        },
      ],
      defaultTarget: { queue: "q_1st_line" },
    });
    assert.deepEqual(stack.queues, {
      sales_support: {
        friendlyName: "Sales & Support",
        targetWorkers: 'skills HAS "sales"',
        taskOrder: "LIFO",
        maxReservedWorkers: 2,
      },
      q_1st_line: { friendlyName: "1st line" },
    });
    assert.equal(stack.postWorkActivity, "Break");
    // Ann is Available, not the default Offline: where she happened to be is not declared.
    assert.deepEqual(stack.workers, { Ann: { attributes: { skills: ["sales"] } } });
    const simple = { task_routing: { default_filter: { queue: WQ2 } } };
    assert.deepEqual(toStack(live(simple), { liveActivities: true }).stack.workers, {
      Ann: { activity: "Available", attributes: { skills: ["sales"] } },
    });
    assert.deepEqual(notes, [
      'task_routing.filters[0]: no filter_friendly_name; named "Filter 1" (the next deploy sets it)',
      "workers.*.activity: not written for Ann (Available), whose live activity is not the " +
        "default Offline; adopting never moves a working agent (--live-activities writes them)",
      "phone.number: +15555550100 is a placeholder; set the centre's number (--number)",
      "phone.ivr: Twilio does not hold the IVR; one option per filter was written as a starting point",
      "phone.hours, whenClosed, maxWait, whenNobodyAnswers, recordCalls, voicemail, callback, " +
        "agentLeg: Twilio does not hold them (the call handlers' CALL_FLOW does); none was written, " +
        "so deployed with this file the line is open around the clock with no maximum wait",
      'postWorkActivity: Twilio does not record it; "Break" was chosen (set it with --post-work-activity)',
    ]);
  });

  it("refuses a workflow that names a queue of another workspace", () => {
    const config = { task_routing: { default_filter: { queue: "WQ" + "9".repeat(32) } } };
    assert.throws(() => toStack(live(config)), {
      message: `workflow "Routing" task_routing.default_filter.queue: WQ${"9".repeat(32)} is not a queue of this workspace`,
    });
  });

  it("exports known-worker targets as knownWorker and refuses target keys stack files cannot express", () => {
    const config = (target: Record<string, unknown>) => ({
      task_routing: {
        filters: [{ filter_friendly_name: "Known", expression: "1==1", targets: [target] }],
        default_filter: { queue: WQ1 },
      },
    });
    const exported = (target: Record<string, unknown>) =>
      toStack(live(config(target))).stack.workflow?.filters?.[0]?.targets[0];
    assert.deepEqual(exported({ queue: WQ1, known_worker_sid: "task.agent" })?.knownWorker, {
      sid: "task.agent",
    });
    assert.deepEqual(
      exported({ queue: WQ1, known_worker_friendly_name: "task.name" })?.knownWorker,
      { friendlyName: "task.name" },
    );
    assert.throws(() => toStack(live(config({ queue: WQ1, known_agent: "x" }))), {
      message:
        "workflow configuration task_routing.filters[0].targets[0].known_agent: not supported by stack files",
    });
  });

  it("reports each live setting that differs from what the stack would send", () => {
    const config = { task_routing: { filters: [], default_filter: { queue: WQ2 } } };
    const { stack } = toStack(live(config));
    const spec = resolveSpec(stack, "exported.yaml");
    assert.deepEqual(compareWithLive(spec, live(config)), []);
    const drifted = live(config, (l) => {
      l.workers[0]!.attributes = '{"skills":["support"]}';
      l.queues[0]!.taskOrder = "FIFO";
      l.workflows[0]!.taskReservationTimeout = 30;
    });
    assert.deepEqual(compareWithLive(spec, drifted), [
      'worker "Ann" attributes: declared {"skills":["sales"]}, live {"skills":["support"]}',
      'queue "Sales & Support" taskOrder: declared "LIFO", live "FIFO"',
      'workflow "Routing" taskReservationTimeout: declared 45, live 30',
    ]);
  });
});
