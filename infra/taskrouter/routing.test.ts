import { strict as assert } from "node:assert";
import {
  chooseWorkers,
  compareTasks,
  countWorkers,
  inQueue,
  isEligible,
  matchFilter,
  matchingFilters,
  parseOrderBy,
  placeTask,
  routingSteps,
  skipIfHolds,
  targetAdmits,
  targetAtAge,
  type QueuedTask,
  type WorkerView,
  type WorkflowConfiguration,
} from "./routing";

const config: WorkflowConfiguration = {
  task_routing: {
    filters: [
      {
        filter_friendly_name: "Hindi",
        expression: 'selected_language == "hindi"',
        targets: [
          { queue: "WQhindi", timeout: 30, priority: "10" },
          { queue: "WQeveryone", timeout: 60 },
        ],
      },
      {
        filter_friendly_name: "VIP",
        expression: "vip == true",
        targets: [
          { queue: "WQvip", priority: 50, expression: "worker.level > 2" },
          { timeout: 20 },
        ],
      },
      {
        filter_friendly_name: "Anyone Hindi",
        expression: "selected_language IN ['hindi', 'english']",
        targets: [{ queue: "WQeveryone" }],
      },
    ],
    default_filter: { queue: "WQdefault" },
  },
};

const worker = (sid: string, extra: Partial<WorkerView> = {}): WorkerView => ({
  sid,
  friendlyName: sid.toLowerCase(),
  activitySid: "WAavailable",
  activityName: "Available",
  available: true,
  attributes: {},
  ...extra,
});

describe("routing: filters", () => {
  it("lists every matching filter in order", () => {
    assert.deepEqual(matchingFilters(config, { selected_language: "hindi" }), [0, 2]);
    assert.deepEqual(matchingFilters(config, { vip: true }), [1]);
    assert.deepEqual(matchingFilters(config, {}), []);
  });

  it("uses the first matching filter, and the default filter only when none matches", () => {
    assert.deepEqual(matchFilter(config, { selected_language: "hindi", vip: true }), {
      filterIndex: 0,
      filterName: "Hindi",
    });
    assert.deepEqual(matchFilter(config, { selected_language: "french" }), {
      filterIndex: null,
      filterName: "Default Filter",
    });
    assert.equal(matchFilter({ task_routing: { filters: [] } }, {}), null);
  });

  it("builds the route from the matching filters' targets, inheriting queues and reading string priorities", () => {
    assert.deepEqual(routingSteps(config, { selected_language: "hindi" }), [
      {
        filterIndex: 0,
        filterName: "Hindi",
        targetIndex: 0,
        queue: "WQhindi",
        priority: 10,
        timeout: 30,
      },
      { filterIndex: 0, filterName: "Hindi", targetIndex: 1, queue: "WQeveryone", timeout: 60 },
      { filterIndex: 2, filterName: "Anyone Hindi", targetIndex: 0, queue: "WQeveryone" },
      // reached only when a filter's every target is skipped (skip_if)
      {
        filterIndex: null,
        filterName: "Default Filter",
        targetIndex: 0,
        queue: "WQdefault",
        afterSkipOnly: true,
      },
    ]);
    assert.deepEqual(routingSteps(config, { vip: true }), [
      {
        filterIndex: 1,
        filterName: "VIP",
        targetIndex: 0,
        queue: "WQvip",
        priority: 50,
        expression: "worker.level > 2",
      },
      { filterIndex: 1, filterName: "VIP", targetIndex: 1, queue: "WQvip", timeout: 20 },
      {
        filterIndex: null,
        filterName: "Default Filter",
        targetIndex: 0,
        queue: "WQdefault",
        afterSkipOnly: true,
      },
    ]);
  });

  it("routes a task no filter matches to the default filter only", () => {
    assert.deepEqual(routingSteps(config, { selected_language: "french" }), [
      { filterIndex: null, filterName: "Default Filter", targetIndex: 0, queue: "WQdefault" },
    ]);
  });

  it("names unnamed filters by their position", () => {
    const steps = routingSteps(
      { task_routing: { filters: [{ expression: "1==1", targets: [{ queue: "WQa" }] }] } },
      {},
    );
    assert.equal(steps[0].filterName, "filter 1");
  });
});

describe("routing: timeouts against task age", () => {
  const steps = routingSteps(
    {
      task_routing: {
        filters: [
          {
            expression: "1==1",
            targets: [
              { queue: "WQ1", timeout: 10 },
              { queue: "WQ2", timeout: 10 },
            ],
          },
        ],
      },
    },
    {},
  );

  it("keeps the task on the first target until its timeout", () => {
    assert.deepEqual(placeTask(steps, 9), {
      kind: "step",
      index: 0,
      step: steps[0],
      enteredAt: 0,
      deadline: 10,
    });
  });

  it("measures the second target's timeout cumulatively (cutoff at age 20)", () => {
    assert.deepEqual(placeTask(steps, 10), {
      kind: "step",
      index: 1,
      step: steps[1],
      enteredAt: 10,
      deadline: 20,
    });
    assert.deepEqual(placeTask(steps, 19), {
      kind: "step",
      index: 1,
      step: steps[1],
      enteredAt: 10,
      deadline: 20,
    });
  });

  it("lets a task fall out of the workflow past its last target", () => {
    assert.deepEqual(placeTask(steps, 20), { kind: "fell-out", at: 20 });
  });

  it("continues from a known position without re-asking skip_if about the current step", () => {
    const asked: number[] = [];
    const placement = placeTask(steps, 12, {
      from: { index: 0, enteredAt: 0 },
      skip: (_s, i) => {
        asked.push(i);
        return false;
      },
    });
    assert.deepEqual(asked, [1]);
    assert.deepEqual(placement, {
      kind: "step",
      index: 1,
      step: steps[1],
      enteredAt: 10,
      deadline: 20,
    });
  });

  it("skips a step on entry without spending time on it", () => {
    const placement = placeTask(steps, 5, { skip: (_s, i) => i === 0 });
    assert.deepEqual(placement, {
      kind: "step",
      index: 1,
      step: steps[1],
      enteredAt: 0,
      deadline: 10,
    });
  });

  it("keeps a task on a target without timeout for ever", () => {
    assert.deepEqual(targetAtAge(config, { selected_language: "hindi" }, 100_000), {
      kind: "step",
      index: 2,
      step: routingSteps(config, { selected_language: "hindi" })[2],
      enteredAt: 90,
      deadline: null,
    });
  });
});

describe("routing: workers", () => {
  const shyam = worker("WKshyam", { attributes: { languages: ["hindi", "english"], level: 3 } });
  const offline = worker("WKoff", {
    attributes: { languages: ["hindi"] },
    available: false,
    activitySid: "WAoffline",
    activityName: "Offline",
  });

  it("decides queue membership by target_workers over attributes and worker fields", () => {
    assert.equal(inQueue('languages HAS "hindi"', shyam), true);
    assert.equal(inQueue('languages HAS "tamil"', shyam), false);
    assert.equal(inQueue('friendly_name == "wkshyam"', shyam), true);
    assert.equal(inQueue('activity_name == "Offline"', offline), true);
  });

  it("evaluates target expressions over task. and worker.", () => {
    assert.equal(
      targetAdmits(
        "worker.languages HAS task.selected_language",
        { selected_language: "hindi" },
        shyam,
      ),
      true,
    );
    assert.equal(
      targetAdmits(
        "worker.languages HAS task.selected_language",
        { selected_language: "tamil" },
        shyam,
      ),
      false,
    );
    assert.equal(targetAdmits(undefined, {}, shyam), true);
  });

  it("admits only available queue members the target expression accepts", () => {
    const step = { expression: "worker.level > 2" };
    assert.equal(isEligible(step, 'languages HAS "hindi"', {}, shyam), true);
    assert.equal(isEligible(step, 'languages HAS "hindi"', {}, offline), false);
    assert.equal(isEligible({ expression: "worker.level > 5" }, "1==1", {}, shyam), false);
  });

  it("counts workers for skip_if and evaluates it", () => {
    const counts = countWorkers([shyam, offline]);
    assert.deepEqual(counts, {
      available: 1,
      unavailable: 1,
      byActivity: { WAavailable: 1, WAoffline: 1 },
    });
    assert.equal(skipIfHolds("workers.available == 0", counts), false);
    assert.equal(skipIfHolds("workers.available == 0", countWorkers([offline])), true);
    assert.equal(skipIfHolds("workers.WAoffline >= 1", counts), true);
    assert.equal(skipIfHolds(undefined, countWorkers([])), false);
  });

  it("reads order_by keys and refuses anything else", () => {
    assert.deepEqual(parseOrderBy("worker.level DESC, worker.skill.rank"), [
      { path: ["level"], descending: true },
      { path: ["skill", "rank"], descending: false },
    ]);
    assert.throws(() => parseOrderBy("task.level"), {
      message:
        'order_by "task.level": cannot read "task.level" (expected worker.<attribute> [ASC|DESC], comma-separated)',
    });
  });

  it("chooses by order_by, missing values last, ties round robin", () => {
    const a = worker("WKa", { attributes: { level: 1 } });
    const b = worker("WKb", { attributes: { level: 3 } });
    const c = worker("WKc", { attributes: {} });
    const d = worker("WKd", { attributes: { level: 3 } });
    const last: Record<string, number> = { WKb: 100, WKd: 50 };
    const chosen = chooseWorkers([a, b, c, d], 4, {
      orderBy: "worker.level DESC",
      lastReservedAt: (sid) => last[sid],
    });
    assert.deepEqual(
      chosen.map((w) => w.sid),
      ["WKd", "WKb", "WKa", "WKc"],
    );
  });

  it("round robin picks never-reserved workers first, then the one reserved longest ago", () => {
    const ws = ["WKa", "WKb", "WKc"].map((s) => worker(s));
    const last: Record<string, number> = { WKa: 30, WKb: 10 };
    assert.deepEqual(
      chooseWorkers(ws, 2, { lastReservedAt: (sid) => last[sid] }).map((w) => w.sid),
      ["WKc", "WKb"],
    );
  });
});

describe("routing: queue order", () => {
  const t = (sid: string, priority: number, since: number, seq: number): QueuedTask => ({
    sid,
    priority,
    since,
    seq,
  });
  const tasks = [
    t("old-low", 0, 1, 1),
    t("new-high", 5, 3, 2),
    t("mid-low", 0, 2, 3),
    t("new-low", 0, 3, 4),
  ];

  it("serves FIFO by priority, then age", () => {
    assert.deepEqual(
      [...tasks].sort((a, b) => compareTasks("FIFO", a, b)).map((x) => x.sid),
      ["new-high", "old-low", "mid-low", "new-low"],
    );
  });

  it("serves LIFO newest first, ignoring priority", () => {
    assert.deepEqual(
      [...tasks].sort((a, b) => compareTasks("LIFO", a, b)).map((x) => x.sid),
      ["new-low", "new-high", "mid-low", "old-low"],
    );
  });
});
