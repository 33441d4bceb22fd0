// What-if simulation: a scenario's day of calls routed by the local Twilio's own routing engine
// (emulator/taskrouter/engine.ts) on a virtual clock, in-process. The stack is set up in the emulator's store
// as the providers would set it up in Twilio; the assignment callback is answered in-process with
// `accept`; handle and wrap-up end the task through the same operations the REST API offers.
// The callers are treated as the call handlers treat them (calls.ts): a line out of hours plays
// the closed message and offers whenClosed; a caller still queued at the maximum wait leaves the
// queue, as is one whose task the workflow cancels, and is offered whenNobodyAnswers; a voicemail
// or callback becomes a task on its channel, routed to agents by the same workflow.
// Simplifications: the IVR, messages and the voicemail recording take no time (the voicemail task
// is made when the caller chooses it); a caller leaves at exactly the maximum wait (the product's
// hold music lets them leave within one track of it).
// Deterministic: every random draw comes from seeded PRNGs, made before the run.
import { cumulative, realTime, VirtualClock, VIRTUAL_EPOCH } from "../../emulator";
import { Engine } from "../../emulator";
import type { WebhookRequest, WebhookResponse } from "../../emulator";
import { Store, type HistoryEvent, type ReservationRec, type TaskRec } from "../../emulator";
import type { Exit } from "../../infra/functions/callFlow";
import { lineIsOpen, type ExitReason } from "../../infra/functions/callFlowLines";
import { callFlowFromSpec } from "../../infra/taskrouter/callFlowSpec";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";
import { planCentre, withQueueSids } from "../../infra/taskrouter/plan";
import { instantOf } from "./calendar";
import {
  callAttributes,
  chooseExit,
  countBy,
  countCalls,
  followUpAttributes,
  maxWaitOf,
  type CallCounts,
  type CallOutcome,
} from "./calls";
import { generateArrivals, type Arrival } from "./arrivals";
import type { Scenario } from "./scenario";

const ACCOUNT_SID = "AC" + "5".repeat(32);
const AUTH_TOKEN = "simulator";
const ASSIGNMENT_URL = "https://simulator.invalid/assignment";
const ABANDON_REASON = "caller hung up";
/** The emulator's reason when a queued call's wait document answers <Leave> (emulator/voice/phone.ts). */
const LEFT_REASON = "Caller left the queue";
const DONE_REASON = "call ended";
/** "Answered within 30 s": the threshold of the queues' service level (SplitByWaitTime). */
export const SERVICE_LEVEL_SECONDS = 30;

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
  /** Callers who left this queue at the maximum wait (offered whenNobodyAnswers). */
  leftAtMaxWait: number;
  /** Canceled by the workflow (fell past the last target) or by the task TTL (offered whenNobodyAnswers). */
  dropped: number;
  waitingAtEnd: number;
  /** Callers who left this queue and then left a voicemail / booked a callback. */
  voicemails: number;
  callbacks: number;
}

/** The voicemail or callback tasks of the day (all queues). */
export interface FollowUpReport {
  tasks: number;
  answered: number;
  /** Seconds from the task's creation to an agent accepting it. */
  meanWait: number | null;
  /** Canceled by the workflow or the task TTL. */
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
  /** The scenario's date, and the zone of every time of day in the report; null: no date. */
  date: string | null;
  timeZone: string;
  /**
   * Every caller: arrivals = answered + abandoned + voicemails + callbacks + noExit + waitingAtEnd.
   * leftAtMaxWait and dropped say why queued callers were offered the exits; waits are the answered calls'.
   */
  totals: Omit<CallCounts, "calls"> & {
    arrivals: number;
    leftAtMaxWait: number;
    dropped: number;
    meanWait: number | null;
    p90Wait: number | null;
  };
  /** The calls (not the voicemail or callback tasks) each queue saw, from its TaskQueue statistics. */
  queues: Record<string, QueueReport>;
  /** Where the callers of each line ended. */
  lines: Record<string, CallCounts>;
  /** Where the callers who called in each local hour ("HH:00") ended. */
  hours: Record<string, CallCounts>;
  followUps: Record<Exit, FollowUpReport>;
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
  // Times of day are the scenario zone's wall clock on its date; without a date, a bare timeline.
  const timeZone = scenario.timeZone ?? spec.phone.hours?.timeZone ?? "UTC";
  const { date } = scenario;
  const at = (t: number): number =>
    date === undefined ? VIRTUAL_EPOCH + t * 1000 : instantOf(date, t, timeZone);
  const between = (from: number, to: number): number => (at(to) - at(from)) / 1000;
  const clock = new VirtualClock(at(scenario.start));
  const secondsNow = (): number => clock.now() / 1000;
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
  const queueKey = new Map<string, string>();
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
    queueKey.set(sid, q.key);
  }
  const workflow = store.createWorkflow(ws, {
    friendlyName: plan.workflow.friendlyName,
    configuration: JSON.stringify(withQueueSids(plan.workflow.configuration, queueSid)),
    taskReservationTimeout: plan.workflow.taskReservationTimeout,
    assignmentCallbackUrl: ASSIGNMENT_URL,
  }).sid;

  // The callers: each arrival's line, number and outcome (waiting until something ends the call).
  const flow = callFlowFromSpec(spec);
  const mainLine = flow.lines[0]!.name;
  const lineOf = (arrival: Arrival) => {
    const line = flow.lines.find((l) => l.name === (arrival.line ?? mainLine));
    if (!line) throw new Error(`${spec.source} has no line "${arrival.line}"`);
    return line;
  };
  const fromNumber = (i: number): string => `+1555${String(i).padStart(7, "0")}`;
  const outcomes: CallOutcome[] = arrivals.map((a) => ({
    line: a.line ?? mainLine,
    hour: formatClock(Math.floor(a.at / 3600) * 3600),
    end: "waitingAtEnd",
    outOfHours: false,
  }));
  const callOf = new Map<string, number>(); // call task SID → arrival index
  const arrivalOf = new Map<string, Arrival>(); // call, voicemail or callback task SID → its caller
  const followUps: Record<Exit, Set<string>> = { voicemail: new Set(), callback: new Set() };

  /** The caller is offered the line's exits for `why` and takes one, or none. */
  const offerExits = (i: number, why: ExitReason): void => {
    const arrival = arrivals[i]!;
    const line = lineOf(arrival);
    const exit = chooseExit(line, why, arrival.exits, arrival.exitDraw);
    outcomes[i]!.end = exit ?? "noExit";
    if (exit === undefined) return;
    const task = store.createTask(ws, {
      workflowSid: workflow,
      taskChannel: flow[exit].taskChannel,
      attributes: JSON.stringify(followUpAttributes(flow, exit, line, fromNumber(i))),
    });
    arrivalOf.set(task.sid, arrival);
    followUps[exit].add(task.sid);
  };

  // A call task canceled: the caller hung up, or left the queue (maximum wait, the workflow ended).
  store.events.on("task.canceled", ({ task, reason }: { task: TaskRec; reason: string | null }) => {
    const i = callOf.get(task.sid);
    if (i === undefined) return;
    const outcome = outcomes[i]!;
    const queue = task.taskQueueSid === null ? undefined : queueKey.get(task.taskQueueSid);
    if (queue !== undefined) outcome.queue = queue;
    if (reason === ABANDON_REASON) {
      outcome.end = "abandoned";
      return;
    }
    outcome.left = reason === LEFT_REASON ? "maxWait" : "workflow";
    // After the engine has finished canceling: the exits make new tasks.
    clock.setTimer(clock.now(), () => offerExits(i, "nobodyAnswers"));
  });

  // The workers' side, from the store's events; the queues' from the statistics at the end.
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
      const call = callOf.get(reservation.taskSid);
      if (call !== undefined) outcomes[call]!.end = "answered";
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
      onShift[name] = onShiftAt(name, scenario.start) ? between(scenario.start, scenario.end) : 0;
      continue;
    }
    onShift[name] = 0;
    for (const [from, to] of windows) {
      const a = Math.max(from, scenario.start);
      const b = Math.min(to, scenario.end);
      if (b <= a) continue;
      onShift[name] += between(a, b);
      if (a > scenario.start) {
        clock.setTimer(at(a), () => {
          goOfflineAfterTask.delete(name);
          setActivity(name, availableActivity as string);
        });
      }
      if (b < scenario.end) {
        clock.setTimer(at(b), () => {
          if (busy.has(workerSid[name] as string)) goOfflineAfterTask.add(name);
          else setActivity(name, offline);
        });
      }
    }
  }

  // Arrivals: closed lines offer their exits; open ones queue the call, with the caller's patience
  // and the maximum wait as timers.
  arrivals.forEach((arrival, i) => {
    clock.setTimer(at(arrival.at), () => {
      const line = lineOf(arrival);
      if (!lineIsOpen(line, new Date(clock.now()))) {
        outcomes[i]!.outOfHours = true;
        offerExits(i, "closed");
        return;
      }
      const task = store.createTask(ws, {
        workflowSid: workflow,
        // <Enqueue>'s tasks are on the voice channel, as in the local Twilio (emulator/voice/queue.ts).
        taskChannel: "voice",
        attributes: JSON.stringify(callAttributes(line, arrival.caller, fromNumber(i))),
      });
      arrivalOf.set(task.sid, arrival);
      callOf.set(task.sid, i);
      const leave = (after: number, reason: string) =>
        clock.setTimer(clock.now() + after * 1000, () => {
          const live = store.tasks.get(task.sid);
          if (live && (live.assignmentStatus === "pending" || live.assignmentStatus === "reserved"))
            store.updateTask(ws, task.sid, { assignmentStatus: "canceled", reason });
        });
      const maxWait = maxWaitOf(line, arrival.caller);
      // At a tie the caller is still there to hear the exits.
      if (maxWait !== undefined && maxWait <= arrival.patience) leave(maxWait, LEFT_REASON);
      else if (arrival.patience !== Infinity) leave(arrival.patience, ABANDON_REASON);
    });
  });

  await clock.advance(at(scenario.end) - at(scenario.start));
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
    workers[workerName.get(sid) as string]!.busySeconds += at(scenario.end) / 1000 - since;

  const history = engine.history.events();
  const day = { start: at(scenario.start), end: clock.now() };
  const tasks = [...store.tasks.values()];
  const waiting = (sids: Iterable<string>): number =>
    [...sids].filter((sid) => {
      const status = store.tasks.get(sid)?.assignmentStatus;
      return status === "pending" || status === "reserved";
    }).length;
  // The queues' figures are the calls' alone: the voicemail and callback tasks are reported apart.
  const isFollowUp = (ev: HistoryEvent): boolean =>
    followUps.voicemail.has(ev.data.TaskSid ?? "") || followUps.callback.has(ev.data.TaskSid ?? "");
  const callHistory = history.filter((ev) => !isFollowUp(ev));
  const queueReports: Record<string, QueueReport> = {};
  const waits: number[] = [];
  for (const key of Object.keys(spec.queues)) {
    const sid = queueSid[key] as string;
    const f = cumulative(callHistory, day, { taskQueueSid: sid }, [SERVICE_LEVEL_SECONDS]);
    const live = realTime(
      tasks.filter((t) => t.taskQueueSid === sid && callOf.has(t.sid)),
      [],
      [],
      clock.now(),
    );
    const queueWaits = f.acceptedWaits.map((ms) => ms / 1000);
    waits.push(...queueWaits);
    const abandoned = f.canceledByReason[ABANDON_REASON] ?? 0;
    const leftAtMaxWait = f.canceledByReason[LEFT_REASON] ?? 0;
    const exited = (end: CallOutcome["end"]) =>
      outcomes.filter((o) => o.queue === key && o.end === end).length;
    queueReports[key] = {
      tasks: f.tasksEnteredQueue,
      answered: f.acceptedWaits.length,
      answeredInTime: f.splitByWaitTime[SERVICE_LEVEL_SECONDS]!.below.reservations_accepted,
      meanWait: mean(queueWaits),
      p90Wait: p90(queueWaits),
      maxWait: max(queueWaits),
      abandoned,
      escalations: f.tasksMoved,
      leftAtMaxWait,
      dropped: f.tasksCanceled - abandoned - leftAtMaxWait,
      waitingAtEnd: live.tasksByStatus.pending + live.tasksByStatus.reserved,
      voicemails: exited("voicemail"),
      callbacks: exited("callback"),
    };
  }
  const followUpReport = (sids: Set<string>): FollowUpReport => {
    const f = cumulative(
      history.filter((ev) => sids.has(ev.data.TaskSid ?? "")),
      day,
    );
    return {
      tasks: sids.size,
      answered: f.acceptedWaits.length,
      meanWait: mean(f.acceptedWaits.map((ms) => ms / 1000)),
      dropped: f.tasksCanceled,
      waitingAtEnd: waiting(sids),
    };
  };
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
  const { calls, ...counts } = countCalls(outcomes);
  const hours: string[] = [];
  for (let h = Math.floor(scenario.start / 3600); h * 3600 < scenario.end; h++)
    hours.push(formatClock(h * 3600));
  return {
    stack: spec.source,
    scenario: scenario.file,
    name: scenario.name,
    seed,
    start: formatClock(scenario.start),
    end: formatClock(scenario.end),
    serviceLevelSeconds: SERVICE_LEVEL_SECONDS,
    date: date ?? null,
    timeZone,
    totals: {
      arrivals: calls,
      ...counts,
      leftAtMaxWait: outcomes.filter((o) => o.left === "maxWait").length,
      dropped: outcomes.filter((o) => o.left === "workflow").length,
      meanWait: mean(waits),
      p90Wait: p90(waits),
    },
    queues: queueReports,
    lines: countBy(outcomes, (o) => o.line, Object.keys(spec.lines)),
    hours: countBy(outcomes, (o) => o.hour, hours),
    followUps: {
      voicemail: followUpReport(followUps.voicemail),
      callback: followUpReport(followUps.callback),
    },
    workers: workerReports,
  };
}

function formatClock(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}`;
}
