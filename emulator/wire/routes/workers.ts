// /v1/Workspaces/{WorkspaceSid}/Workers: list (with its filters), create, fetch, update, delete; ETags.
import { etag, type WorkerRec } from "../../state/store";
import { applyOrdering, byName, expressionFilter } from "../filters";
import { trList } from "../paging";
import { renderWorker } from "../render";
import {
  ATTRIBUTES_MAX,
  created,
  knownWs,
  noContent,
  ok,
  TR,
  ws,
  type Route,
  type RouteContext,
} from "../route";

const LIST = `${TR}/{WorkspaceSid}/Workers`;
const ONE = `${LIST}/{Sid}`;

function workerFilter(ctx: RouteContext, workers: WorkerRec[]): WorkerRec[] {
  const { store, query: q } = ctx;
  let out = byName(workers, q);
  const activityName = q.str("ActivityName");
  if (activityName !== undefined) {
    out = out.filter((w) => store.activities.get(w.activitySid)?.friendlyName === activityName);
  }
  const activitySid = q.str("ActivitySid");
  if (activitySid !== undefined) out = out.filter((w) => w.activitySid === activitySid);
  const available = q.bool("Available");
  if (available !== undefined) {
    out = out.filter(
      (w) => (store.activities.get(w.activitySid)?.available ?? false) === available,
    );
  }
  const tq = q.str("TaskQueueSid");
  const tqName = q.str("TaskQueueName");
  if (tq !== undefined || tqName !== undefined) {
    const queue = store
      .listOf(store.taskQueues, ws(ctx))
      .find(
        (x) =>
          (tq === undefined || x.sid === tq) && (tqName === undefined || x.friendlyName === tqName),
      );
    out = queue ? out.filter((w) => store.workerInQueue(w, queue)) : [];
  }
  const expr = q.str("TargetWorkersExpression");
  if (expr !== undefined) {
    const test = expressionFilter(expr, "TargetWorkersExpression");
    out = out.filter((w) => test(store.workerContext(w)));
  }
  return applyOrdering(out, q, {
    DateCreated: (w) => w.dateCreated,
    DateStatusChanged: (w) => w.dateStatusChanged,
  });
}

export const workerRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) =>
      trList(
        c,
        "workers",
        [
          "FriendlyName",
          "ActivityName",
          "ActivitySid",
          "Available",
          "TargetWorkersExpression",
          "TaskQueueName",
          "TaskQueueSid",
          "Ordering",
        ],
        () =>
          workerFilter(c, c.store.listOf(c.store.workers, ws(c))).map((w) =>
            renderWorker(c.store, w, c.base, true),
          ),
      ),
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      const w = c.store.createWorker(knownWs(c), {
        friendlyName: c.form.required("FriendlyName"),
        activitySid: c.form.str("ActivitySid"),
        attributes: c.form.jsonObject("Attributes", ATTRIBUTES_MAX),
      });
      return created(renderWorker(c.store, w, c.base), { ETag: etag(w.revision) });
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) => {
      const w = c.store.worker(ws(c), c.pathParams.Sid);
      return ok(renderWorker(c.store, w, c.base), { ETag: etag(w.revision) });
    },
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      c.store.worker(ws(c), c.pathParams.Sid);
      const input = {
        friendlyName: c.form.str("FriendlyName"),
        activitySid: c.form.str("ActivitySid"),
        attributes: c.form.jsonObject("Attributes", ATTRIBUTES_MAX),
        rejectPendingReservations: c.form.bool("RejectPendingReservations"),
      };
      const w = c.store.updateWorker(ws(c), c.pathParams.Sid, input, c.ifMatch);
      return ok(renderWorker(c.store, w, c.base), { ETag: etag(w.revision) });
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => (c.store.deleteWorker(ws(c), c.pathParams.Sid, c.ifMatch), noContent),
  },
];
