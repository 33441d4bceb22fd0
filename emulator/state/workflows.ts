// Workflows: unique names, a configuration checked the way Twilio does (JSON, task_routing shape,
// queues of the workspace, expressions), callback URLs, a 1..86400 s reservation timeout; no delete
// while a live task is in one. Also the workflow evaluation the store needs (the first queue).
import { evaluate } from "../../infra/taskrouter/expression";
import { ExpressionError, parseExpression } from "../../infra/taskrouter/expression";
import { compiled, parseConfiguration } from "../../infra/taskrouter/routing";
import { invalidParameter } from "../errors";
import { attributesOf, checkName, checkNewName, checkRange, isActive, uniqueName } from "./checks";
import { clone, newSid, type WorkflowRec } from "./records";
import type { Store } from "./store";

export interface WorkflowUpdate {
  friendlyName?: string;
  /** The workflow's JSON document. */
  configuration?: string;
  /** null: none. */
  assignmentCallbackUrl?: string | null;
  fallbackAssignmentCallbackUrl?: string | null;
  /** Seconds, 1..86400 (the wire checks the range); default 120. */
  taskReservationTimeout?: number;
  /** Update only: re-route the workflow's live tasks. */
  reEvaluateTasks?: boolean;
}

export interface WorkflowInput extends Omit<WorkflowUpdate, "reEvaluateTasks"> {
  friendlyName: string;
  configuration: string;
}

const CONFIGURATION_MAX = 1038576;
const TARGET_KEYS = new Set([
  "queue",
  "priority",
  "timeout",
  "expression",
  "order_by",
  "skip_if",
  "known_worker_sid",
  "known_worker_friendly_name",
]);

/** Checks a configuration the way Twilio does: JSON, task_routing shape, queues, expressions. */
export function checkConfiguration(s: Store, ws: string, configuration: string): void {
  if (Buffer.byteLength(configuration) > CONFIGURATION_MAX) {
    throw invalidParameter(`Invalid Configuration: larger than ${CONFIGURATION_MAX} bytes`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(configuration);
  } catch {
    throw invalidParameter("Invalid Configuration: not valid JSON");
  }
  const fail = (where: string, reason: string): never => {
    throw invalidParameter(`Invalid Configuration: ${where}: ${reason}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObj(doc)) fail("(root)", "must be a JSON object");
  const root = doc as Record<string, unknown>;
  for (const k of Object.keys(root)) if (k !== "task_routing") fail(k, "unknown key");
  const tr = root.task_routing;
  if (!isObj(tr)) return fail("task_routing", "must be an object");
  for (const k of Object.keys(tr)) {
    if (k !== "filters" && k !== "default_filter") fail(`task_routing.${k}`, "unknown key");
  }
  const expr = (where: string, v: unknown) => {
    if (typeof v !== "string") fail(where, "must be a string");
    try {
      parseExpression(v as string);
    } catch (err) {
      if (err instanceof ExpressionError) fail(where, err.message);
      throw err;
    }
  };
  const queue = (where: string, v: unknown) => {
    if (typeof v !== "string") fail(where, "must be a TaskQueue SID");
    const q = s.taskQueues.get(v as string);
    if (!q || q.workspaceSid !== ws)
      fail(where, `task queue ${String(v)} not found in workspace ${ws}`);
  };
  // The documented structure writes `"timeout": "<duration>"`; examples use numbers.
  const timeout = (where: string, v: unknown) => {
    const ok =
      (typeof v === "number" && Number.isInteger(v) && v > 0) ||
      (typeof v === "string" && /^\d+$/.test(v) && Number(v) > 0);
    if (!ok) fail(where, "must be a positive integer");
  };
  const target = (where: string, t: unknown, first: boolean) => {
    if (!isObj(t)) return fail(where, "must be an object");
    for (const k of Object.keys(t)) if (!TARGET_KEYS.has(k)) fail(`${where}.${k}`, "unknown key");
    if (t.queue !== undefined) queue(`${where}.queue`, t.queue);
    else if (first) fail(`${where}.queue`, "required");
    if (t.priority !== undefined) {
      const pr = t.priority;
      const ok =
        (typeof pr === "number" && Number.isInteger(pr) && pr >= 0) ||
        (typeof pr === "string" && /^\d+$/.test(pr));
      if (!ok) fail(`${where}.priority`, "must be a non-negative integer");
    }
    if (t.timeout !== undefined) timeout(`${where}.timeout`, t.timeout);
    if (t.expression !== undefined) expr(`${where}.expression`, t.expression);
    if (t.skip_if !== undefined) expr(`${where}.skip_if`, t.skip_if);
    for (const k of ["order_by", "known_worker_sid", "known_worker_friendly_name"]) {
      if (t[k] !== undefined && typeof t[k] !== "string") fail(`${where}.${k}`, "must be a string");
    }
  };
  if (tr.filters !== undefined) {
    if (!Array.isArray(tr.filters)) fail("task_routing.filters", "must be an array");
    (tr.filters as unknown[]).forEach((f, i) => {
      const where = `task_routing.filters[${i}]`;
      if (!isObj(f)) return fail(where, "must be an object");
      for (const k of Object.keys(f)) {
        if (!["filter_friendly_name", "expression", "targets", "timeout"].includes(k))
          fail(`${where}.${k}`, "unknown key");
      }
      if (f.filter_friendly_name !== undefined && typeof f.filter_friendly_name !== "string") {
        fail(`${where}.filter_friendly_name`, "must be a string");
      }
      if (f.timeout !== undefined) timeout(`${where}.timeout`, f.timeout);
      if (f.expression === undefined) fail(`${where}.expression`, "required");
      expr(`${where}.expression`, f.expression);
      if (!Array.isArray(f.targets) || f.targets.length === 0) {
        fail(`${where}.targets`, "must be a non-empty array");
      }
      (f.targets as unknown[]).forEach((t, j) => target(`${where}.targets[${j}]`, t, j === 0));
    });
  }
  if (tr.default_filter !== undefined)
    target("task_routing.default_filter", tr.default_filter, true);
}

export function createWorkflow(s: Store, ws: string, input: WorkflowInput): WorkflowRec {
  s.workspace(ws);
  const friendlyName = checkName(input.friendlyName);
  checkConfiguration(s, ws, input.configuration);
  checkRange(input.taskReservationTimeout, "TaskReservationTimeout", 1, 86400);
  uniqueName(s.workflows, ws, friendlyName, "Workflow");
  const now = s.stamp();
  const wf: WorkflowRec = {
    sid: newSid("WW"),
    workspaceSid: ws,
    friendlyName,
    configuration: input.configuration,
    assignmentCallbackUrl: input.assignmentCallbackUrl ?? null,
    fallbackAssignmentCallbackUrl: input.fallbackAssignmentCallbackUrl ?? null,
    taskReservationTimeout: input.taskReservationTimeout ?? 120,
    dateCreated: now,
    dateUpdated: now,
  };
  s.workflows.set(wf.sid, wf);
  s.emit("workflow.created", { workflow: clone(wf) });
  return wf;
}

export function updateWorkflow(
  s: Store,
  ws: string,
  sid: string,
  input: WorkflowUpdate,
): WorkflowRec {
  const wf = s.workflow(ws, sid);
  const v = input;
  if (v.friendlyName !== undefined) {
    checkNewName(v.friendlyName);
    uniqueName(s.workflows, ws, v.friendlyName, "Workflow", sid);
  }
  if (v.configuration !== undefined) checkConfiguration(s, ws, v.configuration);
  checkRange(v.taskReservationTimeout, "TaskReservationTimeout", 1, 86400);
  const previous = clone(wf);
  if (v.friendlyName !== undefined) wf.friendlyName = v.friendlyName;
  if (v.configuration !== undefined) wf.configuration = v.configuration;
  if (v.assignmentCallbackUrl !== undefined) wf.assignmentCallbackUrl = v.assignmentCallbackUrl;
  if (v.fallbackAssignmentCallbackUrl !== undefined) {
    wf.fallbackAssignmentCallbackUrl = v.fallbackAssignmentCallbackUrl;
  }
  if (v.taskReservationTimeout !== undefined) wf.taskReservationTimeout = v.taskReservationTimeout;
  wf.dateUpdated = s.stamp();
  const reEvaluateTasks = v.reEvaluateTasks ?? false;
  s.emit("workflow.updated", { workflow: clone(wf), previous, reEvaluateTasks });
  return wf;
}

export function deleteWorkflow(s: Store, ws: string, sid: string): void {
  const wf = s.workflow(ws, sid);
  const active = s
    .listOf(s.tasks, ws)
    .find((t) => t.workflowSid === sid && isActive(t.assignmentStatus));
  if (active) {
    throw invalidParameter(
      `Cannot delete workflow ${sid}: task ${active.sid} is ${active.assignmentStatus} in it`,
    );
  }
  s.workflows.delete(sid);
  s.emit("workflow.deleted", { workflow: clone(wf) });
}

/**
 * The queue a task enters first: the first target of the first filter whose expression matches
 * the task attributes, else the default filter. This is workflow evaluation, not worker selection;
 * the engine may move the task later with `moveTask`.
 */
export function firstQueue(wf: WorkflowRec, attributes: string): string | null {
  // Parsed configurations and expressions are cached by their text (routing.ts), which is
  // exact even for updates within the same second, unlike a key on date_updated.
  const doc = parseConfiguration(wf.configuration);
  const attrs = attributesOf(attributes);
  for (const f of doc.task_routing.filters ?? []) {
    if (evaluate(compiled(f.expression), attrs)) return f.targets[0]?.queue ?? null;
  }
  return doc.task_routing.default_filter?.queue ?? null;
}

/** Every queue SID a (validated) workflow configuration mentions. */
export function workflowQueueSids(configuration: string): string[] {
  const out = new Set<string>();
  try {
    const doc = JSON.parse(configuration) as {
      task_routing?: {
        filters?: Array<{ targets?: Array<{ queue?: string }> }>;
        default_filter?: { queue?: string };
      };
    };
    for (const f of doc.task_routing?.filters ?? [])
      for (const t of f.targets ?? []) if (t.queue) out.add(t.queue);
    if (doc.task_routing?.default_filter?.queue) out.add(doc.task_routing.default_filter.queue);
  } catch {
    // a stored configuration was validated on write; nothing to report here
  }
  return [...out];
}
