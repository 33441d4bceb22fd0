// The two demo calls `npm start` places on stacks/local.yaml's centre, each at a fixed virtual time
// (the call's own time, which the handlers judge the line's hours by), so the demo gives the same
// result whatever the day: a Hindi call while the line is open, bridged to Shyam, and a call while
// it is closed, which leaves a voicemail that becomes a task for Alice.
import { placeCall, transcript, type CallResult, type twilioClientFor } from "../emulator";
import type { LogFields } from "../infra/functions/log";
import type { ContactCentreSpec } from "../infra/taskrouter/model";
import type { CentreSids } from "./localStack";

/** The open-hours demo: a caller presses 2 (Hindi); Shyam is the only Available Hindi speaker. */
export const DEMO = {
  from: "+15555550123",
  digits: "2",
  worker: "Shyam",
  /** Seconds the caller talks to Shyam (real time). */
  talkSeconds: 2,
  /** The call's virtual time: a Monday, 10:00 in New York, when stacks/local.yaml's line is open. */
  at: "2026-12-07T10:00:00-05:00",
} as const;

/**
 * The out-of-hours demo: on a Sunday the caller hears the closed message, presses 1 ("To leave a
 * voicemail, press 1."), speaks for 3 s and presses #. The voicemail task has no selected_language,
 * so the workflow's default target, Everyone, takes it; Alice is its one Available agent then
 * (Shyam is in Wrap-Up after the Hindi call), and the assignment callback accepts it for her.
 */
export const OUT_OF_HOURS_DEMO = {
  from: "+15555550124",
  /** A Sunday, 10:00 in New York: the line is closed all day. */
  at: "2026-12-06T10:00:00-05:00",
  digits: "1",
  message: { seconds: 3, key: "#" },
  worker: "Alice",
} as const;

export interface DemoCalls {
  demoCall: { outcome: string | null; assignedWorker: string | null; bridgedTo: string | null };
  outOfHoursCall: {
    outcome: string | null;
    voicemailTask: { queue: string; assignedWorker: string; reservationStatus: string };
  };
}

export class DemoError extends Error {
  override name = "DemoError";
}

type Client = ReturnType<typeof twilioClientFor>;

interface DemoContext {
  client: Client;
  centre: CentreSids;
  spec: ContactCentreSpec;
  /** The webhook host's log lines so far (the handlers say which task they created). */
  handlerLog: LogFields[];
  say: (line?: string) => void;
  /** Wraps a wait so that an interrupt rejects it. */
  abortable: <T>(p: Promise<T>) => Promise<T>;
  emulator: Parameters<typeof placeCall>[0];
}

/**
 * After a demo run Shyam is in Wrap-Up (the post-work activity) and Alice holds the voicemail task,
 * as real agents would. Before the next run, each finishes: Shyam goes back to his declared
 * activity and Alice completes the voicemail task. Their state is read from the local Twilio: it is
 * live state, not the stack's.
 */
export async function readyDemoAgents(ctx: DemoContext): Promise<void> {
  const { client, centre, spec, say } = ctx;
  const workspace = client.taskrouter.v1.workspaces(centre.workspaceSid);
  const declared = spec.workers[DEMO.worker]?.activity;
  const shyamSid = centre.workerSids[DEMO.worker];
  const aliceSid = centre.workerSids[OUT_OF_HOURS_DEMO.worker];
  if (declared === undefined || shyamSid === undefined)
    throw new DemoError(`stacks/local.yaml has no worker ${DEMO.worker}`);
  if (aliceSid === undefined)
    throw new DemoError(`stacks/local.yaml has no worker ${OUT_OF_HOURS_DEMO.worker}`);
  const shyam = workspace.workers(shyamSid);
  const { activityName } = await shyam.fetch();
  if (activityName !== declared) {
    await shyam.update({ activitySid: centre.activitySids[declared] });
    say(`${DEMO.worker} finishes ${activityName} from the previous demo call: now ${declared}.`);
  }
  const held = await workspace
    .workers(aliceSid)
    .reservations.list({ reservationStatus: "accepted" });
  for (const reservation of held) {
    const task = await workspace.tasks(reservation.taskSid).fetch();
    const attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    if (task.assignmentStatus !== "assigned" || attributes.call_flow !== "voicemail") continue;
    await workspace
      .tasks(task.sid)
      .update({ assignmentStatus: "completed", reason: "voicemail listened to" });
    say(`${OUT_OF_HOURS_DEMO.worker} completes the voicemail task from the previous demo run.`);
  }
}

/** Places both demo calls, prints their transcripts, and fails unless each ended as it should. */
export async function placeDemoCalls(ctx: DemoContext): Promise<DemoCalls> {
  const { spec, say, abortable, emulator } = ctx;
  const number = spec.phone.number;
  const printWarnings = (from: number) => {
    for (const line of ctx.handlerLog.slice(from).filter((l) => l.level !== "info"))
      say(`webhook host: ${JSON.stringify(line)}`);
  };

  say(
    `Demo call 1 (open): ${DEMO.from} dials ${number} at ${DEMO.at} (Monday) and presses ` +
      `${DEMO.digits} (Hindi) …\n`,
  );
  let logged = ctx.handlerLog.length;
  const call: CallResult = await abortable(
    placeCall(emulator, {
      to: number,
      from: DEMO.from,
      digits: DEMO.digits,
      talkSeconds: DEMO.talkSeconds,
      at: DEMO.at,
    }),
  );
  say(transcript(call));
  printWarnings(logged);
  if (call.outcome !== "bridged" || call.assignedWorker !== DEMO.worker) {
    throw new DemoError(
      `the demo call was not bridged to ${DEMO.worker}: outcome ${call.outcome}, worker ` +
        `${call.assignedWorker ?? "none"}${call.error ? `, error ${call.error.code}: ${call.error.message}` : ""}`,
    );
  }

  const ooh = OUT_OF_HOURS_DEMO;
  say(
    `\nDemo call 2 (closed): ${ooh.from} dials ${number} at ${ooh.at} (Sunday), presses ` +
      `${ooh.digits} (voicemail) and leaves a ${ooh.message.seconds} s message …\n`,
  );
  logged = ctx.handlerLog.length;
  const closed: CallResult = await abortable(
    placeCall(emulator, {
      to: number,
      from: ooh.from,
      digits: ooh.digits,
      messages: [ooh.message],
      at: ooh.at,
    }),
  );
  say(transcript(closed));
  printWarnings(logged);
  const { sid, voicemailTask } = await abortable(voicemailTaskOf(ctx, closed.callSid));
  say(
    `Voicemail task ${sid}: queue ${voicemailTask.queue}; ` +
      `worker ${voicemailTask.assignedWorker} (reservation ${voicemailTask.reservationStatus})`,
  );
  if (voicemailTask.assignedWorker !== ooh.worker || voicemailTask.reservationStatus !== "accepted")
    throw new DemoError(
      `the voicemail task ${sid} was not accepted by ${ooh.worker}: ` +
        `worker ${voicemailTask.assignedWorker || "none"}, reservation ${voicemailTask.reservationStatus || "none"}`,
    );
  return {
    demoCall: {
      outcome: call.outcome,
      assignedWorker: call.assignedWorker,
      bridgedTo: call.bridgedTo,
    },
    outOfHoursCall: { outcome: closed.outcome, voicemailTask },
  };
}

/**
 * The voicemail task the recording of `callSid` became (the handler logs its SID), once its
 * reservation is settled: the assignment callback answers `accept` at once, so a reservation still
 * pending after 10 s is reported as it stands.
 */
async function voicemailTaskOf(
  ctx: DemoContext,
  callSid: string,
): Promise<{ sid: string; voicemailTask: DemoCalls["outOfHoursCall"]["voicemailTask"] }> {
  const created = ctx.handlerLog.find(
    (l) => l.msg === "voicemail task created" && l.CallSid === callSid,
  );
  if (typeof created?.TaskSid !== "string")
    throw new DemoError(`the out-of-hours call ${callSid} made no voicemail task`);
  const task = ctx.client.taskrouter.v1.workspaces(ctx.centre.workspaceSid).tasks(created.TaskSid);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [reservation] = await task.reservations.list();
    if ((reservation && reservation.reservationStatus !== "pending") || Date.now() > deadline) {
      const { taskQueueFriendlyName } = await task.fetch();
      return {
        sid: created.TaskSid,
        voicemailTask: {
          queue: taskQueueFriendlyName ?? "",
          assignedWorker: reservation?.workerName ?? "",
          reservationStatus: reservation?.reservationStatus ?? "",
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
