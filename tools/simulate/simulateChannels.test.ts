import { strict as assert } from "node:assert";
import { resolveCallFlow } from "../../infra/taskrouter/loadStack";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";
import { parseScenario } from "./scenario";
import { simulate } from "./simulate";

/** One queue for everyone and one worker, Ann, in a multitasking workspace. */
function centre(annChannels?: Record<string, number>): ContactCentreSpec {
  return {
    source: "test.yaml",
    workspace: { friendlyName: "Sim", multitasking: true, queueOrder: "FIFO", events: false },
    activities: { Offline: { available: false }, Available: { available: true } },
    defaultActivity: "Offline",
    timeoutActivity: "Offline",
    postWorkActivity: "Offline",
    workers: {
      Ann: {
        activity: "Available",
        attributes: {},
        ...(annChannels !== undefined && { channels: annChannels }),
      },
    },
    queues: {
      q: { friendlyName: "Q", targetWorkers: "1==1", taskOrder: "FIFO", maxReservedWorkers: 1 },
    },
    workflow: {
      friendlyName: "Routing",
      reservationTimeout: 120,
      filters: [],
      defaultTarget: { queue: "q" },
    },
    ...resolveCallFlow({
      phone: {
        number: "+15555550100",
        ivr: {
          greeting: "Hi",
          voice: "Polly.Joanna",
          language: "en-US",
          options: {},
          defaultAttributes: {},
        },
      },
    }),
  };
}

const twoAtOnce = parseScenario("test-scenario.yaml", {
  name: "test",
  start: "08:00",
  end: "09:00",
  handleTime: 60,
  arrivals: [{ caller: { attributes: {} }, at: ["08:00", "08:00"] }],
});

describe("what-if simulation: worker channel capacity", () => {
  it("answers two simultaneous callers at once when the worker's voice capacity is 2", async () => {
    // Simulated calls are on the voice channel, as <Enqueue>'s tasks are; capacity 2 lets Ann take both.
    const report = await simulate(centre({ voice: 2 }), twoAtOnce, 1);
    assert.deepEqual([report.queues.q!.answered, report.queues.q!.meanWait], [2, 0]);
  });

  it("capacity on another channel (default: 3) does not let a second call in", async () => {
    const report = await simulate(centre({ default: 3 }), twoAtOnce, 1);
    assert.deepEqual([report.queues.q!.answered, report.queues.q!.meanWait], [2, 30]);
  });

  it("makes the second caller wait one call at Twilio's default capacity of 1", async () => {
    const report = await simulate(centre(), twoAtOnce, 1);
    assert.deepEqual([report.queues.q!.answered, report.queues.q!.meanWait], [2, 30]);
  });
});
