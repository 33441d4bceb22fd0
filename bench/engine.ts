// Routing engine throughput on the virtual clock: a burst of 10,000 tasks, and a day of 100,000 tasks
// with 1,000 workers and 50 queues (issue #16: ≤ 10 s on 2 cores), with a growth check beside it.
//
// Method: one in-process Store and Engine (no HTTP server) on a VirtualClock. A single-tasking
// workspace with 50 queues (`skills HAS <n>`), the workers each in two queues (skills n and n+1
// mod 50) and a workflow with one filter per queue (`queue == <n>`, a 120 s target on queue n, then
// queue n+1) and a default filter. The assignment callback is an in-process deliverer that answers
// {"instruction":"accept"} at once (it still goes through the engine's full response checks), and
// every accepted task is completed HANDLE_SECONDS of virtual time later, which frees its worker.
// Tasks go to the 50 queues in turn. Burst: all tasks are created at virtual time 0 (queues are
// deep and every dispatch has to find work). Day: the tasks arrive evenly spaced over 24 virtual
// hours, each created by a clock timer (one pending at a time), so queues are short and most work is
// finding a free member for each arrival; this is what `routing:simulate` does for a day.
// The clock is run until every task is completed. Reported per run: wall time of the routing run
// (task creation included, setup excluded), tasks per wall second, the virtual time it took, the
// number of reservations; and the process's peak resident set size (getrusage maxRSS, so Node
// itself included). Each day runs in a process of its own, as `routing:simulate` runs one day, so
// no run inherits another's heap or garbage and each peak RSS is that run's (the burst runs in the
// bench process).
//
// Growth check: the day is also run with 25,000 and 50,000 tasks (1,000 workers) and with 500
// workers (100,000 tasks), one after another, and wall time is compared as ratios: linear in tasks
// means 50k/25k ≈ 2 and 100k/50k ≈ 2 (the day's arrivals are denser, not longer); at most linear
// in workers means 1,000/500 ≤ 2. Compare numbers from the same machine only.
//
// Each run also reports its CPU time (user + system of the process during the run) and the V8 heap
// in use at its end (garbage included). On a shared machine wall time follows the other load, so
// compare a change as a pair: check the old commit out beside the new one (`git archive <old> | tar
// -x -C <dir>`, node_modules linked, this file copied in), run `node -r ts-node/register/transpile-only
// bench/engine.ts 100000 1000 day` in old and new alternately, two rounds, and compare the ratios
// of the pairs, each with the load average it ran under.
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { VirtualClock, VIRTUAL_EPOCH } from "../emulator";
import { Engine } from "../emulator";
import type { Deliver } from "../emulator";
import { Store } from "../emulator";

export const TASKS = 10_000;
export const DAY_TASKS = 100_000;
export const WORKERS = 1_000;
export const QUEUES = 50;
export const HANDLE_SECONDS = 60;
const DAY_MS = 24 * 3600 * 1000;

export interface EngineRun {
  tasks: number;
  workers: number;
  queues: number;
  wallMs: number;
  /** CPU time of the process during the run (user + system): less disturbed by other load than wall time. */
  cpuMs: number;
  tasksPerSecond: number;
  virtualSeconds: number;
  reservations: number;
  /** V8 heap in use at the end of the run, the engine and its store still alive (garbage included). */
  heapUsedMb: number;
}

export interface EngineBench extends EngineRun {
  peakRssMb: number;
}

export interface EngineDayBench {
  day: EngineBench;
  growth: {
    runs: EngineBench[];
    /** Wall-time ratios: 50k/25k, 100k/50k tasks (1,000 workers); 1,000/500 workers (100k tasks). */
    tasks50kOver25k: number;
    tasks100kOver50k: number;
    workers1000Over500: number;
  };
  loadAverage1m: number;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export async function benchEngine(): Promise<EngineBench> {
  const run = await routeTasks({ tasks: TASKS, workers: WORKERS, arrivals: "burst" });
  return { ...run, peakRssMb: peakRssMb() };
}

/** One day in a process of its own (this file run as a script), as `routing:simulate` runs one. */
async function dayInOwnProcess(tasks: number, workers: number): Promise<EngineBench> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", __filename, String(tasks), String(workers), "day"],
    { cwd: path.join(__dirname, ".."), maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as EngineBench;
}

export async function benchEngineDay(): Promise<EngineDayBench> {
  const t25 = await dayInOwnProcess(25_000, WORKERS);
  const t50 = await dayInOwnProcess(50_000, WORKERS);
  const full = await dayInOwnProcess(DAY_TASKS, WORKERS);
  const w500 = await dayInOwnProcess(DAY_TASKS, 500);
  const ratio = (a: EngineRun, b: EngineRun) => Math.round((b.wallMs / a.wallMs) * 100) / 100;
  return {
    day: full,
    growth: {
      runs: [t25, t50, full, w500],
      tasks50kOver25k: ratio(t25, t50),
      tasks100kOver50k: ratio(t50, full),
      workers1000Over500: ratio(w500, full),
    },
    loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10,
  };
}

export async function routeTasks(opts: {
  tasks: number;
  workers: number;
  arrivals: "burst" | "day";
}): Promise<EngineRun> {
  const { tasks, workers } = opts;
  const clock = new VirtualClock(VIRTUAL_EPOCH);
  const store = new Store({ accountSid: "AC" + "0".repeat(32), numbers: [] });
  const accept: Deliver = async () => ({
    status: 200,
    headers: { "content-type": "application/json" },
    body: '{"instruction":"accept"}',
  });
  const engine = new Engine(store, { clock, authToken: "bench", deliver: accept });

  const ws = store.createWorkspace({ friendlyName: "bench", multiTaskEnabled: false }).sid;
  const available = [...store.activities.values()].find(
    (a) => a.workspaceSid === ws && a.available,
  )!;
  const queues: string[] = [];
  for (let n = 0; n < QUEUES; n++) {
    const q = store.createTaskQueue(ws, {
      friendlyName: `Q${n}`,
      targetWorkers: `skills HAS ${n}`,
    });
    queues.push(q.sid);
  }
  for (let i = 0; i < workers; i++) {
    const skills = [i % QUEUES, (i + 1) % QUEUES];
    store.createWorker(ws, {
      friendlyName: `W${i}`,
      activitySid: available.sid,
      attributes: JSON.stringify({ skills }),
    });
  }
  const filters = queues.map((sid, n) => ({
    filter_friendly_name: `F${n}`,
    expression: `queue == ${n}`,
    targets: [{ queue: sid, timeout: 120 }, { queue: queues[(n + 1) % QUEUES] }],
  }));
  const workflow = store.createWorkflow(ws, {
    friendlyName: "bench",
    configuration: JSON.stringify({
      task_routing: { filters, default_filter: { queue: queues[0] } },
    }),
    assignmentCallbackUrl: "http://bench.invalid/assignment",
  }).sid;

  let completed = 0;
  let reservations = 0;
  store.events.on("reservation.created", () => reservations++);
  store.events.on("reservation.updated", ({ reservation, previous }) => {
    if (reservation.reservationStatus !== "accepted" || previous.reservationStatus !== "pending")
      return;
    clock.setTimer(clock.now() + HANDLE_SECONDS * 1000, () => {
      store.updateTask(ws, reservation.taskSid, {
        assignmentStatus: "completed",
        reason: "handled",
      });
      completed++;
    });
  });
  const create = (i: number) =>
    store.createTask(ws, {
      workflowSid: workflow,
      attributes: JSON.stringify({ queue: i % QUEUES }),
    });

  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  if (opts.arrivals === "burst") {
    for (let i = 0; i < tasks; i++) create(i);
  } else {
    const arrive = (i: number) => {
      create(i);
      if (i + 1 < tasks)
        clock.setTimer(VIRTUAL_EPOCH + Math.floor(((i + 1) * DAY_MS) / tasks), () => arrive(i + 1));
    };
    clock.setTimer(VIRTUAL_EPOCH, () => arrive(0));
  }
  const done = await clock.runUntil(() => completed === tasks, 2 * DAY_MS);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const heapUsedMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  engine.stop();
  if (!done) throw new Error(`bench: only ${completed} of ${tasks} tasks completed`);
  return {
    tasks,
    workers,
    queues: QUEUES,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    tasksPerSecond: Math.round((tasks / wallMs) * 1000),
    virtualSeconds: (clock.now() - VIRTUAL_EPOCH) / 1000,
    reservations,
    heapUsedMb,
  };
}

if (require.main === module) {
  const [tasks = String(DAY_TASKS), workers = String(WORKERS), arrivals = "day"] =
    process.argv.slice(2);
  routeTasks({
    tasks: Number(tasks),
    workers: Number(workers),
    arrivals: arrivals === "burst" ? "burst" : "day",
  }).then(
    (r) => process.stdout.write(`${JSON.stringify({ ...r, peakRssMb: peakRssMb() }, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
