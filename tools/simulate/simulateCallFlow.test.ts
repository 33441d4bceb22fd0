import { strict as assert } from "node:assert";
import { checkStackText, loadStack } from "../../infra/taskrouter/loadStack";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";
import { CALL_COUNT_FIELDS, countCalls, type CallCounts } from "./calls";
import { parseScenario, readScenario } from "./scenario";
import { renderSimulationMarkdown } from "./report";
import { simulate, type SimulationReport } from "./simulate";

// Two lines: support (Mon–Fri 09:00–17:00 London, Christmas closed; at 120 s, or 30 s for option 2,
// the caller is offered a callback or voicemail) and sales (always open; its queue has nobody and
// times out after 60 s, and sales offers nothing then). One agent, Ann, takes everything.
const STACK = `workspace: { friendlyName: Sim }
activities:
  Offline: { available: false }
  Available: { available: true }
defaultActivity: Offline
timeoutActivity: Offline
postWorkActivity: Offline
workers:
  Ann: { activity: Available, attributes: { skills: [support] } }
queues:
  support: { friendlyName: Support, targetWorkers: skills HAS "support" }
  sales: { friendlyName: Sales, targetWorkers: skills HAS "sales" }
workflow:
  friendlyName: Routing
  filters:
    - name: Sales
      expression: line == "sales"
      targets: [{ queue: sales, timeout: 60 }]
  defaultTarget: { queue: support }
  allowWaitingForever: true
lines:
  support:
    number: "+15555550100"
    ivr:
      greeting: Support
      options:
        "1": { label: Help, attributes: { team: support } }
        "2": { label: Quick, attributes: { team: support }, maxWait: 30 }
    hours:
      timeZone: Europe/London
      weekly: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"], sun: ["09:00-17:00"] }
      closures: [{ name: Christmas Day, date: 2026-12-25 }]
      closedMessage: We are closed.
    whenClosed: [voicemail, callback]
    maxWait: 120
    whenNobodyAnswers: [callback, voicemail]
  sales:
    number: "+15555550200"
    ivr:
      greeting: Sales
      options:
        "1": { label: Buy, attributes: { team: sales } }
    whenNobodyAnswers: []
`;

function twoLines(text = STACK, file = "two-lines.yaml"): ContactCentreSpec {
  const { spec, problems } = checkStackText(file, text);
  assert.deepEqual(
    problems.filter((p) => p.severity === "error"),
    [],
  );
  return spec as ContactCentreSpec;
}

const scenario = (data: Record<string, unknown>) =>
  parseScenario("test-scenario.yaml", { name: "test", handleTime: 300, ...data });

const support = (at: string[], more: Record<string, unknown> = {}) => ({
  caller: { ivr: "1" },
  at,
  ...more,
});

/** The sum that every report must keep: each caller ends in exactly one way. */
function assertConserved(r: SimulationReport, label: string): void {
  const t = r.totals;
  const ends = (c: Omit<typeof t, "arrivals"> | SimulationReport["lines"][string]) =>
    c.answered + c.abandoned + c.voicemails + c.callbacks + c.noExit + c.waitingAtEnd;
  assert.equal(ends(t), t.arrivals, `${label}: totals`);
  for (const [key, c] of [...Object.entries(r.lines), ...Object.entries(r.hours)]) {
    assert.equal(ends(c), c.calls, `${label}: ${key}`);
    assert.ok(c.outOfHours <= c.voicemails + c.callbacks + c.noExit, `${label}: ${key} closed`);
  }
  const sum = (rows: Record<string, { calls: number }>, f: (c: never) => number) =>
    Object.values(rows).reduce((n, c) => n + f(c as never), 0);
  for (const rows of [r.lines, r.hours]) {
    for (const field of CALL_COUNT_FIELDS) {
      const total = field === "calls" ? t.arrivals : t[field];
      assert.equal(
        sum(rows, (c: Record<string, number>) => c[field]!),
        total,
        `${label}: ${field}`,
      );
    }
  }
  const queues = Object.values(r.queues);
  const q = (f: (x: (typeof queues)[number]) => number) => queues.reduce((n, x) => n + f(x), 0);
  // Every queued call ends in its queue answered, abandoned, at the maximum wait, dropped by the
  // workflow or waiting; every visit of a queue ends so or escalates.
  assert.deepEqual(
    [q((x) => x.answered), q((x) => x.abandoned), q((x) => x.leftAtMaxWait), q((x) => x.dropped)],
    [t.answered, t.abandoned, t.leftAtMaxWait, t.dropped],
    `${label}: queues`,
  );
  assert.equal(
    q((x) => x.waitingAtEnd),
    t.waitingAtEnd,
    `${label}: waiting`,
  );
  assert.equal(
    q((x) => x.tasks),
    q(
      (x) =>
        x.answered + x.abandoned + x.leftAtMaxWait + x.dropped + x.escalations + x.waitingAtEnd,
    ),
    `${label}: queue visits`,
  );
  // A voicemail or callback from a queue was left by someone who left that queue unanswered.
  assert.ok(q((x) => x.voicemails + x.callbacks) <= t.leftAtMaxWait + t.dropped, label);
  assert.equal(
    r.followUps.voicemail.tasks + r.followUps.callback.tasks,
    t.voicemails + t.callbacks,
    `${label}: follow-up tasks`,
  );
  for (const f of Object.values(r.followUps))
    assert.equal(f.answered + f.dropped + f.waitingAtEnd, f.tasks, `${label}: follow-ups`);
}

describe("what-if simulation: hours, maximum wait, voicemail and callback", () => {
  it("accounts for a scripted Monday exactly, every caller ending in one way", async () => {
    // Ann takes 300 s per task. Hand-worked:
    // 08:30 closed → voicemail (task answered at once); 08:40 closed → hangs up at the menu;
    // 09:00 answered; 09:01 leaves at 09:03 (120 s) → callback, answered 09:05 (waited 120 s);
    // 09:02 hangs up at 09:03; 09:04 sales: the workflow ends at 09:05, sales offers nothing;
    // 09:06 option 2 leaves at 09:06:30 → voicemail, answered 09:10 (waited 210 s);
    // 09:12 leaves at 09:14 → the first exit offered, callback, answered 09:15 (waited 60 s);
    // 09:57 answered; 09:59 still waiting at 10:00.
    const report = await simulate(
      twoLines(),
      scenario({
        date: "2026-12-07",
        start: "08:00",
        end: "10:00",
        arrivals: [
          support(["08:30"], { exits: { voicemail: 1 } }),
          support(["08:40"], { exits: { hangUp: 1 } }),
          support(["09:00", "09:12", "09:57", "09:59"]),
          support(["09:01"], { exits: { callback: 1 } }),
          support(["09:02"], { patience: 60 }),
          { caller: { ivr: "1" }, line: "sales", at: ["09:04"] },
          { caller: { ivr: "2" }, at: ["09:06"], exits: { voicemail: 1 } },
        ],
      }),
      1,
    );
    assert.deepEqual([report.date, report.timeZone], ["2026-12-07", "Europe/London"]);
    assert.deepEqual(report.totals, {
      arrivals: 10,
      answered: 2,
      abandoned: 1,
      voicemails: 2,
      callbacks: 2,
      noExit: 2,
      waitingAtEnd: 1,
      outOfHours: 2,
      leftAtMaxWait: 3,
      dropped: 1,
      meanWait: 0,
      p90Wait: 0,
    });
    const counts = (c: Partial<CallCounts>): CallCounts => ({ ...countCalls([]), ...c });

    assert.deepEqual(report.lines, {
      support: counts({
        calls: 9,
        answered: 2,
        abandoned: 1,
        voicemails: 2,
        callbacks: 2,
        noExit: 1,
        waitingAtEnd: 1,
        outOfHours: 2,
      }),
      sales: counts({ calls: 1, noExit: 1 }),
    });
    assert.deepEqual(report.hours, {
      "08:00": counts({ calls: 2, voicemails: 1, noExit: 1, outOfHours: 2 }),
      "09:00": counts({
        calls: 8,
        answered: 2,
        abandoned: 1,
        voicemails: 1,
        callbacks: 2,
        noExit: 1,
        waitingAtEnd: 1,
      }),
    });
    assert.deepEqual(report.queues.support, {
      tasks: 7,
      answered: 2,
      answeredInTime: 2,
      meanWait: 0,
      p90Wait: 0,
      maxWait: 0,
      abandoned: 1,
      escalations: 0,
      leftAtMaxWait: 3,
      dropped: 0,
      waitingAtEnd: 1,
      voicemails: 1,
      callbacks: 2,
    });
    assert.deepEqual(report.queues.sales, {
      tasks: 1,
      answered: 0,
      answeredInTime: 0,
      meanWait: null,
      p90Wait: null,
      maxWait: null,
      abandoned: 0,
      escalations: 0,
      leftAtMaxWait: 0,
      dropped: 1,
      waitingAtEnd: 0,
      voicemails: 0,
      callbacks: 0,
    });
    assert.deepEqual(report.followUps, {
      voicemail: { tasks: 2, answered: 2, meanWait: 105, dropped: 0, waitingAtEnd: 0 },
      callback: { tasks: 2, answered: 2, meanWait: 90, dropped: 0, waitingAtEnd: 0 },
    });
    // Two calls, two voicemails and two callbacks, five whole and one cut at 10:00 (09:57 + 180 s).
    assert.deepEqual(report.workers.Ann, {
      tasks: 6,
      busySeconds: 1680,
      onShiftSeconds: 7200,
      utilisation: 0.233,
    });
    assertConserved(report, "scripted Monday");
  });

  it("treats the whole of a closure day as out of hours", async () => {
    const report = await simulate(
      twoLines(),
      scenario({
        date: "2026-12-25",
        start: "09:00",
        end: "17:00",
        arrivals: [support(["10:00", "12:00"], { exits: { callback: 1 } })],
      }),
      1,
    );
    assert.deepEqual(
      [report.totals.outOfHours, report.totals.callbacks, report.followUps.callback.answered],
      [2, 2, 2],
    );
  });

  it("judges hours on the line's wall clock across a daylight-saving change and in another zone", async () => {
    // Sunday 29 March 2026: London's clocks go forward at 01:00 UTC. 08:59 is closed, 09:00 open.
    const dst = await simulate(
      twoLines(),
      scenario({
        date: "2026-03-29",
        start: "08:00",
        end: "10:00",
        arrivals: [support(["08:59", "09:00"], { exits: { hangUp: 1 } })],
      }),
      1,
    );
    assert.deepEqual([dst.totals.outOfHours, dst.totals.answered], [1, 1]);
    // The scenario's times in UTC: 07:59 UTC is 08:59 in London in summer (closed), 08:00 is 09:00.
    const utc = await simulate(
      twoLines(),
      scenario({
        date: "2026-07-06",
        timeZone: "UTC",
        start: "07:00",
        end: "09:00",
        arrivals: [support(["07:59", "08:00"], { exits: { hangUp: 1 } })],
      }),
      1,
    );
    assert.deepEqual([utc.totals.outOfHours, utc.totals.answered, utc.timeZone], [1, 1, "UTC"]);
  });

  it("shows before → after what opening earlier and a longer maximum wait do", async () => {
    // Base: support opens at 09:00 on Mondays and offers the exits at 120 s. Head: opens at 08:30,
    // offers them at 300 s. Ann takes 300 s per task. Base: 08:45 closed → voicemail (answered at
    // once); 09:00 answered; 09:01 leaves at 09:03 → callback, answered 09:05 (waited 120 s).
    // Head: 08:45 answered; 09:00 answered; 09:01 answered at 09:05 (waited 240 s < 300 s).
    const head = twoLines(
      STACK.replace('mon: ["09:00-17:00"]', 'mon: ["08:30-17:00"]').replace(
        "maxWait: 120",
        "maxWait: 300",
      ),
      "head.yaml",
    );
    const day = scenario({
      date: "2026-12-07",
      start: "08:00",
      end: "10:00",
      arrivals: [
        support(["08:45"], { exits: { voicemail: 1 } }),
        support(["09:00"]),
        support(["09:01"], { exits: { callback: 1 } }),
      ],
    });
    const before = await simulate(twoLines(), day, 1);
    const after = await simulate(head, day, 1);
    const md = renderSimulationMarkdown(after, before).split("\n");
    const row = (first: string) => md.find((l) => l.startsWith(`| ${first} |`));
    assert.equal(
      md[2],
      "Before `two-lines.yaml` → after `head.yaml`; `test-scenario.yaml`, 2026-12-07 08:00–10:00 (Europe/London), seed 1, 3 callers, the same callers on both sides.",
    );
    assert.equal(
      row("support"),
      "| support | 2 → 3 (+1) | 1 → 3 (+2) | 0 s → 80 s (+80 s) | 0 s → 240 s (+240 s) | 0 | 0% | 0 | 1 → 0 (−1) | 0 | 0 | 1 → 0 (−1) | 0 |",
    );
    const lines = md.findIndex((l) => l.startsWith("| line |"));
    assert.deepEqual(md.slice(lines + 2, lines + 5), [
      "| support | 3 | 1 → 3 (+2) | 0 | 1 → 0 (−1) | 1 → 0 (−1) | 0 | 0 | 1 → 0 (−1) |",
      "| sales | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
      "| **all callers** | 3 | 1 → 3 (+2) | 0 | 1 → 0 (−1) | 1 → 0 (−1) | 0 | 0 | 1 → 0 (−1) |",
    ]);
    assert.deepEqual(
      [row("08:00"), row("09:00")],
      [
        "| 08:00 | 1 | 0 → 1 (+1) | 0 | 1 → 0 (−1) | 0 | 0 | 0 | 1 → 0 (−1) |",
        "| 09:00 | 2 | 1 → 2 (+1) | 0 | 0 | 1 → 0 (−1) | 0 | 0 | 0 |",
      ],
    );
    assert.deepEqual(
      [row("voicemail"), row("callback")],
      [
        "| voicemail | 1 → 0 (−1) | 1 → 0 (−1) | 0 s → — | 0 | 0 |",
        "| callback | 1 → 0 (−1) | 1 → 0 (−1) | 120 s → — | 0 | 0 |",
      ],
    );
  });

  it("keeps the sum on seeded random days of the dev centre and of two lines with every exit", async () => {
    const dev = loadStack("stacks/dev.yaml").spec;
    for (const file of [
      "stacks/scenarios/dev-normal-day.yaml",
      "stacks/scenarios/dev-peak-hour.yaml",
    ]) {
      for (const seed of [1, 2, 3]) {
        assertConserved(await simulate(dev, readScenario(file), seed), `${file} seed ${seed}`);
      }
    }
    const busy = scenario({
      date: "2026-12-07",
      start: "07:00",
      end: "12:00",
      handleTime: { exponential: 180 },
      patience: { exponential: 200 },
      exits: { voicemail: 2, callback: 1, hangUp: 1 },
      arrivals: [
        { caller: { ivr: "1" }, window: ["07:00", "12:00"], perHour: 6 },
        { caller: { ivr: "2" }, window: ["08:00", "11:00"], perHour: 4 },
        { caller: { ivr: "1" }, line: "sales", window: ["07:00", "12:00"], perHour: 2 },
      ],
    });
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await simulate(twoLines(), busy, seed);
      assertConserved(r, `two lines seed ${seed}`);
      // Each way of ending happens on such a day, so the sum is not kept by leaving some out.
      const t = r.totals;
      for (const n of [t.answered, t.abandoned, t.voicemails, t.callbacks, t.noExit, t.outOfHours])
        assert.ok(n > 0, `two lines seed ${seed}: ${JSON.stringify(t)}`);
    }
  });
});
