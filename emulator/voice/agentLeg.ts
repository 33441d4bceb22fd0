/**
 * The agent's side of a call: what the routing engine's `VoiceBridge` asks of the phone
 * (https://www.twilio.com/docs/taskrouter/handle-assignment-callbacks): a `dequeue` bridges a waiting
 * caller to the worker, a `call` places a call to the worker that runs TwiML, a `redirect` moves the
 * caller out of the queue; and the bridged conversation until one side hangs up.
 */
import type { VoiceBridge } from "../taskrouter/engine";
import { dequeueFailed, redirectCallNotInProgress } from "../errors";
import { VirtualCall, type QueueEnd } from "./call";
import { finishTask } from "./queue";
import type { Phone } from "./phone";

export type DequeueOrder = Parameters<VoiceBridge["dequeue"]>[0];
export type CallOrder = Parameters<VoiceBridge["call"]>[0];
export type RedirectOrder = Parameters<VoiceBridge["redirect"]>[0];

/** The bridged conversation: `talkSeconds`, then the worker hangs up (or the caller first). */
export async function talk(phone: Phone, call: VirtualCall): Promise<QueueEnd> {
  const bridge = call.bridge as NonNullable<VirtualCall["bridge"]>;
  const seconds = call.opts.talkSeconds ?? phone.talkSeconds;
  const full = await call.wait(seconds);
  call.step("bridge.ended", {
    by: full ? "worker" : "caller",
    talkSeconds: (phone.clock.now() - call.bridgedAt) / 1000,
  });
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

export function dequeueCall(phone: Phone, order: DequeueOrder): void {
  const call = phone.calls.get(order.callSid);
  if (!call || call.state !== "queued" || call.hungUp) {
    throw dequeueFailed(`call ${order.callSid} is not waiting in a queue`);
  }
  call.state = "bridged";
  call.everBridged = true;
  call.bridgedAt = phone.clock.now();
  call.bridge = {
    to: order.to,
    from: order.from,
    postWork: order.postWorkActivitySid,
    reservation: order.reservation,
  };
  call.result.bridgedTo = order.to;
  const worker = phone.store.workers.get(order.reservation.workerSid);
  call.step("dequeue", {
    to: order.to,
    from: order.from,
    worker: worker?.friendlyName ?? order.reservation.workerSid,
    workerCallSid: order.workerCallSid,
    postWorkActivity: order.postWorkActivitySid
      ? (phone.store.activities.get(order.postWorkActivitySid)?.friendlyName ?? null)
      : null,
  });
  call.step("bridged", { to: order.to });
  call.interrupt();
}

export function callWorker(phone: Phone, order: CallOrder): void {
  const worker = new VirtualCall(
    phone,
    { to: order.to, from: order.from },
    "outbound-api",
    order.workerCallSid,
  );
  phone.calls.set(worker.sid, worker);
  void phone.clock.track(
    phone.run(worker, async () => {
      worker.step("worker.call", { reservationSid: order.reservation.sid, url: order.url });
      const doc = await phone.fetchTwiml(worker, order.url, "POST");
      await phone.play(worker, doc);
    }),
  );
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
