// /v1/Workspaces/{WorkspaceSid}/TaskQueues: list (with its filters), create, fetch, update, delete.
import { isParkingQueue } from "../../../infra/taskrouter/routing";
import { invalidParameter } from "../../errors";
import { applyOrdering, byName, expressionFilter } from "../filters";
import { trList } from "../paging";
import { parseJsonObject, type Params } from "../params";
import { renderTaskQueue } from "../render";
import { created, knownWs, noContent, ok, TR, ws, type Route } from "../route";

const LIST = `${TR}/{WorkspaceSid}/TaskQueues`;
const ONE = `${LIST}/{Sid}`;

function queueInput(p: Params) {
  return {
    targetWorkers: p.str("TargetWorkers"),
    maxReservedWorkers: p.int("MaxReservedWorkers", 1, 50),
    taskOrder: p.oneOf("TaskOrder", ["FIFO", "LIFO"] as const),
    reservationActivitySid: p.str("ReservationActivitySid"),
    assignmentActivitySid: p.str("AssignmentActivitySid"),
  };
}

export const taskQueueRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) =>
      trList(
        c,
        "task_queues",
        ["FriendlyName", "EvaluateWorkerAttributes", "WorkerSid", "Ordering"],
        () => {
          const { store, query: q } = c;
          let list = byName(store.listOf(store.taskQueues, ws(c)), q);
          const attrs = q.str("EvaluateWorkerAttributes");
          if (attrs !== undefined) {
            const context = parseJsonObject(attrs, "EvaluateWorkerAttributes");
            list = list.filter(
              (x) =>
                !isParkingQueue(x.targetWorkers) &&
                expressionFilter(x.targetWorkers, "TargetWorkers")(context),
            );
          }
          const workerSid = q.str("WorkerSid");
          if (workerSid !== undefined) {
            const w = store.workers.get(workerSid);
            if (!w || w.workspaceSid !== ws(c))
              throw invalidParameter(`Invalid WorkerSid: worker ${workerSid} not found`);
            list = list.filter((x) => store.workerInQueue(w, x));
          }
          list = applyOrdering(list, q, { DateCreated: (x) => x.dateCreated });
          return list.map((x) => renderTaskQueue(store, x, c.base));
        },
      ),
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      const wsSid = knownWs(c);
      const input = { friendlyName: c.form.required("FriendlyName"), ...queueInput(c.form) };
      return created(renderTaskQueue(c.store, c.store.createTaskQueue(wsSid, input), c.base));
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) =>
      ok(renderTaskQueue(c.store, c.store.taskQueue(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      c.store.taskQueue(ws(c), c.pathParams.Sid);
      const input = { friendlyName: c.form.str("FriendlyName"), ...queueInput(c.form) };
      const q = c.store.updateTaskQueue(ws(c), c.pathParams.Sid, input);
      return ok(renderTaskQueue(c.store, q, c.base));
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => (c.store.deleteTaskQueue(ws(c), c.pathParams.Sid), noContent),
  },
];
