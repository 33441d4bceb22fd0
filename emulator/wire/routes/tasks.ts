// /v1/Workspaces/{WorkspaceSid}/Tasks: list (with its filters), create, fetch, update, delete; ETags.
import { invalidParameter } from "../../errors";
import { etag, type TaskRec, type TaskStatus } from "../../state/store";
import { applyOrdering, expressionFilter } from "../filters";
import { trList } from "../paging";
import { renderTask } from "../render";
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

const LIST = `${TR}/{WorkspaceSid}/Tasks`;
const ONE = `${LIST}/{Sid}`;
const STATUSES: readonly TaskStatus[] = [
  "pending",
  "reserved",
  "assigned",
  "canceled",
  "completed",
  "wrapping",
];
const PRIORITY_MAX = 2147483647;

function taskFilter(ctx: RouteContext, tasks: TaskRec[]): TaskRec[] {
  const { store, query: q } = ctx;
  let out = tasks;
  const priority = q.int("Priority", 0, PRIORITY_MAX);
  if (priority !== undefined) out = out.filter((t) => t.priority === priority);
  const statuses = q.all("AssignmentStatus").flatMap((s) => s.split(","));
  if (statuses.length > 0) {
    for (const s of statuses)
      if (!(STATUSES as string[]).includes(s))
        throw invalidParameter(`Invalid AssignmentStatus: ${s}`);
    out = out.filter((t) => statuses.includes(t.assignmentStatus));
  }
  const wf = q.str("WorkflowSid");
  if (wf !== undefined) out = out.filter((t) => t.workflowSid === wf);
  const wfName = q.str("WorkflowName");
  if (wfName !== undefined) {
    out = out.filter(
      (t) => t.workflowSid && store.workflows.get(t.workflowSid)?.friendlyName === wfName,
    );
  }
  const tq = q.str("TaskQueueSid");
  if (tq !== undefined) out = out.filter((t) => t.taskQueueSid === tq);
  const tqName = q.str("TaskQueueName");
  if (tqName !== undefined) {
    out = out.filter(
      (t) => t.taskQueueSid && store.taskQueues.get(t.taskQueueSid)?.friendlyName === tqName,
    );
  }
  const rt = q.str("RoutingTarget");
  if (rt !== undefined) out = out.filter((t) => t.routingTarget === rt);
  const hasAddons = q.bool("HasAddons");
  if (hasAddons === true) out = [];
  const expr = q.str("EvaluateTaskAttributes");
  if (expr !== undefined) {
    const test = expressionFilter(expr, "EvaluateTaskAttributes");
    out = out.filter((t) => test(JSON.parse(t.attributes) as Record<string, unknown>));
  }
  return applyOrdering(out, q, {
    DateCreated: (t) => t.dateCreated,
    Priority: (t) => t.priority,
  });
}

export const taskRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) =>
      trList(
        c,
        "tasks",
        [
          "Priority",
          "AssignmentStatus",
          "WorkflowSid",
          "WorkflowName",
          "TaskQueueSid",
          "TaskQueueName",
          "EvaluateTaskAttributes",
          "RoutingTarget",
          "Ordering",
          "HasAddons",
        ],
        () =>
          taskFilter(c, c.store.listOf(c.store.tasks, ws(c))).map((t) =>
            renderTask(c.store, t, c.base, true),
          ),
      ),
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      const wsSid = knownWs(c);
      const p = c.form;
      const t = c.store.createTask(wsSid, {
        attributes: p.jsonObject("Attributes", ATTRIBUTES_MAX),
        priority: p.int("Priority", 0, PRIORITY_MAX),
        timeout: p.int("Timeout", 1, 1209600),
        taskChannel: p.str("TaskChannel"),
        virtualStartTime: p.date("VirtualStartTime"),
        routingTarget: p.str("RoutingTarget"),
        ignoreCapacity: p.bool("IgnoreCapacity"),
        taskQueueSid: p.str("TaskQueueSid"),
        workflowSid: p.str("WorkflowSid"),
      });
      return created(renderTask(c.store, t, c.base), { ETag: etag(t.revision) });
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) => {
      const t = c.store.task(ws(c), c.pathParams.Sid);
      return ok(renderTask(c.store, t, c.base), { ETag: etag(t.revision) });
    },
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      c.store.task(ws(c), c.pathParams.Sid);
      const p = c.form;
      const input = {
        attributes: p.jsonObject("Attributes", ATTRIBUTES_MAX),
        priority: p.int("Priority", 0, PRIORITY_MAX),
        taskChannel: p.str("TaskChannel"),
        virtualStartTime: p.date("VirtualStartTime"),
        assignmentStatus: p.oneOf("AssignmentStatus", STATUSES),
        reason: p.str("Reason"),
      };
      const t = c.store.updateTask(ws(c), c.pathParams.Sid, input, c.ifMatch);
      return ok(renderTask(c.store, t, c.base), { ETag: etag(t.revision) });
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => (c.store.deleteTask(ws(c), c.pathParams.Sid, c.ifMatch), noContent),
  },
];
