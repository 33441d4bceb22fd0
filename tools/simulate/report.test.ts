import { strict as assert } from "node:assert";
import { captureIo } from "../testIo";
import { run } from "../commands/simulate";
import { renderSimulationMarkdown, renderWallboard } from "./report";
import { countCalls, type CallCounts } from "./calls";
import type { QueueReport, SimulationReport } from "./simulate";

const queue = (q: Partial<QueueReport>): QueueReport => ({
  tasks: 0,
  answered: 0,
  answeredInTime: 0,
  meanWait: null,
  p90Wait: null,
  maxWait: null,
  abandoned: 0,
  escalations: 0,
  leftAtMaxWait: 0,
  dropped: 0,
  waitingAtEnd: 0,
  voicemails: 0,
  callbacks: 0,
  ...q,
});

const calls = (c: Partial<CallCounts>): CallCounts => ({ ...countCalls([]), ...c });

const report: SimulationReport = {
  stack: "stacks/x.yaml",
  scenario: "stacks/scenarios/x.yaml",
  name: "A day",
  seed: 7,
  start: "08:00",
  end: "09:00",
  serviceLevelSeconds: 30,
  date: "2026-12-07",
  timeZone: "Europe/London",
  totals: {
    arrivals: 14,
    answered: 8,
    abandoned: 2,
    voicemails: 1,
    callbacks: 1,
    noExit: 1,
    waitingAtEnd: 1,
    outOfHours: 2,
    leftAtMaxWait: 1,
    dropped: 0,
    meanWait: 14.2,
    p90Wait: 40,
  },
  queues: {
    sales: queue({
      tasks: 10,
      answered: 5,
      answeredInTime: 4,
      meanWait: 9.5,
      p90Wait: 31,
      maxWait: 31,
      abandoned: 2,
      escalations: 1,
      leftAtMaxWait: 1,
      waitingAtEnd: 1,
    }),
    support: queue({
      tasks: 3,
      answered: 3,
      answeredInTime: 2,
      meanWait: 23.6,
      p90Wait: 40,
      maxWait: 40,
    }),
  },
  lines: {
    main: calls({
      calls: 12,
      answered: 7,
      abandoned: 2,
      voicemails: 1,
      noExit: 1,
      waitingAtEnd: 1,
      outOfHours: 1,
    }),
    sales: calls({ calls: 2, answered: 1, callbacks: 1, outOfHours: 1 }),
  },
  hours: {
    "08:00": calls({
      calls: 14,
      answered: 8,
      abandoned: 2,
      voicemails: 1,
      callbacks: 1,
      noExit: 1,
      waitingAtEnd: 1,
      outOfHours: 2,
    }),
  },
  followUps: {
    voicemail: { tasks: 1, answered: 1, meanWait: 0, dropped: 0, waitingAtEnd: 0 },
    callback: { tasks: 1, answered: 0, meanWait: null, dropped: 0, waitingAtEnd: 1 },
  },
  workers: {},
};

describe("simulation report", () => {
  it("shows where every caller ended, by line and by local hour, and the voicemail and callback tasks", () => {
    const md = renderSimulationMarkdown(report).split("\n");
    assert.equal(
      md[2],
      "`stacks/x.yaml`; `stacks/scenarios/x.yaml`, 2026-12-07 08:00–09:00 (Europe/London), seed 7, 14 callers.",
    );
    const at = md.indexOf(
      "| line | calls | answered | abandoned | voicemail | callback | no exit | waiting at end | out of hours |",
    );
    assert.deepEqual(md.slice(at, at + 16), [
      "| line | calls | answered | abandoned | voicemail | callback | no exit | waiting at end | out of hours |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      "| main | 12 | 7 | 2 | 1 | 0 | 1 | 1 | 1 |",
      "| sales | 2 | 1 | 0 | 0 | 1 | 0 | 0 | 1 |",
      "| **all callers** | 14 | 8 | 2 | 1 | 1 | 1 | 1 | 2 |",
      "",
      "| hour | calls | answered | abandoned | voicemail | callback | no exit | waiting at end | out of hours |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      "| 08:00 | 14 | 8 | 2 | 1 | 1 | 1 | 1 | 2 |",
      "",
      "| follow-up task | tasks | answered | mean wait | dropped | waiting at end |",
      "|---|---:|---:|---:|---:|---:|",
      "| voicemail | 1 | 1 | 0 s | 0 | 0 |",
      "| callback | 1 | 0 | — | 0 | 1 |",
      "",
      "| worker | tasks | busy | on shift | utilisation |",
    ]);
    // The queues together: the 12 callers in hours (14 less 2 out of hours).
    assert.equal(
      md.find((l) => l.startsWith("| **all queues** |")),
      "| **all queues** | 12 | 8 | 14.2 s | 40 s | 2 | 16.7% | 1 | 1 | 0 | 0 | 0 | 1 |",
    );
  });
});

describe("simulation wallboard", () => {
  it("shows each queue's statistics and the service level over the calls that ended there", () => {
    // sales: 4 within 30 s of 5 answered + 2 abandoned + 1 left at the maximum wait = 50%;
    // support: 2 of 3 = 66.7%; all queues (the 12 callers in hours): 6 of 8 + 2 + 1 = 54.5%.
    assert.equal(
      renderWallboard(report),
      [
        "## Wallboard: A day",
        "",
        "`stacks/x.yaml`; `stacks/scenarios/x.yaml`, 2026-12-07 08:00–09:00 (Europe/London), seed 7, at 09:00.",
        "",
        "| queue | offered | answered | within 30 s | service level | avg wait | longest wait | abandoned | left at max wait | escalated | waiting |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| sales | 10 | 5 | 4 | 50% | 9.5 s | 31 s | 2 | 1 | 1 | 1 |",
        "| support | 3 | 3 | 2 | 66.7% | 23.6 s | 40 s | 0 | 0 | 0 | 0 |",
        "| **all queues** | 12 | 8 | 6 | 54.5% | 14.2 s | 40 s | 2 | 1 | 1 | 1 |",
        "",
        "Offered: calls that waited in the queue (`tasks_entered`). Within 30 s: answered within 30 s of reaching TaskRouter " +
          "(`split_by_wait_time` 30, below). Service level: within 30 s ÷ calls that ended in the queue (answered, abandoned, left at the maximum wait or dropped). " +
          "Waits: from the call reaching TaskRouter to an agent accepting (`wait_duration_until_accepted`). " +
          "Left at max wait: callers still waiting at the line's maxWait, offered voicemail or a callback. " +
          "Escalated: moved on by a target's timeout (`tasks_moved`). Waiting: pending or reserved at the end.",
        "",
      ].join("\n"),
    );
  });

  it("prints the wallboard of one run and refuses it with --json or --against", async () => {
    const c = captureIo();
    const peak = "stacks/scenarios/dev-peak-hour.yaml";
    assert.equal(await run(["stacks/dev.yaml", "--scenario", peak, "--wallboard"], c.io), 0);
    assert.match(c.out(), /^## Wallboard: Dev centre, peak hour\n/);
    assert.match(c.out(), /\n\| \*\*all queues\*\* \| 46 \| /);
    const usage =
      "usage: npm run routing:simulate -- <stack> --scenario <file> [--against <base>] [--seed <n>] [--json | --wallboard]";
    assert.equal(
      await run(["stacks/dev.yaml", "--scenario", peak, "--wallboard", "--json"], c.io),
      2,
    );
    assert.equal(
      await run(
        ["stacks/dev.yaml", "--scenario", peak, "--wallboard", "--against", "stacks/dev.yaml"],
        c.io,
      ),
      2,
    );
    assert.equal(
      c.err(),
      `--wallboard shows one run: leave out --json and --against; ${usage}\n`.repeat(2),
    );
  });
});
