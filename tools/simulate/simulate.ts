// What-if simulation: a scenario's day of calls routed by the local Twilio's own routing engine
// (emulator/taskrouter/engine.ts) on a virtual clock, in-process. The stack is set up in the emulator's store
// as the providers would set it up in Twilio; the assignment callback is answered in-process with
// `accept`; handle and wrap-up end the task through the same operations the REST API offers.
// Deterministic: every random draw comes from one seeded PRNG, made before the run.
import { cumulative, realTime, VirtualClock, VIRTUAL_EPOCH } from "../../emulator";
import { Engine } from "../../emulator";
import type { WebhookRequest, WebhookResponse } from "../../emulator";
import { prng } from "../../emulator";
import { Store, type ReservationRec } from "../../emulator";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";
import { planCentre, withQueueSids } from "../../infra/taskrouter/plan";
import type { Distribution, Scenario } from "./scenario";

const ACCOUNT_SID = "AC" + "5".repeat(32);
const AUTH_TOKEN = "simulator";
const ASSIGNMENT_URL = "https://simulator.invalid/assignment";
const ABANDON_REASON = "caller hung up";
const DONE_REASON = "call ended";
/** "Answered within 30 s": the threshold of the queues' service level (SplitByWaitTime). */
export const SERVICE_LEVEL_SECONDS = 30;

export function draw(d: Distribution, random: () => number): number {
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "exponential":
      return -d.mean * Math.log(1 - random());
    case "uniform":
      return d.min + (d.max - d.min) * random();
    case "normal": {
      // Box–Muller; negative draws are cut at zero (a call cannot take less than no time).
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.max(0, d.mean + d.sd * z);
    }
  }
}

/** One caller: when they call, who they are, and the draws that decide their call. */
export interface Arrival {
  /** Seconds since midnight. */
  at: number;
  stream: number;
  caller: Scenario["arrivals"][number]["caller"];
  handle: number;
  wrapUp: number;
  /** Seconds the caller waits before hanging up; Infinity = never. */
  patience: number;
}

/** The scenario's arrivals in time order, every draw made up front from the seed. */
export function generateArrivals(scenario: Scenario, seed: number): Arrival[] {
  const random = prng(seed);
  const out: Arrival[] = [];
  scenario.arrivals.forEach((stream, index) => {
    const times: number[] = [];
    const { pattern } = stream;
    if (pattern.kind === "at") times.push(...pattern.times);
    else if (pattern.kind === "every") {
      for (let t = stream.from; t < stream.to; t += pattern.seconds) times.push(t);
    } else {
      const mean = 3600 / pattern.perHour;
      for (
        let t = stream.from - mean * Math.log(1 - random());
        t < stream.to;
        t -= mean * Math.log(1 - random())
      ) {
        times.push(t);
      }
    }
    for (const at of times) {
      if (at < scenario.start || at >= scenario.end) continue;
      const patience = stream.patience ?? scenario.patience;
      out.push({
        at,
        stream: index,
        caller: stream.caller,
        handle: draw(stream.handleTime ?? scenario.handleTime, random),
        wrapUp: draw(stream.wrapUpTime ?? scenario.wrapUpTime, random),
        patience: patience === undefined ? Infinity : draw(patience, random),
      });
    }
  });
  // Stable: equal times keep stream order, so simultaneous arrivals are created in a fixed order.
  return out.sort((a, b) => a.at - b.at || a.stream - b.stream);
}

/**
 * One queue's day, from the emulator's TaskQueue statistics (emulator/taskrouter/statistics.ts) over
 * the run's event history: the same figures `GET …/TaskQueues/{Sid}/Statistics` gives.
 */
export interface QueueReport {
  /** Tasks that waited in this queue (arrived in it or escalated into it): `tasks_entered`. */
  tasks: number;
  answered: number;
  /** Answered within SERVICE_LEVEL_SECONDS of arrival: `split_by_wait_time` below, accepted. */
  answeredInTime: number;
  /** Seconds from arrival to answer, for the tasks answered from this queue. */
  meanWait: number | null;
  p90Wait: number | null;
  maxWait: number | null;
  abandoned: number;
  /** Tasks that left this queue for the next target when its timeout expired: `tasks_moved`. */
  escalations: number;
  /** Canceled by the workflow (fell past the last target) or by the task TTL. */
  dropped: number;
  waitingAtEnd: number;
}

export interface WorkerReport {
  tasks: number;
  /** Seconds on calls and in wrap-up, within the simulated period. */
  busySeconds: number;
  /** Seconds in an available activity or busy, within the simulated period. */
  onShiftSeconds: number;
  /** busySeconds / onShiftSeconds; null when never on shift. */
  utilisation: number | null;
}

export interface SimulationReport {
  stack: string;
  scenario: string;
  name: string;
  seed: number;
  start: string;
  end: string;
  serviceLevelSeconds: number;
  totals: {
    arrivals: number;
    answered: number;
    abandoned: number;
    dropped: number;
    waitingAtEnd: number;
    meanWait: number | null;
    p90Wait: number | null;
  };
  queues: Record<string, QueueReport>;
  workers: Record<string, WorkerReport>;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const mean = (xs: number[]): number | null =>
  xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null;
/** Nearest-rank 90th percentile. */
const p90 = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return round1(sorted[Math.ceil(0.9 * sorted.length) - 1] as number);
};
const max = (xs: number[]): number | null => (xs.length ? round1(Math.max(...xs)) : null);

/** Task attributes for an arrival on this stack. */
function attributesFor(
  spec: ContactCentreSpec,
  caller: Arrival["caller"],
): Record<string, unknown> {
  if (caller.kind === "attributes") return caller.attributes;
  if (caller.kind === "default") return spec.phone.ivr.defaultAttributes;
  const option = spec.phone.ivr.options[caller.digit];
  if (!option) throw new Error(`${spec.source} has no IVR option "${caller.digit}"`);
  return option.attributes;
}

/** The routing engine threw on some task: the simulation's numbers would be wrong, so there are none. */
export class RoutingFailedError extends Error {
  constructor(
    source: string,
    readonly failures: { taskSid: string; caller: string; step: string | null; message: string }[],
  ) {
    const first = failures[0]!;
    const where = [first.caller, first.step].filter(Boolean).join("; ");
    super(
      `${source}: the routing engine failed on ${failures.length} task${failures.length === 1 ? "" : "s"}; ` +
        `the first, task ${first.taskSid} (${where}): ${first.message}`,
    );
    this.name = "RoutingFailedError";
  }
}

/** Run one scenario on one stack. `arrivals` lets a comparison feed both sides the same callers. */
export async function simulate(
  spec: ContactCentreSpec,
  scenario: Scenario,
  seed: number,
  arrivals: Arrival[] = generateArrivals(scenario, seed),
): Promise<SimulationReport> {
  const clock = new VirtualClock(VIRTUAL_EPOCH + scenario.start * 1000);
  const secondsNow = (): number => (clock.now() - VIRTUAL_EPOCH) / 1000;
  const store = new Store({ accountSid: ACCOUNT_SID, numbers: [] });
  // Answered in-process: every reservation is accepted at once (the agent picks up).
  const deliver = async (request: WebhookRequest): Promise<WebhookResponse> =>
    request.url === ASSIGNMENT_URL
      ? {
          status: 200,
          headers: { "content-type": "application/json" },
          body: '{"instruction":"accept"}',
        }
      : { status: 204, headers: {}, body: "" };
  const engine = new Engine(store, { clock, authToken: AUTH_TOKEN, deliver });
  engine.history.limit = Infinity; // the report needs the whole run's events

  // The centre, as the providers create it (the plan's values; no event callback, which the
  // simulation does not answer).
  const plan = planCentre(spec);
  const ws = store.createWorkspace({
    friendlyName: plan.workspace.friendlyName,
    multiTaskEnabled: plan.workspace.multiTaskEnabled,
    prioritizeQueueOrder: plan.workspace.prioritizeQueueOrder,
  }).sid;
  const activitySid: Record<string, string> = {};
  for (const a of store.activities.values())
    if (a.workspaceSid === ws) activitySid[a.friendlyName] = a.sid;
  for (const a of plan.activities) {
    activitySid[a.friendlyName] ??= store.createActivity(ws, {
      friendlyName: a.friendlyName,
      available: a.available,
    }).sid;
  }
  store.updateWorkspace(ws, {
    defaultActivitySid: activitySid[plan.workspace.defaultActivity],
    timeoutActivitySid: activitySid[plan.workspace.timeoutActivity],
  });
  const availableActivity = Object.keys(spec.activities).find((n) => spec.activities[n]!.available);
  const offline = spec.defaultActivity;
  const onShiftAt = (worker: string, t: number): boolean => {
    const windows = scenario.shifts[worker];
    if (windows === undefined)
      return spec.activities[spec.workers[worker]!.activity]?.available === true;
    return windows.some(([from, to]) => t >= from && t < to);
  };
  const seededChannels = store.listOf(store.taskChannels, ws);
  for (const c of plan.channels) {
    const { uniqueName, ...fields } = c;
    const seeded = seededChannels.find((x) => x.uniqueName === uniqueName);
    if (seeded) store.updateTaskChannel(ws, seeded.sid, fields);
    else store.createTaskChannel(ws, c);
  }
  const workerSid: Record<string, string> = {};
  const workerName = new Map<string, string>();
  for (const w of plan.workers) {
    const name = w.friendlyName;
    const activity =
      scenario.shifts[name] === undefined
        ? w.activity
        : onShiftAt(name, scenario.start)
          ? availableActivity
          : offline;
    const sid = store.createWorker(ws, {
      friendlyName: name,
      attributes: JSON.stringify(w.attributes),
      activitySid: activitySid[activity as string],
    }).sid;
    workerSid[name] = sid;
    workerName.set(sid, name);
    for (const [channel, capacity] of Object.entries(w.channels ?? {})) {
      store.updateWorkerChannel(ws, sid, channel, { capacity });
    }
  }
  const queueSid: Record<string, string> = {};
  for (const q of plan.queues) {
    const sid = store.createTaskQueue(ws, {
      friendlyName: q.friendlyName,
      targetWorkers: q.targetWorkers,
      taskOrder: q.taskOrder,
      maxReservedWorkers: q.maxReservedWorkers,
      reservationActivitySid: q.reservationActivity
        ? activitySid[q.reservationActivity]
        : undefined,
      assignmentActivitySid: q.assignmentActivity ? activitySid[q.assignmentActivity] : undefined,
    }).sid;
    queueSid[q.key] = sid;
  }
  const workflow = store.createWorkflow(ws, {
    friendlyName: plan.workflow.friendlyName,
    configuration: JSON.stringify(withQueueSids(plan.workflow.configuration, queueSid)),
    taskReservationTimeout: plan.workflow.taskReservationTimeout,
    assignmentCallbackUrl: ASSIGNMENT_URL,
  }).sid;

  // The workers' side, from the store's events; the queues' from the statistics at the end.
  const arrivalOf = new Map<string, Arrival>(); // task SID → its caller
  const busy = new Map<string, number>(); // worker SID → busy since
  const workers: Record<string, { tasks: number; busySeconds: number }> = {};
  for (const name of Object.keys(spec.workers)) workers[name] = { tasks: 0, busySeconds: 0 };
  const goOfflineAfterTask = new Set<string>();

  store.events.on(
    "reservation.updated",
    ({ reservation, previous }: { reservation: ReservationRec; previous: ReservationRec }) => {
      if (reservation.reservationStatus !== "accepted" || previous.reservationStatus !== "pending")
        return;
      const arrival = arrivalOf.get(reservation.taskSid);
      if (!arrival) return;
      const name = workerName.get(reservation.workerSid) as string;
      workers[name]!.tasks++;
      busy.set(reservation.workerSid, secondsNow());
      const taskSid = reservation.taskSid;
      const finish = (): void => {
        store.updateTask(ws, taskSid, { assignmentStatus: "completed", reason: DONE_REASON });
        workers[name]!.busySeconds += secondsNow() - (busy.get(reservation.workerSid) as number);
        busy.delete(reservation.workerSid);
        if (goOfflineAfterTask.delete(name)) setActivity(name, offline);
      };
      clock.setTimer(clock.now() + arrival.handle * 1000, () => {
        if (arrival.wrapUp > 0) {
          store.updateTask(ws, taskSid, { assignmentStatus: "wrapping" });
          clock.setTimer(clock.now() + arrival.wrapUp * 1000, finish);
        } else finish();
      });
    },
  );
  const setActivity = (name: string, activity: string): void => {
    store.updateWorker(ws, workerSid[name] as string, { activitySid: activitySid[activity] });
  };

  // Shifts: available at the start of each window, offline at its end (after the call in hand).
  const onShift: Record<string, number> = {};
  for (const name of Object.keys(spec.workers)) {
    const windows = scenario.shifts[name];
    if (windows === undefined) {
      onShift[name] = onShiftAt(name, scenario.start) ? scenario.end - scenario.start : 0;
      continue;
    }
    onShift[name] = 0;
    for (const [from, to] of windows) {
      const a = Math.max(from, scenario.start);
      const b = Math.min(to, scenario.end);
      if (b <= a) continue;
      onShift[name] += b - a;
      if (a > scenario.start) {
        clock.setTimer(VIRTUAL_EPOCH + a * 1000, () => {
          goOfflineAfterTask.delete(name);
          setActivity(name, availableActivity as string);
        });
      }
      if (b < scenario.end) {
        clock.setTimer(VIRTUAL_EPOCH + b * 1000, () => {
          if (busy.has(workerSid[name] as string)) goOfflineAfterTask.add(name);
          else setActivity(name, offline);
        });
      }
    }
  }

  // Arrivals, and each caller's patience.
  for (const arrival of arrivals) {
    clock.setTimer(VIRTUAL_EPOCH + arrival.at * 1000, () => {
      const task = store.createTask(ws, {
        workflowSid: workflow,
        attributes: JSON.stringify(attributesFor(spec, arrival.caller)),
      });
      arrivalOf.set(task.sid, arrival);
      if (arrival.patience === Infinity) return;
      clock.setTimer(clock.now() + arrival.patience * 1000, () => {
        const live = store.tasks.get(task.sid);
        if (live && (live.assignmentStatus === "pending" || live.assignmentStatus === "reserved")) {
          store.updateTask(ws, task.sid, { assignmentStatus: "canceled", reason: ABANDON_REASON });
        }
      });
    });
  }

  await clock.advance((scenario.end - scenario.start) * 1000);
  engine.stop();
  if (engine.routingFailures.length > 0) {
    throw new RoutingFailedError(
      spec.source,
      engine.routingFailures.map((f) => {
        const arrival = arrivalOf.get(f.taskSid);
        const attributes = store.tasks.get(f.taskSid)?.attributes ?? "{}";
        const caller = arrival
          ? `caller at ${formatClock(arrival.at)}, attributes ${attributes}`
          : `attributes ${attributes}`;
        return { taskSid: f.taskSid, caller, step: f.step, message: f.message };
      }),
    );
  }

  // Busy time still running at the end counts up to the end.
  for (const [sid, since] of busy)
    workers[workerName.get(sid) as string]!.busySeconds += scenario.end - since;

  const history = engine.history.events();
  const day = { start: VIRTUAL_EPOCH + scenario.start * 1000, end: clock.now() };
  const tasks = [...store.tasks.values()];
  const queueReports: Record<string, QueueReport> = {};
  const waits: number[] = [];
  for (const key of Object.keys(spec.queues)) {
    const sid = queueSid[key] as string;
    const f = cumulative(history, day, { taskQueueSid: sid }, [SERVICE_LEVEL_SECONDS]);
    const live = realTime(
      tasks.filter((t) => t.taskQueueSid === sid),
      [],
      [],
      clock.now(),
    );
    const queueWaits = f.acceptedWaits.map((ms) => ms / 1000);
    waits.push(...queueWaits);
    const abandoned = f.canceledByReason[ABANDON_REASON] ?? 0;
    queueReports[key] = {
      tasks: f.tasksEnteredQueue,
      answered: f.acceptedWaits.length,
      answeredInTime: f.splitByWaitTime[SERVICE_LEVEL_SECONDS]!.below.reservations_accepted,
      meanWait: mean(queueWaits),
      p90Wait: p90(queueWaits),
      maxWait: max(queueWaits),
      abandoned,
      escalations: f.tasksMoved,
      dropped: f.tasksCanceled - abandoned,
      waitingAtEnd: live.tasksByStatus.pending + live.tasksByStatus.reserved,
    };
  }
  const workerReports: Record<string, WorkerReport> = {};
  for (const [name, w] of Object.entries(workers)) {
    const shift = onShift[name] as number;
    workerReports[name] = {
      tasks: w.tasks,
      busySeconds: round1(w.busySeconds),
      onShiftSeconds: shift,
      utilisation: shift > 0 ? Math.round((w.busySeconds / shift) * 1000) / 1000 : null,
    };
  }
  const sum = (field: "answered" | "abandoned" | "dropped" | "waitingAtEnd"): number =>
    Object.values(queueReports).reduce((n, q) => n + q[field], 0);
  return {
    stack: spec.source,
    scenario: scenario.file,
    name: scenario.name,
    seed,
    start: formatClock(scenario.start),
    end: formatClock(scenario.end),
    serviceLevelSeconds: SERVICE_LEVEL_SECONDS,
    totals: {
      arrivals: arrivals.length,
      answered: sum("answered"),
      abandoned: sum("abandoned"),
      dropped: sum("dropped"),
      waitingAtEnd: sum("waitingAtEnd"),
      meanWait: mean(waits),
      p90Wait: p90(waits),
    },
    queues: queueReports,
    workers: workerReports,
  };
}

function formatClock(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}`;
}
