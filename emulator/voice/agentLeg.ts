/**
 * The agent's side of a call: what the routing engine's `VoiceBridge` asks of the phone
 * (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks): a `dequeue` rings the
 * worker and bridges the waiting caller when they answer, a `call` rings the worker and runs TwiML
 * once they answer, a `redirect` moves the caller out of the queue; the bridged conversation; and
 * the status callbacks and recordings of those legs.
 *
 * Choices where Twilio is silent (see emulator/README.md): a worker's phone answers as scripted
 * (`Phone.answering`, default at once); one that has not answered when the ring `timeout` ends
 * ends `no-answer` and the caller stays in the queue (the reservation was accepted when the
 * instruction was carried out); a leg still ringing when its caller leaves the queue or hangs up
 * ends `canceled`; status callbacks are GET requests; a recording's URL, SID and
 * duration ride on the leg's `completed` status callback (no recording status callback is
 * documented for these legs).
 */
import type { VoiceBridge } from "../taskrouter/engine";
import { describeFailure, signedRequest } from "../taskrouter/deliver";
import { dequeueFailed, redirectCallNotInProgress } from "../errors";
import {
  API_VERSION,
  CALL_TIME_HEADER,
  VirtualCall,
  type LegRecording,
  type LegResult,
  type Notify,
  type QueueEnd,
} from "./call";
import { finishTask } from "./queue";
import { newRecordingSid, recordingUrl, rfc2822 } from "./record";
import type { Phone } from "./phone";

export type DequeueOrder = Parameters<VoiceBridge["dequeue"]>[0];
export type CallOrder = Parameters<VoiceBridge["call"]>[0];
export type RedirectOrder = Parameters<VoiceBridge["redirect"]>[0];

/**
 * The status callback of a leg the emulator placed: Twilio's call status callback parameters
 * (https://www.twilio.com/docs/voice/api/call-resource#statuscallback), signed, GET, one request
 * per subscribed event in order; `extra` (TaskRouter's `taskCallSid`) on every request.
 */
export function legNotifier(
  phone: Phone,
  owner: VirtualCall,
  url: string | null,
  events: string[],
  leg: { callSid: string; from: string; to: string },
  extra: Record<string, string> = {},
): Notify {
  let sequence = 0;
  return (event, status, more = {}) => {
    if (url === null || !events.includes(event)) return;
    const params: Record<string, string> = {
      AccountSid: phone.store.accountSid,
      CallSid: leg.callSid,
      From: leg.from,
      To: leg.to,
      CallStatus: status,
      Direction: "outbound-api",
      ApiVersion: API_VERSION,
      CallbackSource: "call-progress-events",
      SequenceNumber: String(sequence++),
      Timestamp: rfc2822(phone.clock.now() + owner.offsetMs),
      ...extra,
      ...more,
    };
    const request = signedRequest(phone.authToken, url, "GET", params);
    request.headers[CALL_TIME_HEADER] = owner.callTime();
    void phone.clock.track(
      phone.deliver(request).then(
        (res) => owner.step("leg.callback", { url, event, status: res.status, params }),
        (err: unknown) =>
          owner.step("leg.callback", { url, event, error: describeFailure(err), params }),
      ),
    );
  };
}

/** A recording of a leg from its answer (record-from-answer); its duration is set at hang-up. */
function startRecording(phone: Phone): LegRecording {
  const recordingSid = newRecordingSid();
  return {
    recordingSid,
    recordingUrl: recordingUrl(phone.store.accountSid, recordingSid),
    duration: 0,
  };
}

/** The `completed` callback's CallDuration and, for a recorded leg, its recording. */
function completedParams(seconds: number, rec: LegRecording | null): Record<string, string> {
  const out: Record<string, string> = { CallDuration: String(seconds) };
  if (rec) {
    rec.duration = seconds;
    out.RecordingUrl = rec.recordingUrl;
    out.RecordingSid = rec.recordingSid;
    out.RecordingDuration = String(seconds);
  }
  return out;
}

/** Whether a phone answers within `timeout` seconds, and when it stops ringing. */
function ring(phone: Phone, to: string, timeout: number): { answers: boolean; seconds: number } {
  const after = phone.answeringOf(to).answerAfterSeconds;
  // "seconds that Twilio should allow the phone … to ring before assuming there is no answer"
  const answers = after !== null && after < timeout;
  return { answers, seconds: answers ? (after as number) : timeout };
}

/** The bridged conversation: `talkSeconds`, then the worker hangs up (or the caller first). */
export async function talk(phone: Phone, call: VirtualCall): Promise<QueueEnd> {
  const bridge = call.bridge as NonNullable<VirtualCall["bridge"]>;
  const seconds = call.opts.talkSeconds ?? phone.talkSeconds;
  const full = await call.wait(seconds);
  const talked = (phone.clock.now() - call.bridgedAt) / 1000;
  call.step("bridge.ended", { by: full ? "worker" : "caller", talkSeconds: talked });
  bridge.leg.status = "completed";
  bridge.leg.endedAt = call.callTime();
  bridge.notify(
    "completed",
    "completed",
    completedParams(Math.round(talked), bridge.leg.recording),
  );
  const worker = phone.store.workers.get(bridge.reservation.workerSid);
  if (
    worker &&
    bridge.postWork &&
    worker.activitySid !== bridge.postWork &&
    phone.store.activities.has(bridge.postWork)
  ) {
    phone.store.updateWorker(worker.workspaceSid, worker.sid, { activitySid: bridge.postWork });
    call.step("worker.activity", {
      worker: worker.friendlyName,
      activity: phone.store.activities.get(bridge.postWork)?.friendlyName,
    });
  }
  const t = call.result.taskSid ? phone.store.tasks.get(call.result.taskSid) : undefined;
  if (t && t.assignmentStatus === "assigned") finishTask(phone.store, t, phone.byTask.get(t.sid));
  call.state = "in-progress";
  phone.onChange?.();
  return full ? "bridged" : "hangup";
}

/**
 * `dequeue`: rings the worker for up to `timeout` seconds while the caller keeps waiting; the
 * caller is bridged when the worker answers, and stays in the queue when they do not.
 */
export function dequeueCall(phone: Phone, order: DequeueOrder): void {
  const call = phone.calls.get(order.callSid);
  if (!call || call.state !== "queued" || call.hungUp) {
    throw dequeueFailed(`call ${order.callSid} is not waiting in a queue`);
  }
  const leg: LegResult = {
    callSid: order.workerCallSid,
    kind: "dequeue",
    from: order.from,
    to: order.to,
    startedAt: call.callTime(),
    answeredAt: null,
    endedAt: null,
    status: "ringing",
    recording: null,
  };
  call.result.legs.push(leg);
  // "TaskRouter sends "taskCallSid" as parameter with sid of the call that created the Task."
  const notify = legNotifier(
    phone,
    call,
    order.statusCallbackUrl,
    order.statusCallbackEvents,
    leg,
    {
      taskCallSid: call.sid,
    },
  );
  const worker = phone.store.workers.get(order.reservation.workerSid);
  call.step("dequeue", {
    to: order.to,
    from: order.from,
    worker: worker?.friendlyName ?? order.reservation.workerSid,
    workerCallSid: order.workerCallSid,
    postWorkActivity: order.postWorkActivitySid
      ? (phone.store.activities.get(order.postWorkActivitySid)?.friendlyName ?? null)
      : null,
    timeout: order.timeout,
    record: order.record,
  });
  notify("initiated", "initiated");
  notify("ringing", "ringing");
  const bridge = () => {
    call.state = "bridged";
    call.everBridged = true;
    call.bridgedAt = phone.clock.now();
    call.bridge = {
      to: order.to,
      from: order.from,
      postWork: order.postWorkActivitySid,
      reservation: order.reservation,
      leg,
      notify,
    };
    call.result.bridgedTo = order.to;
    leg.status = "in-progress";
    leg.answeredAt = call.callTime();
    if (order.record) leg.recording = startRecording(phone);
    notify("answered", "in-progress");
    call.step("bridged", { to: order.to });
    call.interrupt();
  };
  const { answers, seconds } = ring(phone, order.to, order.timeout);
  if (answers && seconds === 0) return bridge();
  call.step("agent.ringing", { to: order.to, timeout: order.timeout });
  const cancel = () => {
    leg.status = "canceled";
    leg.endedAt = call.callTime();
    call.step("agent.canceled", { to: order.to });
    notify("completed", "canceled", { CallDuration: "0" });
  };
  // The caller's call ending stops the ringing at once (phone.ts endCall).
  call.endRinging = () => {
    call.endRinging = null;
    cancel();
  };
  // Cancelled with the call's other timers when it ends.
  call.at((phone.clock.now() - call.startMs) / 1000 + seconds, () => {
    call.endRinging = null;
    if (call.state !== "queued" || call.hungUp) {
      cancel(); // the caller left the queue (<Leave>, <Redirect>) while the phone rang
    } else if (answers) {
      bridge();
    } else {
      leg.status = "no-answer";
      leg.endedAt = call.callTime();
      call.step("agent.no-answer", { to: order.to, timeout: order.timeout });
      notify("completed", "no-answer", { CallDuration: "0" });
    }
    phone.onChange?.();
  });
}

/** `call`: rings the worker for up to `timeout` seconds; once they answer, runs the TwiML at `url`. */
export function callWorker(phone: Phone, order: CallOrder): void {
  const worker = new VirtualCall(
    phone,
    { to: order.to, from: order.from },
    "outbound-api",
    order.workerCallSid,
  );
  phone.calls.set(worker.sid, worker);
  const notify = legNotifier(phone, worker, order.statusCallbackUrl, ["completed"], {
    callSid: worker.sid,
    from: order.from,
    to: order.to,
  });
  // Not tracked on the clock as a whole: the call waits for the clock, and its webhooks are tracked one by one.
  void phone.run(worker, async () => {
    worker.step("worker.call", {
      reservationSid: order.reservation.sid,
      url: order.url,
      timeout: order.timeout,
      record: order.record,
    });
    const { answers, seconds } = ring(phone, order.to, order.timeout);
    if (seconds > 0 && !(await worker.wait(seconds))) return;
    if (!answers) {
      worker.noAnswer = true;
      worker.step("no-answer", { timeout: order.timeout });
      notify("completed", "no-answer", { CallDuration: "0" });
      return;
    }
    worker.step("answered", {});
    const answeredAt = phone.clock.now();
    if (order.record) worker.result.recording = startRecording(phone);
    try {
      const doc = await phone.fetchTwiml(worker, order.url, "POST");
      await phone.play(worker, doc);
    } finally {
      const seconds = Math.round((phone.clock.now() - answeredAt) / 1000);
      notify("completed", "completed", completedParams(seconds, worker.result.recording));
    }
  });
}

export function redirectCall(phone: Phone, order: RedirectOrder): void {
  const call = phone.calls.get(order.callSid);
  if (!call || call.state === "ended" || call.hungUp) {
    throw redirectCallNotInProgress(order.callSid);
  }
  call.step("redirected", { url: order.url, reservationSid: order.reservation.sid });
  call.redirectTo = order.url;
  call.interrupt();
}
