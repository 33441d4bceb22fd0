// The REST surface: (method, path template) → store call → rendered JSON. Templates are spelled
// exactly as in Twilio's OpenAPI specs so the coverage test can map each one to an operation.
import { evaluateExpression, ExpressionError } from "../../infra/taskrouter/expression";
import { badRequest, methodNotAllowed, notFound, TwilioError } from "../errors";
import { Params } from "./params";
import {
  renderActivity,
  renderPhoneNumber,
  renderReservation,
  renderTask,
  renderTaskQueue,
  renderWorker,
  renderWorkflow,
  renderWorkspace,
  type Json,
} from "./render";
import { etag, type Store, type TaskRec, type WorkerRec } from "../state/store";

export interface RouteContext {
  store: Store;
  /** Emulator origin, e.g. http://127.0.0.1:4010 */
  base: string;
  /** Path without the query string. */
  path: string;
  pathParams: Record<string, string>;
  query: Params;
  form: Params;
  ifMatch?: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  template: string;
  handler(ctx: RouteContext): RouteResult;
}

const PAGING = ["PageSize", "Page", "PageToken"];

function encodeToken(offset: number): string {
  return "PT" + Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

function decodeToken(token: string): number {
  try {
    if (!token.startsWith("PT")) throw new Error("prefix");
    const v = JSON.parse(Buffer.from(token.slice(2), "base64url").toString("utf8")) as {
      o?: unknown;
    };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(`Invalid PageToken: ${JSON.stringify(token)}`);
}

interface PageSpec {
  size: number;
  page: number;
  offset: number;
  token?: string;
  filterQuery: string;
}

function readPage(q: Params, allowed: string[], absolutePagingRefused: boolean): PageSpec {
  for (const name of q.names()) {
    if (!allowed.includes(name) && !PAGING.includes(name)) {
      throw badRequest(`Unknown query parameter ${name}`);
    }
  }
  const size = q.int("PageSize", 1, 1000) ?? 50;
  const page = q.int("Page", 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const token = q.str("PageToken");
  let offset: number;
  if (token !== undefined) offset = decodeToken(token);
  else if (page > 0 && absolutePagingRefused) {
    throw new TwilioError(400, 40153, "Absolute Paging used when iterating TaskRouter resources");
  } else offset = page * size;
  const filters = new URLSearchParams();
  for (const name of q.names()) {
    if (!PAGING.includes(name)) for (const v of q.all(name)) filters.append(name, v);
  }
  return { size, page, offset, token, filterQuery: filters.toString() };
}

function pageQuery(spec: PageSpec, page: number, token?: string): string {
  const parts = [spec.filterQuery, `PageSize=${spec.size}`, `Page=${page}`];
  if (token) parts.push(`PageToken=${token}`);
  return parts.filter((x) => x !== "").join("&");
}

/** TaskRouter list envelope with absolute meta URLs on the emulator's host. */
function trList(
  ctx: RouteContext,
  key: string,
  allowed: string[],
  items: Json[] | (() => Json[]),
): RouteResult {
  const spec = readPage(ctx.query, allowed, true);
  const all = typeof items === "function" ? items() : items;
  const slice = all.slice(spec.offset, spec.offset + spec.size);
  const url = `${ctx.base}${ctx.path}`;
  const hasNext = spec.offset + spec.size < all.length;
  return {
    status: 200,
    body: {
      [key]: slice,
      meta: {
        first_page_url: `${url}?${pageQuery(spec, 0)}`,
        key,
        next_page_url: hasNext
          ? `${url}?${pageQuery(spec, spec.page + 1, encodeToken(spec.offset + spec.size))}`
          : null,
        page: spec.page,
        page_size: spec.size,
        previous_page_url:
          spec.page > 0 && spec.offset > 0
            ? `${url}?${pageQuery(spec, spec.page - 1, encodeToken(Math.max(0, spec.offset - spec.size)))}`
            : null,
        url: `${url}?${pageQuery(spec, spec.page, spec.token)}`,
      },
    },
  };
}

function created(body: Json, headers?: Record<string, string>): RouteResult {
  return { status: 201, body, headers };
}
function ok(body: Json, headers?: Record<string, string>): RouteResult {
  return { status: 200, body, headers };
}
const noContent: RouteResult = { status: 204 };

function byName<T extends { friendlyName: string }>(list: T[], q: Params): T[] {
  const name = q.str("FriendlyName");
  return name === undefined
    ? list
    : list.filter((x) => x.friendlyName.toLowerCase() === name.toLowerCase());
}

function expressionFilter(
  source: string,
  param: string,
): (ctx: Record<string, unknown>) => boolean {
  return (c) => {
    try {
      return evaluateExpression(source, c);
    } catch (err) {
      if (err instanceof ExpressionError) throw badRequest(`Invalid ${param}: ${err.message}`);
      throw err;
    }
  };
}

function parseJsonObject(text: string, param: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw badRequest(`Invalid ${param}: not valid JSON`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw badRequest(`Invalid ${param}: must be a JSON object`);
  return v as Record<string, unknown>;
}

/** `Ordering=Field:asc|desc[,Field:asc|desc]`; the fields each list supports are listed. */
function applyOrdering<T>(
  list: T[],
  q: Params,
  fields: Record<string, (x: T) => string | number>,
): T[] {
  const ordering = q.str("Ordering");
  if (ordering === undefined) return list;
  const keys = ordering.split(",").map((part) => {
    const [field, dir = "asc"] = part.trim().split(":");
    const get = fields[field];
    if (!get || !["asc", "desc"].includes(dir.toLowerCase())) {
      throw badRequest(
        `Invalid Ordering: ${JSON.stringify(part)}; supported fields: ${Object.keys(fields).join(", ")}`,
      );
    }
    return { get, sign: dir.toLowerCase() === "desc" ? -1 : 1 };
  });
  return [...list].sort((a, b) => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      if (x < y) return -k.sign;
      if (x > y) return k.sign;
    }
    return 0;
  });
}

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
      .listOf(store.taskQueues, ctx.pathParams.WorkspaceSid)
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

function taskFilter(ctx: RouteContext, tasks: TaskRec[]): TaskRec[] {
  const { store, query: q } = ctx;
  let out = tasks;
  const priority = q.int("Priority", 0, 2147483647);
  if (priority !== undefined) out = out.filter((t) => t.priority === priority);
  const statuses = q.all("AssignmentStatus").flatMap((s) => s.split(","));
  if (statuses.length > 0) {
    const known = ["pending", "reserved", "assigned", "canceled", "completed", "wrapping"];
    for (const s of statuses)
      if (!known.includes(s)) throw badRequest(`Invalid AssignmentStatus: ${s}`);
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

function ws(ctx: RouteContext): string {
  return ctx.pathParams.WorkspaceSid;
}

const TR = "/v1/Workspaces";

export const routes: Route[] = [
  // ---------------------------------------------------------------- workspaces
  {
    method: "GET",
    template: TR,
    handler: (c) =>
      trList(c, "workspaces", ["FriendlyName"], () =>
        byName([...c.store.workspaces.values()], c.query).map((w) =>
          renderWorkspace(c.store, w, c.base),
        ),
      ),
  },
  {
    method: "POST",
    template: TR,
    handler: (c) => created(renderWorkspace(c.store, c.store.createWorkspace(c.form), c.base)),
  },
  {
    method: "GET",
    template: `${TR}/{Sid}`,
    handler: (c) => ok(renderWorkspace(c.store, c.store.workspace(c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: `${TR}/{Sid}`,
    handler: (c) =>
      ok(renderWorkspace(c.store, c.store.updateWorkspace(c.pathParams.Sid, c.form), c.base)),
  },
  {
    method: "DELETE",
    template: `${TR}/{Sid}`,
    handler: (c) => (c.store.deleteWorkspace(c.pathParams.Sid), noContent),
  },
  // ---------------------------------------------------------------- activities
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Activities`,
    handler: (c) =>
      trList(c, "activities", ["FriendlyName", "Available"], () => {
        let list = byName(c.store.listOf(c.store.activities, ws(c)), c.query);
        const available = c.query.bool("Available");
        if (available !== undefined) list = list.filter((a) => a.available === available);
        return list.map((a) => renderActivity(c.store, a, c.base));
      }),
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Activities`,
    handler: (c) => created(renderActivity(c.store, c.store.createActivity(ws(c), c.form), c.base)),
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Activities/{Sid}`,
    handler: (c) => ok(renderActivity(c.store, c.store.activity(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Activities/{Sid}`,
    handler: (c) =>
      ok(renderActivity(c.store, c.store.updateActivity(ws(c), c.pathParams.Sid, c.form), c.base)),
  },
  {
    method: "DELETE",
    template: `${TR}/{WorkspaceSid}/Activities/{Sid}`,
    handler: (c) => (c.store.deleteActivity(ws(c), c.pathParams.Sid), noContent),
  },
  // ---------------------------------------------------------------- workers
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Workers`,
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
    template: `${TR}/{WorkspaceSid}/Workers`,
    handler: (c) => {
      const w = c.store.createWorker(ws(c), c.form);
      return created(renderWorker(c.store, w, c.base), { ETag: etag(w.revision) });
    },
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Workers/{Sid}`,
    handler: (c) => {
      const w = c.store.worker(ws(c), c.pathParams.Sid);
      return ok(renderWorker(c.store, w, c.base), { ETag: etag(w.revision) });
    },
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Workers/{Sid}`,
    handler: (c) => {
      const w = c.store.updateWorker(ws(c), c.pathParams.Sid, c.form, c.ifMatch);
      return ok(renderWorker(c.store, w, c.base), { ETag: etag(w.revision) });
    },
  },
  {
    method: "DELETE",
    template: `${TR}/{WorkspaceSid}/Workers/{Sid}`,
    handler: (c) => (c.store.deleteWorker(ws(c), c.pathParams.Sid, c.ifMatch), noContent),
  },
  // ---------------------------------------------------------------- task queues
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/TaskQueues`,
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
            list = list.filter((x) => expressionFilter(x.targetWorkers, "TargetWorkers")(context));
          }
          const workerSid = q.str("WorkerSid");
          if (workerSid !== undefined) {
            const w = store.workers.get(workerSid);
            if (!w || w.workspaceSid !== ws(c))
              throw badRequest(`Invalid WorkerSid: worker ${workerSid} not found`);
            list = list.filter((x) => store.workerInQueue(w, x));
          }
          list = applyOrdering(list, q, { DateCreated: (x) => x.dateCreated });
          return list.map((x) => renderTaskQueue(store, x, c.base));
        },
      ),
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/TaskQueues`,
    handler: (c) =>
      created(renderTaskQueue(c.store, c.store.createTaskQueue(ws(c), c.form), c.base)),
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/TaskQueues/{Sid}`,
    handler: (c) =>
      ok(renderTaskQueue(c.store, c.store.taskQueue(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/TaskQueues/{Sid}`,
    handler: (c) =>
      ok(
        renderTaskQueue(c.store, c.store.updateTaskQueue(ws(c), c.pathParams.Sid, c.form), c.base),
      ),
  },
  {
    method: "DELETE",
    template: `${TR}/{WorkspaceSid}/TaskQueues/{Sid}`,
    handler: (c) => (c.store.deleteTaskQueue(ws(c), c.pathParams.Sid), noContent),
  },
  // ---------------------------------------------------------------- workflows
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Workflows`,
    handler: (c) =>
      trList(c, "workflows", ["FriendlyName"], () =>
        byName(c.store.listOf(c.store.workflows, ws(c)), c.query).map((x) =>
          renderWorkflow(c.store, x, c.base),
        ),
      ),
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Workflows`,
    handler: (c) => created(renderWorkflow(c.store, c.store.createWorkflow(ws(c), c.form), c.base)),
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Workflows/{Sid}`,
    handler: (c) => ok(renderWorkflow(c.store, c.store.workflow(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Workflows/{Sid}`,
    handler: (c) =>
      ok(renderWorkflow(c.store, c.store.updateWorkflow(ws(c), c.pathParams.Sid, c.form), c.base)),
  },
  {
    method: "DELETE",
    template: `${TR}/{WorkspaceSid}/Workflows/{Sid}`,
    handler: (c) => (c.store.deleteWorkflow(ws(c), c.pathParams.Sid), noContent),
  },
  // ---------------------------------------------------------------- tasks
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Tasks`,
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
    template: `${TR}/{WorkspaceSid}/Tasks`,
    handler: (c) => {
      const t = c.store.createTask(ws(c), c.form);
      return created(renderTask(c.store, t, c.base), { ETag: etag(t.revision) });
    },
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Tasks/{Sid}`,
    handler: (c) => {
      const t = c.store.task(ws(c), c.pathParams.Sid);
      return ok(renderTask(c.store, t, c.base), { ETag: etag(t.revision) });
    },
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Tasks/{Sid}`,
    handler: (c) => {
      const t = c.store.updateTask(ws(c), c.pathParams.Sid, c.form, c.ifMatch);
      return ok(renderTask(c.store, t, c.base), { ETag: etag(t.revision) });
    },
  },
  {
    method: "DELETE",
    template: `${TR}/{WorkspaceSid}/Tasks/{Sid}`,
    handler: (c) => (c.store.deleteTask(ws(c), c.pathParams.Sid, c.ifMatch), noContent),
  },
  // ---------------------------------------------------------------- reservations
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Tasks/{TaskSid}/Reservations`,
    handler: (c) =>
      trList(c, "reservations", ["ReservationStatus", "WorkerSid"], () => {
        const task = c.store.task(ws(c), c.pathParams.TaskSid);
        const status = c.query.str("ReservationStatus");
        const worker = c.query.str("WorkerSid");
        return [...c.store.reservations.values()]
          .filter((r) => r.taskSid === task.sid)
          .filter((r) => status === undefined || r.reservationStatus === status)
          .filter((r) => worker === undefined || r.workerSid === worker)
          .map((r) => renderReservation(c.store, r, c.base, "task"));
      }),
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}`,
    handler: (c) => {
      const r = c.store.reservation(ws(c), { taskSid: c.pathParams.TaskSid }, c.pathParams.Sid);
      return ok(renderReservation(c.store, r, c.base, "task"), { ETag: etag(r.revision) });
    },
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}`,
    handler: (c) => {
      const r = c.store.updateReservation(
        ws(c),
        { taskSid: c.pathParams.TaskSid },
        c.pathParams.Sid,
        c.form,
        c.ifMatch,
      );
      return ok(renderReservation(c.store, r, c.base, "task"), { ETag: etag(r.revision) });
    },
  },
  {
    method: "GET",
    template: `${TR}/{WorkspaceSid}/Workers/{WorkerSid}/Reservations`,
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
    template: `${TR}/{WorkspaceSid}/Workers/{WorkerSid}/Reservations/{Sid}`,
    handler: (c) => {
      const r = c.store.reservation(ws(c), { workerSid: c.pathParams.WorkerSid }, c.pathParams.Sid);
      return ok(renderReservation(c.store, r, c.base, "worker"), { ETag: etag(r.revision) });
    },
  },
  {
    method: "POST",
    template: `${TR}/{WorkspaceSid}/Workers/{WorkerSid}/Reservations/{Sid}`,
    handler: (c) => {
      const r = c.store.updateReservation(
        ws(c),
        { workerSid: c.pathParams.WorkerSid },
        c.pathParams.Sid,
        c.form,
        c.ifMatch,
      );
      return ok(renderReservation(c.store, r, c.base, "worker"), { ETag: etag(r.revision) });
    },
  },
  // ---------------------------------------------------------------- API 2010 phone numbers
  {
    method: "GET",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
    handler: (c) => {
      own(c);
      const spec = readPage(c.query, ["PhoneNumber", "FriendlyName", "Beta", "Origin"], false);
      let list = [...c.store.phoneNumbers.values()];
      const pn = c.query.str("PhoneNumber");
      if (pn !== undefined) {
        // `*` is a wildcard digit; a partial number matches anywhere in the number.
        const re = new RegExp(pn.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "\\d"));
        list = list.filter((n) => re.test(n.phoneNumber));
      }
      const fn = c.query.str("FriendlyName");
      if (fn !== undefined) list = list.filter((n) => n.friendlyName === fn);
      const beta = c.query.bool("Beta");
      if (beta === true) list = [];
      const origin = c.query.str("Origin");
      if (origin !== undefined && origin !== "twilio") list = [];
      const slice = list.slice(spec.offset, spec.offset + spec.size);
      const uri = c.path;
      const hasNext = spec.offset + spec.size < list.length;
      return ok({
        end: spec.offset + Math.max(slice.length, 1) - 1,
        first_page_uri: `${uri}?${pageQuery(spec, 0)}`,
        next_page_uri: hasNext
          ? `${uri}?${pageQuery(spec, spec.page + 1, encodeToken(spec.offset + spec.size))}`
          : null,
        page: spec.page,
        page_size: spec.size,
        previous_page_uri:
          spec.page > 0 && spec.offset > 0
            ? `${uri}?${pageQuery(spec, spec.page - 1, encodeToken(Math.max(0, spec.offset - spec.size)))}`
            : null,
        start: spec.offset,
        uri: `${uri}?${pageQuery(spec, spec.page, spec.token)}`,
        incoming_phone_numbers: slice.map((n) => renderPhoneNumber(c.store, n)),
      });
    },
  },
  {
    method: "POST",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
    handler: (c) => {
      own(c);
      throw methodNotAllowed(
        "Method not allowed: the emulator does not buy phone numbers; start it with --number for each number the account owns",
      );
    },
  },
  {
    method: "GET",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
    handler: (c) => (own(c), ok(renderPhoneNumber(c.store, c.store.phoneNumber(c.pathParams.Sid)))),
  },
  {
    method: "POST",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
    handler: (c) => (
      own(c),
      ok(renderPhoneNumber(c.store, c.store.updatePhoneNumber(c.pathParams.Sid, c.form)))
    ),
  },
  {
    method: "DELETE",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
    handler: (c) => {
      own(c);
      c.store.phoneNumber(c.pathParams.Sid);
      throw methodNotAllowed("Method not allowed: the emulator does not release phone numbers");
    },
  },
];

/** API 2010 paths name the account; any other account is not found (strict). */
function own(c: RouteContext): void {
  if (c.pathParams.AccountSid !== c.store.accountSid) throw notFound(c.path);
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.template
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(part);
      if (m) {
        names.push(m[1]);
        return "([^/]+?)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { route, regex: new RegExp(`^${source}$`), names };
}

const compiled = routes.map(compile);

/** Finds the route for (method, path); unknown path → 404, known path with another method → 405. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParams: Record<string, string> } {
  let pathKnown = false;
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (c.route.method !== method) continue;
    const pathParams: Record<string, string> = {};
    try {
      c.names.forEach((n, i) => (pathParams[n] = decodeURIComponent(m[i + 1])));
    } catch {
      // A path segment with broken percent-encoding names no resource.
      throw notFound(path.startsWith("/v1/") ? path.slice(3) : path);
    }
    return { route: c.route, pathParams };
  }
  if (pathKnown) throw methodNotAllowed();
  throw notFound(path.startsWith("/v1/") ? path.slice(3) : path);
}
