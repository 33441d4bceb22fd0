// Reservations, task-scoped and worker-scoped: list, fetch, update (status or Instruction); ETags.
import type { Instruction, ReservationScope, ReservationStatus } from "../../state/store";
import { etag } from "../../state/store";
import { trList } from "../paging";
import type { Params } from "../params";
import { renderReservation } from "../render";
import { ok, TR, ws, type Route, type RouteContext } from "../route";

const STATUSES: readonly ReservationStatus[] = [
  "pending",
  "accepted",
  "rejected",
  "timeout",
  "canceled",
  "rescinded",
  "wrapping",
  "completed",
];

/**
 * REST `Instruction=…` parameters → the assignment callback's keys for the same instruction
 * (https://www.twilio.com/docs/taskrouter/api/reservation#update-a-taskreservation-resource), so
 * both ways run one instruction. DequeueStatusCallbackEvent is a list: its values are joined as
 * the callback's comma-separated `status_callback_events`.
 */
const INSTRUCTION_PARAMS: Record<string, Array<[string, string]>> = {
  dequeue: [
    ["to", "DequeueTo"],
    ["from", "DequeueFrom"],
    ["post_work_activity_sid", "DequeuePostWorkActivitySid"],
    ["timeout", "DequeueTimeout"],
    ["record", "DequeueRecord"],
    ["status_callback_url", "DequeueStatusCallbackUrl"],
    ["status_callback_events", "DequeueStatusCallbackEvent"],
  ],
  call: [
    ["to", "CallTo"],
    ["from", "CallFrom"],
    ["url", "CallUrl"],
    ["accept", "CallAccept"],
    ["record", "CallRecord"],
    ["timeout", "CallTimeout"],
    ["status_callback_url", "CallStatusCallbackUrl"],
  ],
  redirect: [
    ["call_sid", "RedirectCallSid"],
    ["url", "RedirectUrl"],
    ["accept", "RedirectAccept"],
  ],
};

function instructionOf(p: Params): Instruction | undefined {
  const kind = p.oneOf("Instruction", ["conference", "dequeue", "call", "redirect"] as const);
  if (kind === undefined) return undefined;
  const out: Instruction = { instruction: kind };
  for (const [key, param] of INSTRUCTION_PARAMS[kind] ?? []) {
    const v = param === "DequeueStatusCallbackEvent" ? p.all(param).join(",") : p.str(param);
    if (v) out[key] = v;
  }
  return out;
}

function update(c: RouteContext, scope: ReservationScope, kind: "task" | "worker") {
  c.store.reservation(ws(c), scope, c.pathParams.Sid);
  const p = c.form;
  p.refuse(
    scope.workerSid ? ["SupervisorMode", "Supervisor"] : [],
    "is accepted only on task-scoped reservations",
  );
  const input = {
    reservationStatus: p.oneOf("ReservationStatus", STATUSES),
    instruction: instructionOf(p),
    workerActivitySid: p.str("WorkerActivitySid"),
  };
  const r = c.store.updateReservation(ws(c), scope, c.pathParams.Sid, input, c.ifMatch);
  return ok(renderReservation(c.store, r, c.base, kind), { ETag: etag(r.revision) });
}

const BY_TASK = `${TR}/{WorkspaceSid}/Tasks/{TaskSid}/Reservations`;
const BY_WORKER = `${TR}/{WorkspaceSid}/Workers/{WorkerSid}/Reservations`;

export const reservationRoutes: Route[] = [
  {
    method: "GET",
    template: BY_TASK,
    handler: (c) =>
      trList(c, "reservations", ["ReservationStatus", "WorkerSid"], () => {
        const task = c.store.task(ws(c), c.pathParams.TaskSid);
        const status = c.query.str("ReservationStatus");
        const worker = c.query.str("WorkerSid");
        return c.store
          .taskReservations(task.sid)
          .filter((r) => status === undefined || r.reservationStatus === status)
          .filter((r) => worker === undefined || r.workerSid === worker)
          .map((r) => renderReservation(c.store, r, c.base, "task"));
      }),
  },
  {
    method: "GET",
    template: `${BY_TASK}/{Sid}`,
    handler: (c) => {
      const r = c.store.reservation(ws(c), { taskSid: c.pathParams.TaskSid }, c.pathParams.Sid);
      return ok(renderReservation(c.store, r, c.base, "task"), { ETag: etag(r.revision) });
    },
  },
  {
    method: "POST",
    template: `${BY_TASK}/{Sid}`,
    handler: (c) => update(c, { taskSid: c.pathParams.TaskSid }, "task"),
  },
  {
    method: "GET",
    template: BY_WORKER,
    handler: (c) =>
      trList(c, "reservations", ["ReservationStatus"], () => {
        const worker = c.store.worker(ws(c), c.pathParams.WorkerSid);
        const status = c.query.str("ReservationStatus");
        return [...c.store.reservations.values()]
          .filter((r) => r.workerSid === worker.sid)
          .filter((r) => status === undefined || r.reservationStatus === status)
          .map((r) => renderReservation(c.store, r, c.base, "worker"));
      }),
  },
  {
    method: "GET",
    template: `${BY_WORKER}/{Sid}`,
    handler: (c) => {
      const r = c.store.reservation(ws(c), { workerSid: c.pathParams.WorkerSid }, c.pathParams.Sid);
      return ok(renderReservation(c.store, r, c.base, "worker"), { ETag: etag(r.revision) });
    },
  },
  {
    method: "POST",
    template: `${BY_WORKER}/{Sid}`,
    handler: (c) => update(c, { workerSid: c.pathParams.WorkerSid }, "worker"),
  },
];
