// Routing engine throughput: route 10,000 tasks across 1,000 workers and 50 queues on the virtual clock.
//
// Method: one in-process Store and Engine (no HTTP server) on a VirtualClock. A single-tasking
// workspace with 50 queues (`skills HAS <n>`), 1,000 workers each in two queues (skills n and n+1
// mod 50) and a workflow with one filter per queue (`queue == <n>`, a 120 s target on queue n, then
// queue n+1) and a default filter. The assignment callback is an in-process deliverer that answers
// {"instruction":"accept"} at once (it still goes through the engine's full response checks), and
// every accepted task is completed HANDLE_SECONDS of virtual time later, which frees its worker.
// All 10,000 tasks are created at virtual time 0 (a burst, so queues are deep and every dispatch
// has to find work), spread evenly over the 50 queues; then the clock is run until every task is
// completed. Reported: wall time of the routing run (task creation included, setup excluded),
// tasks per wall second, the virtual time it took, the number of reservations, and the process's
// peak resident set size (getrusage maxRSS, the whole process, so it includes Node itself).
// Compare numbers from the same machine only.
import { VirtualClock, VIRTUAL_EPOCH } from "../emulator";
import { Engine } from "../emulator";
import type { Deliver } from "../emulator";
import { Store } from "../emulator";

export const TASKS = 10_000;
export const WORKERS = 1_000;
export const QUEUES = 50;
export const HANDLE_SECONDS = 60;

export interface EngineBench {
  tasks: number;
  workers: number;
  queues: number;
  wallMs: number;
  tasksPerSecond: number;
  virtualSeconds: number;
  reservations: number;
  peakRssMb: number;
}

export async function benchEngine(): Promise<EngineBench> {
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
  for (let i = 0; i < WORKERS; i++) {
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

  const started = process.hrtime.bigint();
  for (let i = 0; i < TASKS; i++) {
    store.createTask(ws, {
      workflowSid: workflow,
      attributes: JSON.stringify({ queue: i % QUEUES }),
    });
  }
  const done = await clock.runUntil(() => completed === TASKS, 24 * 3600 * 1000);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  engine.stop();
  if (!done) throw new Error(`bench: only ${completed} of ${TASKS} tasks completed`);
  return {
    tasks: TASKS,
    workers: WORKERS,
    queues: QUEUES,
    wallMs: Math.round(wallMs),
    tasksPerSecond: Math.round((TASKS / wallMs) * 1000),
    virtualSeconds: (clock.now() - VIRTUAL_EPOCH) / 1000,
    reservations,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (require.main === module) {
  benchEngine().then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
