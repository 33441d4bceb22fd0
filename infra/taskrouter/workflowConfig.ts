// The workflow's `configuration` document (Twilio's task_routing JSON) built from the model and the
// resolved queue SIDs. Pure and canonical: fixed key order, optional keys only when set, so a preview
// compares equal documents as equal strings and never shows noise.
import { canonicalJson } from "./canonicalJson";
import type { ContactCentreSpec } from "./model";

/** One workflow target as Twilio reads it (keys in this order). */
export interface TaskRoutingTarget {
  queue: string;
  expression?: string;
  priority?: number;
  timeout?: number;
  order_by?: string;
  skip_if?: string;
  known_worker_sid?: string;
  known_worker_friendly_name?: string;
}

export interface TaskRoutingFilter {
  filter_friendly_name: string;
  expression: string;
  targets: TaskRoutingTarget[];
}

/** The `Configuration` of a Twilio workflow. */
export interface TaskRoutingConfiguration {
  task_routing: {
    filters: TaskRoutingFilter[];
    default_filter: { queue: string };
  };
}

/**
 * Build the workflow configuration. `queueSids` maps each queue key to its Twilio SID (WQ…);
 * throws when a queue the workflow names has no SID.
 */
export function buildWorkflowConfiguration(
  spec: Pick<ContactCentreSpec, "workflow">,
  queueSids: Record<string, string>,
): TaskRoutingConfiguration {
  const sid = (key: string, path: string): string => {
    const value = Object.prototype.hasOwnProperty.call(queueSids, key) ? queueSids[key] : undefined;
    if (typeof value !== "string" || value === "") {
      throw new Error(`no queue SID for queue "${key}" (${path})`);
    }
    return value;
  };
  const filters = spec.workflow.filters.map((filter, f): TaskRoutingFilter => {
    const targets = filter.targets.map((target, t): TaskRoutingTarget => {
      const out: TaskRoutingTarget = {
        queue: sid(target.queue, `workflow.filters[${f}].targets[${t}].queue`),
      };
      if (target.expression !== undefined) out.expression = target.expression;
      if (target.priority !== undefined) out.priority = target.priority;
      if (target.timeout !== undefined) out.timeout = target.timeout;
      if (target.orderBy !== undefined) out.order_by = target.orderBy;
      if (target.skipIf !== undefined) out.skip_if = target.skipIf;
      if (target.knownWorker?.sid !== undefined) out.known_worker_sid = target.knownWorker.sid;
      if (target.knownWorker?.friendlyName !== undefined) {
        out.known_worker_friendly_name = target.knownWorker.friendlyName;
      }
      return out;
    });
    return { filter_friendly_name: filter.name, expression: filter.expression, targets };
  });
  const defaultQueue = sid(spec.workflow.defaultTarget.queue, "workflow.defaultTarget.queue");
  return { task_routing: { filters, default_filter: { queue: defaultQueue } } };
}

const TARGET_KEYS = [
  "queue",
  "expression",
  "priority",
  "timeout",
  "order_by",
  "skip_if",
  "known_worker_sid",
  "known_worker_friendly_name",
];

// Key order per object, by the key it sits under ("" is the document); keys Twilio may add that we
// do not model go after, sorted.
const KEY_ORDER = new Map<string, readonly string[]>([
  ["", ["task_routing"]],
  ["task_routing", ["filters", "default_filter"]],
  ["filters", ["filter_friendly_name", "expression", "targets"]],
  ["targets", TARGET_KEYS],
  ["default_filter", TARGET_KEYS],
]);

/**
 * The configuration as compact JSON in canonical key order: what is sent to Twilio and what two
 * configurations (ours, or one read back from Twilio) are compared by.
 */
export function canonicalWorkflowJson(config: unknown): string {
  return canonicalJson(config, (parentKey) => KEY_ORDER.get(parentKey) ?? []);
}
