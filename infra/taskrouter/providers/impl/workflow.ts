import type { WorkflowInstance } from "twilio/lib/rest/taskrouter/v1/workspace/workflow";
import type { WorkflowInputs, WorkflowOutputs } from "../workflow";
import {
  createOrAdopt,
  declared,
  markTakeOver,
  ownership,
  releaseAdopted,
  nonEmpty,
  attempt,
  Checker,
  containsUnknown,
  defined,
  diffProps,
  fetchOrGone,
  optional,
  removeOrGone,
  single,
  UNKNOWN,
} from "./common";
import { twilioClient } from "./state";
import {
  checkExpression,
  checkPriority,
  checkReservationTimeout,
  checkTargetTimeout,
  type ExpressionRole,
} from "../../validate";
import { canonicalWorkflowJson, type TaskRoutingConfiguration } from "../../workflowConfig";

const label = (name: string) => `TaskRouter Workflow ${JSON.stringify(name)}`;
const QUEUE_SID = /^WQ[0-9a-fA-F]{32}$/;

/** Twilio's stored configuration string back to the canonical object (verbatim text if not JSON). */
function parseConfiguration(text: string): TaskRoutingConfiguration {
  try {
    return JSON.parse(canonicalWorkflowJson(JSON.parse(text)));
  } catch {
    return { _raw: text } as unknown as TaskRoutingConfiguration;
  }
}

type Previous = NonNullable<WorkflowOutputs["previous"]>;

/** The settable fields as Twilio has them (an adopted workflow's settings before adoption). */
const snapshot = (w: WorkflowInstance): Previous => ({
  friendlyName: w.friendlyName,
  configuration: w.configuration,
  assignmentCallbackUrl: w.assignmentCallbackUrl ?? "",
  fallbackAssignmentCallbackUrl: w.fallbackAssignmentCallbackUrl ?? "",
  taskReservationTimeout: w.taskReservationTimeout,
});

/** The input fields, as `read` reports them after a refresh. */
const INPUTS = [
  "workspaceSid",
  "friendlyName",
  "configuration",
  "queues",
  "queueNames",
  "assignmentCallbackUrl",
  "fallbackAssignmentCallbackUrl",
  "taskReservationTimeout",
  "adopt",
  "adopts",
  "reuses",
] as const;

function outputs(
  w: WorkflowInstance,
  inputs: Partial<WorkflowInputs>,
  own: Pick<WorkflowOutputs, "adopted" | "reused" | "previous">,
): WorkflowOutputs {
  return defined({
    ...declared(inputs, ["queues", "queueNames", "adopt", "adopts", "reuses"]),
    workspaceSid: w.workspaceSid,
    friendlyName: w.friendlyName,
    configuration: parseConfiguration(w.configuration),
    assignmentCallbackUrl: optional(w.assignmentCallbackUrl),
    fallbackAssignmentCallbackUrl: optional(w.fallbackAssignmentCallbackUrl),
    taskReservationTimeout: w.taskReservationTimeout,
    sid: w.sid,
    ...declared(own, ["reused", "previous"] as const),
    adopted: own.adopted ?? false,
    documentContentType: optional(w.documentContentType),
  });
}

/** Every updatable field; "" clears an optional URL. */
function settable(inputs: WorkflowInputs) {
  return {
    friendlyName: inputs.friendlyName,
    configuration: canonicalWorkflowJson(inputs.configuration),
    assignmentCallbackUrl: inputs.assignmentCallbackUrl ?? "",
    fallbackAssignmentCallbackUrl: inputs.fallbackAssignmentCallbackUrl ?? "",
    taskReservationTimeout: inputs.taskReservationTimeout,
  };
}

/** Structural problems in the routing document, as "<path>: <reason>". */
function configurationProblems(config: unknown): string[] {
  const out: string[] = [];
  const known = (v: unknown) => !containsUnknown(v);
  const expr = (at: string, v: unknown, role: ExpressionRole) => {
    if (!known(v)) return;
    if (typeof v !== "string") out.push(`${at}: must be a string`);
    else for (const r of checkExpression(v, role)) out.push(`${at}: ${r}`);
  };
  const queue = (at: string, v: unknown) => {
    if (known(v) && (typeof v !== "string" || !QUEUE_SID.test(v))) {
      out.push(`${at}: must be a TaskQueue SID (WQ and 32 hex digits), got ${JSON.stringify(v)}`);
    }
  };
  if (config === UNKNOWN) return [];
  const routing = (config as { task_routing?: unknown } | undefined)?.task_routing as
    { filters?: unknown; default_filter?: { queue?: unknown } } | undefined;
  if ((routing as unknown) === UNKNOWN) return [];
  if (!routing || typeof routing !== "object") return ["task_routing: is required"];
  if (!routing.default_filter) out.push("task_routing.default_filter: is required");
  else queue("task_routing.default_filter.queue", routing.default_filter.queue);
  const filters = routing.filters ?? [];
  if (filters === UNKNOWN) return out;
  if (!Array.isArray(filters)) return [...out, "task_routing.filters: must be a list"];
  filters.forEach((f: Record<string, unknown>, i) => {
    if ((f as unknown) === UNKNOWN) return;
    const at = `task_routing.filters[${i}]`;
    expr(`${at}.expression`, f.expression, "filter");
    const targets = f.targets;
    if (targets === UNKNOWN) return;
    if (!Array.isArray(targets) || targets.length === 0) {
      out.push(`${at}.targets: must list at least one target`);
      return;
    }
    targets.forEach((t: Record<string, unknown>, j) => {
      if ((t as unknown) === UNKNOWN) return;
      const tat = `${at}.targets[${j}]`;
      queue(`${tat}.queue`, t.queue);
      if (t.expression !== undefined) expr(`${tat}.expression`, t.expression, "target");
      if (t.skip_if !== undefined) expr(`${tat}.skip_if`, t.skip_if, "skipIf");
      if (t.priority !== undefined && known(t.priority)) {
        const r = checkPriority(t.priority as number);
        if (r) out.push(`${tat}.priority: ${r}`);
      }
      if (t.timeout !== undefined && known(t.timeout)) {
        const r = checkTargetTimeout(t.timeout as number);
        if (r) out.push(`${tat}.timeout: ${r}`);
      }
    });
  });
  return out;
}

/**
 * Puts queue SIDs where the configuration names a queue by its key in `queues`. A SID unknown in
 * preview (a queue resource created in this run) is looked up by its `queueNames` entry: a queue of
 * that name in the workspace is the object the new queue resource will hold (its own check reuses or
 * adopts it, or fails the run), so the document is known and a renamed key shows no workflow change.
 * Not found, the SID stays unknown: the workflow will change.
 */
async function resolveQueueKeys(inputs: Record<string, unknown>): Promise<void> {
  const queues = inputs.queues;
  if (!queues || typeof queues !== "object" || queues === (UNKNOWN as unknown)) return;
  const sids = { ...(queues as Record<string, string>) };
  const names = (inputs.queueNames ?? {}) as Record<string, unknown>;
  const workspaceSid = inputs.workspaceSid;
  for (const [key, sid] of Object.entries(sids)) {
    const name = names[key];
    if (sid !== UNKNOWN || typeof name !== "string" || typeof workspaceSid !== "string") continue;
    if (containsUnknown(workspaceSid)) continue;
    const found = single(
      `TaskRouter TaskQueue ${JSON.stringify(name)}`,
      name,
      await twilioClient()
        .taskrouter.v1.workspaces(workspaceSid)
        .taskQueues.list({ friendlyName: name }),
    );
    if (found) sids[key] = found.sid;
  }
  inputs.queues = sids;
  const sidOf = (queue: unknown) =>
    typeof queue === "string" && Object.prototype.hasOwnProperty.call(sids, queue)
      ? sids[queue]
      : queue;
  if (!inputs.configuration || typeof inputs.configuration !== "object") return;
  inputs.configuration = structuredClone(inputs.configuration);
  const routing = (inputs.configuration as { task_routing?: unknown }).task_routing as
    | { filters?: { targets?: { queue?: unknown }[] }[]; default_filter?: { queue?: unknown } }
    | undefined;
  if (!routing || typeof routing !== "object") return;
  for (const filter of Array.isArray(routing.filters) ? routing.filters : []) {
    for (const target of Array.isArray(filter?.targets) ? filter.targets : []) {
      if (target && typeof target === "object") target.queue = sidOf(target.queue);
    }
  }
  if (routing.default_filter && typeof routing.default_filter === "object") {
    routing.default_filter.queue = sidOf(routing.default_filter.queue);
  }
}

export async function check(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
) {
  const inputs: Record<string, unknown> = { taskReservationTimeout: 120, ...news };
  const c = new Checker(inputs);
  c.sid("workspaceSid", "WS");
  c.friendlyName();
  c.url("assignmentCallbackUrl");
  c.url("fallbackAssignmentCallbackUrl");
  c.rule("taskReservationTimeout", () => {
    const r = checkReservationTimeout(inputs.taskReservationTimeout as number);
    return r ? [{ message: r }] : [];
  });
  if (inputs.configuration === undefined) c.fail("configuration", "is required");
  else {
    await resolveQueueKeys(inputs);
    for (const message of configurationProblems(inputs.configuration)) {
      c.fail("configuration", message);
    }
  }
  // The canonical document, as a refresh reads it back: only real changes differ.
  if (c.failures.length === 0 && !containsUnknown(inputs.configuration)) {
    inputs.configuration = JSON.parse(canonicalWorkflowJson(inputs.configuration));
  }
  const name = String(inputs.friendlyName);
  await markTakeOver(olds, inputs, c, label(name), policy(inputs as never), (ws, friendlyName) =>
    twilioClient().taskrouter.v1.workspaces(ws).workflows.list({ friendlyName }),
  );
  return { inputs: inputs as unknown as WorkflowInputs, failures: c.failures };
}

export async function diff(_id: string, olds: WorkflowOutputs, news: WorkflowInputs) {
  return diffProps(olds, news, {
    compare: {
      workspaceSid: true,
      friendlyName: true,
      configuration: (v) => (v === undefined ? v : canonicalWorkflowJson(v)),
      assignmentCallbackUrl: optional,
      fallbackAssignmentCallbackUrl: optional,
      taskReservationTimeout: true,
    },
    replaces: ["workspaceSid"],
  });
}

const policy = (inputs: WorkflowInputs) => ({
  kind: "workflow",
  workspaceSid: inputs.workspaceSid,
  adopt: inputs.adopt,
});

export async function create(inputs: WorkflowInputs) {
  const workflows = twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).workflows;
  const { instance, origin, previous } = await createOrAdopt(
    label(inputs.friendlyName),
    inputs.friendlyName,
    policy(inputs),
    {
      snapshot,
      list: () => workflows.list({ friendlyName: inputs.friendlyName }),
      create: () => workflows.create(nonEmpty(settable(inputs))),
      adopt: (found) => workflows(found.sid).update(settable(inputs)),
    },
  );
  return { id: instance.sid, outs: outputs(instance, inputs, ownership(origin, previous)) };
}

export async function read(id: string, props: WorkflowOutputs) {
  const w = await fetchOrGone(label(props.friendlyName ?? id), () =>
    twilioClient().taskrouter.v1.workspaces(props.workspaceSid).workflows(id).fetch(),
  );
  if (!w) return { id: "" };
  const live = outputs(w, props, props);
  return { id, props: live, inputs: declared(live, INPUTS) };
}

export async function update(id: string, olds: WorkflowOutputs, news: WorkflowInputs) {
  const w = await attempt("updating", label(news.friendlyName), () =>
    twilioClient().taskrouter.v1.workspaces(news.workspaceSid).workflows(id).update(settable(news)),
  );
  return { outs: outputs(w, news, olds) };
}

async function remove(id: string, props: WorkflowOutputs) {
  const workflow = () => twilioClient().taskrouter.v1.workspaces(props.workspaceSid).workflows(id);
  const name = label(props.friendlyName ?? id);
  if (await releaseAdopted(name, id, props, (previous) => workflow().update(previous))) return;
  await removeOrGone(name, () => workflow().remove());
}
export { remove as delete };
