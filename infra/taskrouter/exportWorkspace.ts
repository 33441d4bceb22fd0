// Export a live TaskRouter workspace (Twilio or the local Twilio) as a routing definition
// (`stacks/<stack>.yaml`): logical names only, no SIDs, queue keys derived from friendly names and the
// workflow's queue SIDs mapped back to those keys. `pulumi up` with the file adopts every object by
// friendly name (the providers' create adopts) and then has nothing to change.
//
// Pure: the command (tools/commands/export.ts) reads the `LiveWorkspace` through a twilio client;
// here `toStack` maps it and `renderStackYaml` writes it. `compareWithLive` is the proof: the loaded
// file's plan (plan.ts: what the providers send) equals what is live.
import { Document } from "yaml";
import {
  SEEDED_CHANNELS,
  type ContactCentreSpec,
  type FilterSpec,
  type StackSpec,
  type TargetSpec,
} from "./model";
import { canonicalJson } from "./canonicalJson";
import { attributeSetsFor } from "./routingDiffCallers";
import { planCentre, withQueueSids } from "./plan";
import { canonicalWorkflowJson } from "./workflowConfig";

/** What export reads: the Twilio objects in their wire shape (only the fields used). */
export interface LiveWorkspace {
  workspace: {
    sid: string;
    friendlyName: string;
    multiTaskEnabled: boolean;
    prioritizeQueueOrder: string;
    eventCallbackUrl: string | null;
    eventsFilter: string | null;
    defaultActivityName: string;
    timeoutActivityName: string;
  };
  activities: { sid: string; friendlyName: string; available: boolean }[];
  workers: {
    sid: string;
    friendlyName: string;
    activityName: string;
    attributes: string;
    /** The worker's channels (absent: not read, e.g. an older reader). */
    channels?: { uniqueName: string; capacity: number }[];
  }[];
  /** The workspace's task channels, seeded ones included (absent: not read). */
  channels?: { uniqueName: string; friendlyName: string; channelOptimizedRouting: boolean }[];
  queues: {
    sid: string;
    friendlyName: string;
    targetWorkers: string | null;
    taskOrder: string;
    maxReservedWorkers: number;
    reservationActivityName: string | null;
    assignmentActivityName: string | null;
  }[];
  workflows: {
    sid: string;
    friendlyName: string;
    configuration: string;
    taskReservationTimeout: number;
  }[];
}

export interface ExportOptions {
  /** The workflow to export (SID or friendly name); needed when the workspace has several. */
  workflow?: string;
  /** The centre's number (E.164); absent: a documented placeholder. */
  number?: string;
  /** The Wrap-Up activity (Twilio does not record it); default: "Wrap-Up" or the only candidate. */
  postWorkActivity?: string;
  /**
   * Write every worker's live activity as its declared one. Default: only where it is the
   * workspace's default activity (what an omitted `activity:` means anyway): an agent's activity at
   * export time is where they happened to be, not a setting.
   */
  liveActivities?: boolean;
}

export const PLACEHOLDER_NUMBER = "+15555550100";

/** Bad input for export: the message names the object and the reason. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}

/**
 * A queue key from a friendly name: lower case, runs of other characters become `_`, a leading
 * digit gets `q_`; a key already taken gets `_2`, `_3`…
 */
export function queueKey(friendlyName: string, taken: Set<string>): string {
  let base = friendlyName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (base === "") base = "queue";
  if (!/^[a-z]/.test(base)) base = `q_${base}`;
  base = base.slice(0, 60);
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ExportError(`${what}: not JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ExportError(`${what}: not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function chooseWorkflow(live: LiveWorkspace, wanted: string | undefined) {
  const names = live.workflows.map((w) => `${w.friendlyName} (${w.sid})`).join(", ");
  if (wanted !== undefined) {
    const found = live.workflows.find((w) => w.sid === wanted || w.friendlyName === wanted);
    if (!found)
      throw new ExportError(
        `workflow "${wanted}" not found; the workspace has: ${names || "none"}`,
      );
    return found;
  }
  if (live.workflows.length === 1) return live.workflows[0]!;
  if (live.workflows.length === 0) {
    throw new ExportError(`workspace ${live.workspace.sid} has no workflow; a stack needs one`);
  }
  throw new ExportError(
    `workspace ${live.workspace.sid} has ${live.workflows.length} workflows; choose one with --workflow: ${names}`,
  );
}

function choosePostWork(live: LiveWorkspace, wanted: string | undefined, notes: string[]): string {
  const unavailable = live.activities.filter((a) => !a.available).map((a) => a.friendlyName);
  if (wanted !== undefined) {
    if (!unavailable.includes(wanted)) {
      throw new ExportError(
        `post-work activity "${wanted}" is not an unavailable activity of the workspace (${unavailable.join(", ")})`,
      );
    }
    return wanted;
  }
  if (unavailable.includes("Wrap-Up")) return "Wrap-Up";
  const candidates = unavailable.filter(
    (a) => a !== live.workspace.defaultActivityName && a !== live.workspace.timeoutActivityName,
  );
  const chosen = candidates[0] ?? unavailable[0];
  if (chosen === undefined)
    throw new ExportError("the workspace has no unavailable activity for Wrap-Up");
  notes.push(
    `postWorkActivity: Twilio does not record it; "${chosen}" was chosen (set it with --post-work-activity)`,
  );
  return chosen;
}

/** Twilio's workflow configuration → filters and default target by queue key. */
function toWorkflow(
  config: Record<string, unknown>,
  keyOf: (sid: string, where: string) => string,
  notes: string[],
): { filters: FilterSpec[]; defaultQueue: string } {
  const routing = config.task_routing as Record<string, unknown> | undefined;
  if (typeof routing !== "object" || routing === null) {
    throw new ExportError("workflow configuration: no task_routing object");
  }
  const rawFilters = (routing.filters ?? []) as Record<string, unknown>[];
  if (!Array.isArray(rawFilters))
    throw new ExportError("workflow configuration: task_routing.filters is not a list");
  const filters = rawFilters.map((f, i): FilterSpec => {
    const where = `task_routing.filters[${i}]`;
    const name =
      typeof f.filter_friendly_name === "string" && f.filter_friendly_name !== ""
        ? f.filter_friendly_name
        : `Filter ${i + 1}`;
    if (name !== f.filter_friendly_name) {
      notes.push(`${where}: no filter_friendly_name; named "${name}" (the next deploy sets it)`);
    }
    let queue: string | undefined;
    const targets = ((f.targets ?? []) as Record<string, unknown>[]).map((t, j): TargetSpec => {
      const at = `${where}.targets[${j}]`;
      // Twilio: later targets of a filter inherit the previous target's queue.
      if (typeof t.queue === "string") queue = keyOf(t.queue, `${at}.queue`);
      if (queue === undefined) throw new ExportError(`workflow configuration ${at}: no queue`);
      for (const key of Object.keys(t)) {
        const known = ["queue", "priority", "timeout", "expression", "order_by", "skip_if"];
        if (![...known, "known_worker_sid", "known_worker_friendly_name"].includes(key)) {
          throw new ExportError(
            `workflow configuration ${at}.${key}: not supported by stack files`,
          );
        }
      }
      const target: TargetSpec = { queue };
      if (t.priority !== undefined) target.priority = Number(t.priority);
      if (t.timeout !== undefined) target.timeout = Number(t.timeout);
      if (typeof t.expression === "string") target.expression = t.expression;
      if (typeof t.order_by === "string") target.orderBy = t.order_by;
      if (typeof t.skip_if === "string") target.skipIf = t.skip_if;
      if (typeof t.known_worker_sid === "string") target.knownWorker = { sid: t.known_worker_sid };
      if (typeof t.known_worker_friendly_name === "string") {
        target.knownWorker = { friendlyName: t.known_worker_friendly_name };
      }
      return target;
    });
    if (typeof f.expression !== "string")
      throw new ExportError(`workflow configuration ${where}: no expression`);
    if (targets.length === 0) throw new ExportError(`workflow configuration ${where}: no targets`);
    return { name, expression: f.expression, targets };
  });
  const def = routing.default_filter as Record<string, unknown> | undefined;
  if (typeof def?.queue !== "string") {
    throw new ExportError("workflow configuration: task_routing.default_filter.queue is missing");
  }
  return { filters, defaultQueue: keyOf(def.queue, "task_routing.default_filter.queue") };
}

/**
 * IVR placeholder: one option per attribute set the filters match, in filter order, so the menu
 * reaches every filter. Twilio does not hold the IVR (the call handlers do); edit it after export.
 */
function placeholderIvr(filters: FilterSpec[]): NonNullable<StackSpec["phone"]>["ivr"] {
  const options: Record<string, { label: string; attributes: Record<string, unknown> }> = {};
  const seen = new Set<string>();
  let digit = 1;
  for (const filter of filters) {
    const [attributes] = attributeSetsFor(filter.expression);
    if (attributes === undefined || digit > 9) continue;
    const text = canonicalJson(attributes);
    if (seen.has(text)) continue;
    seen.add(text);
    options[String(digit++)] = { label: filter.name, attributes };
  }
  const labels = Object.entries(options).map(([d, o]) => `${d} for ${o.label}`);
  return {
    greeting: labels.length
      ? `Thank you for calling. Press ${labels.join(", ")}.`
      : "Thank you for calling.",
    options,
  };
}

/** The stack file for a live workspace, and notes on what was guessed. Pure. */
export function toStack(
  live: LiveWorkspace,
  opts: ExportOptions = {},
): { stack: StackSpec; notes: string[] } {
  const notes: string[] = [];
  const workflow = chooseWorkflow(live, opts.workflow);
  const taken = new Set<string>();
  const keys = new Map<string, string>();
  const queues: StackSpec["queues"] = {};
  for (const q of live.queues) {
    const key = queueKey(q.friendlyName, taken);
    keys.set(q.sid, key);
    queues[key] = {
      friendlyName: q.friendlyName,
      ...(q.targetWorkers !== null &&
        q.targetWorkers !== "1==1" && { targetWorkers: q.targetWorkers }),
      ...(q.taskOrder !== "FIFO" && { taskOrder: q.taskOrder as "FIFO" | "LIFO" }),
      ...(q.maxReservedWorkers !== 1 && { maxReservedWorkers: q.maxReservedWorkers }),
      ...(q.reservationActivityName && { reservationActivity: q.reservationActivityName }),
      ...(q.assignmentActivityName && { assignmentActivity: q.assignmentActivityName }),
    };
  }
  const keyOf = (sid: string, where: string): string => {
    const key = keys.get(sid);
    if (key === undefined) {
      throw new ExportError(
        `workflow "${workflow.friendlyName}" ${where}: ${sid} is not a queue of this workspace`,
      );
    }
    return key;
  };
  const config = parseJsonObject(
    workflow.configuration,
    `workflow "${workflow.friendlyName}" configuration`,
  );
  const { filters, defaultQueue } = toWorkflow(config, keyOf, notes);

  const activities: StackSpec["activities"] = {};
  for (const a of live.activities) activities[a.friendlyName] = { available: a.available };
  const ws = live.workspace;
  const workers: StackSpec["workers"] = {};
  const elsewhere: string[] = [];
  for (const w of live.workers) {
    const declare = opts.liveActivities || w.activityName === ws.defaultActivityName;
    if (!declare) elsewhere.push(`${w.friendlyName} (${w.activityName})`);
    workers[w.friendlyName] = {
      ...(declare && { activity: w.activityName }),
      attributes: parseJsonObject(w.attributes, `worker "${w.friendlyName}" attributes`),
    };
  }
  if (elsewhere.length > 0) {
    notes.push(
      `workers.*.activity: not written for ${elsewhere.join(", ")}, whose live activity is not ` +
        `the default ${ws.defaultActivityName}; adopting never moves a working agent ` +
        "(--live-activities writes them)",
    );
  }
  const channels = exportChannels(live, workers, notes);
  const events = ws.eventCallbackUrl !== null && ws.eventCallbackUrl !== "";
  const eventsFilter = ws.eventsFilter
    ? ws.eventsFilter
        .split(",")
        .map((e) => e.trim())
        .filter((e) => e !== "")
    : [];
  if (opts.number === undefined) {
    notes.push(
      `phone.number: ${PLACEHOLDER_NUMBER} is a placeholder; set the centre's number (--number)`,
    );
  }
  notes.push(
    "phone.ivr: Twilio does not hold the IVR; one option per filter was written as a starting point",
    // The call flow of docs/routing-definitions.md lives in the handlers' environment, not in Twilio.
    "phone.hours, whenClosed, maxWait, whenNobodyAnswers, recordCalls, voicemail, callback, " +
      "agentLeg: Twilio does not hold them (the call handlers' CALL_FLOW does); none was written, " +
      "so deployed with this file the line is open around the clock with no maximum wait",
  );
  const stack: StackSpec = {
    workspace: {
      friendlyName: ws.friendlyName,
      multitasking: ws.multiTaskEnabled,
      queueOrder: ws.prioritizeQueueOrder as "FIFO" | "LIFO",
      events,
      ...(eventsFilter.length > 0 && { eventsFilter }),
    },
    activities,
    defaultActivity: ws.defaultActivityName,
    timeoutActivity: ws.timeoutActivityName,
    postWorkActivity: choosePostWork(live, opts.postWorkActivity, notes),
    ...(channels && { channels }),
    workers,
    queues,
    workflow: {
      friendlyName: workflow.friendlyName,
      reservationTimeout: workflow.taskReservationTimeout,
      filters,
      defaultTarget: { queue: defaultQueue },
    },
    phone: { number: opts.number ?? PLACEHOLDER_NUMBER, ivr: placeholderIvr(filters) },
  };
  return { stack, notes };
}

/** Twilio's capacity of a worker channel never set (the WorkerChannel resource's example). */
const DEFAULT_CAPACITY = 1;

/**
 * The stack file's `channels:` (custom channels, and seeded ones whose fields were changed) and each
 * worker's capacities other than Twilio's 1, written into `workers`. Capacities count only in a
 * multitasking workspace: in a single-tasking one they are left out with a note.
 */
function exportChannels(
  live: LiveWorkspace,
  workers: StackSpec["workers"],
  notes: string[],
): StackSpec["channels"] | undefined {
  const channels: NonNullable<StackSpec["channels"]> = {};
  for (const c of live.channels ?? []) {
    const seeded = SEEDED_CHANNELS[c.uniqueName];
    if (seeded === c.friendlyName && !c.channelOptimizedRouting) continue;
    channels[c.uniqueName] = {
      ...(c.friendlyName !== (seeded ?? c.uniqueName) && { friendlyName: c.friendlyName }),
      ...(c.channelOptimizedRouting && { channelOptimizedRouting: true }),
    };
  }
  const ignored: string[] = [];
  for (const w of live.workers) {
    const set = (w.channels ?? []).filter((c) => c.capacity !== DEFAULT_CAPACITY);
    if (set.length === 0) continue;
    if (!live.workspace.multiTaskEnabled) {
      ignored.push(w.friendlyName);
      continue;
    }
    workers[w.friendlyName].channels = Object.fromEntries(
      set.map((c) => [c.uniqueName, c.capacity]),
    );
  }
  if (ignored.length > 0) {
    notes.push(
      `workers.*.channels: not written for ${ignored.join(", ")}: channel capacities count only ` +
        "in a multitasking workspace, and this one is single-tasking",
    );
  }
  return Object.keys(channels).length > 0 ? channels : undefined;
}

/**
 * YAML text with a header saying where it came from and what to check; `$schema` is `schemaRef`,
 * the path from the file's directory to stacks/schema.json (editors resolve it relative to the file).
 */
export function renderStackYaml(
  stack: StackSpec,
  header: string[],
  notes: string[],
  schemaRef = "./schema.json",
): string {
  const doc = new Document({ $schema: schemaRef, ...stack });
  doc.commentBefore = [
    ...header,
    ...(notes.length ? ["", "Check before deploying:", ...notes.map((n) => `- ${n}`)] : []),
  ]
    .map((line) => (line === "" ? "" : ` ${line}`))
    .join("\n");
  return doc.toString({ lineWidth: 0 });
}

/**
 * Differences between a loaded stack, as the providers would send it, and the live workspace; empty
 * when `pulumi up` would adopt everything unchanged. Compares the fields the providers set; a
 * worker's live activity only with `workerActivities` (adopting never moves an agent).
 */
export function compareWithLive(
  spec: ContactCentreSpec,
  live: LiveWorkspace,
  opts: { workerActivities?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const check = (what: string, declared: unknown, actual: unknown): void => {
    if (canonicalJson(declared) !== canonicalJson(actual)) {
      problems.push(`${what}: declared ${canonicalJson(declared)}, live ${canonicalJson(actual)}`);
    }
  };
  const plan = planCentre(spec);
  const ws = live.workspace;
  check("workspace friendlyName", plan.workspace.friendlyName, ws.friendlyName);
  check("workspace multiTaskEnabled", plan.workspace.multiTaskEnabled, ws.multiTaskEnabled);
  check(
    "workspace prioritizeQueueOrder",
    plan.workspace.prioritizeQueueOrder,
    ws.prioritizeQueueOrder,
  );
  check("workspace defaultActivity", plan.workspace.defaultActivity, ws.defaultActivityName);
  check("workspace timeoutActivity", plan.workspace.timeoutActivity, ws.timeoutActivityName);
  check("workspace events", plan.workspace.eventCallback, !!ws.eventCallbackUrl);
  check(
    "workspace eventsFilter",
    plan.workspace.eventsFilter ?? [],
    ws.eventsFilter ? ws.eventsFilter.split(",").map((e) => e.trim()) : [],
  );
  const byName = <T extends { friendlyName: string }>(list: T[]): Map<string, T> =>
    new Map(list.map((item) => [item.friendlyName, item]));
  const names = (list: { friendlyName: string }[]): string[] =>
    list.map((item) => item.friendlyName).sort();

  const activities = byName(live.activities);
  check("activities", names(plan.activities), [...activities.keys()].sort());
  for (const a of plan.activities) {
    const found = activities.get(a.friendlyName);
    if (found) check(`activity "${a.friendlyName}" available`, a.available, found.available);
  }
  const workers = byName(live.workers);
  check("workers", names(plan.workers), [...workers.keys()].sort());
  for (const w of plan.workers) {
    const found = workers.get(w.friendlyName);
    if (!found) continue;
    const what = `worker "${w.friendlyName}"`;
    if (opts.workerActivities) check(`${what} activity`, w.activity, found.activityName);
    check(`${what} attributes`, w.attributes, JSON.parse(found.attributes));
  }
  compareChannels(plan, live, check);
  const queues = byName(live.queues);
  const sids: Record<string, string> = {};
  check("queues", names(plan.queues), [...queues.keys()].sort());
  for (const q of plan.queues) {
    const found = queues.get(q.friendlyName);
    if (!found) continue;
    sids[q.key] = found.sid;
    const what = `queue "${q.friendlyName}"`;
    check(`${what} targetWorkers`, q.targetWorkers, found.targetWorkers ?? "1==1");
    check(`${what} taskOrder`, q.taskOrder, found.taskOrder);
    check(`${what} maxReservedWorkers`, q.maxReservedWorkers, found.maxReservedWorkers);
    check(
      `${what} reservationActivity`,
      q.reservationActivity ?? null,
      found.reservationActivityName,
    );
    check(`${what} assignmentActivity`, q.assignmentActivity ?? null, found.assignmentActivityName);
  }
  const workflow = live.workflows.find((w) => w.friendlyName === plan.workflow.friendlyName);
  if (!workflow) {
    problems.push(`workflow "${plan.workflow.friendlyName}": not live`);
    return problems;
  }
  check(
    `workflow "${workflow.friendlyName}" taskReservationTimeout`,
    plan.workflow.taskReservationTimeout,
    workflow.taskReservationTimeout,
  );
  try {
    const declared = canonicalWorkflowJson(withQueueSids(plan.workflow.configuration, sids));
    const parsed = JSON.parse(workflow.configuration) as { task_routing?: { filters?: unknown } };
    // No `filters` and `filters: []` route the same; the builder always writes the list.
    if (parsed.task_routing && parsed.task_routing.filters === undefined) {
      parsed.task_routing = { filters: [], ...parsed.task_routing };
    }
    const actual = canonicalWorkflowJson(parsed);
    if (declared !== actual) {
      problems.push(
        `workflow "${workflow.friendlyName}" configuration: declared ${declared}, live ${actual}`,
      );
    }
  } catch (err) {
    problems.push(`workflow "${workflow.friendlyName}" configuration: ${(err as Error).message}`);
  }
  return problems;
}

/** Declared channels' fields and workers' declared capacities against the live ones (when read). */
function compareChannels(
  plan: ReturnType<typeof planCentre>,
  live: LiveWorkspace,
  check: (what: string, declared: unknown, actual: unknown) => void,
): void {
  if (live.channels !== undefined) {
    const liveChannels = new Map(live.channels.map((c) => [c.uniqueName, c]));
    for (const c of plan.channels) {
      const found = liveChannels.get(c.uniqueName);
      const what = `channel "${c.uniqueName}"`;
      if (!found) {
        check(what, "declared", "not live");
        continue;
      }
      check(`${what} friendlyName`, c.friendlyName, found.friendlyName);
      check(
        `${what} channelOptimizedRouting`,
        c.channelOptimizedRouting,
        found.channelOptimizedRouting,
      );
    }
  }
  for (const w of plan.workers) {
    const found = live.workers.find((x) => x.friendlyName === w.friendlyName);
    if (!found?.channels || w.channels === undefined) continue;
    const capacities = new Map(found.channels.map((c) => [c.uniqueName, c.capacity]));
    for (const [key, capacity] of Object.entries(w.channels)) {
      check(`worker "${w.friendlyName}" channel ${key} capacity`, capacity, capacities.get(key));
    }
  }
}
