// Cross-reference and range rules over a routing definition that already matches the schema.
// Pure: each rule is a small function over plain values returning reasons (no file positions), so the
// Pulumi providers' `check` can reuse them; `validateSpec` applies them all and collects every issue.
import { E164, HTTP_URL, KEYPAD_KEY } from "./formats";
import type { ContactCentreSpec } from "./model";
import {
  evaluate,
  ExpressionError,
  expressionKeys,
  parseExpression,
  type Expr,
} from "./expression";

export type Severity = "error" | "warning";

/** One problem in a spec, located by a path such as `workflow.filters[0].targets[1].queue`. */
export interface SpecIssue {
  severity: Severity;
  path: string;
  message: string;
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["workers", "Shyam", "attributes"]` → `workers.Shyam.attributes`; other keys as `["Wrap-Up"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** The inverse of `formatPath`. */
export function parsePath(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (pattern.lastIndex < text.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(text);
    if (!match) throw new Error(`invalid path "${text}" at column ${start + 1}`);
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

// ---------------------------------------------------------------------------------------------
// Single-value rules: each returns the reason, or undefined when the value is fine.

export const RESERVATION_TIMEOUT_MAX = 86400;
export const PRIORITY_MAX = 2147483647;
export const ATTRIBUTES_MAX_CHARS = 4096;

export function checkReservationTimeout(seconds: number): string | undefined {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= RESERVATION_TIMEOUT_MAX) return;
  return `reservation timeout must be 1..${RESERVATION_TIMEOUT_MAX} seconds (got ${seconds})`;
}

export function checkPriority(priority: number): string | undefined {
  if (Number.isInteger(priority) && priority >= 0 && priority <= PRIORITY_MAX) return;
  return `priority must be 0..${PRIORITY_MAX} (got ${priority})`;
}

export function checkTargetTimeout(seconds: number): string | undefined {
  if (Number.isInteger(seconds) && seconds > 0) return;
  return `timeout must be a positive number of seconds (got ${seconds})`;
}

export function checkE164(number: string): string | undefined {
  if (E164.test(number)) return;
  return `${JSON.stringify(number)} is not an E.164 number (+, country code, up to 15 digits)`;
}

/** What a dequeue dials: an E.164 number, a Twilio Client identity or a SIP URI. */
export function checkContactUri(uri: unknown): string | undefined {
  if (typeof uri === "string" && (E164.test(uri) || /^client:[A-Za-z0-9_.]+$/.test(uri))) return;
  if (typeof uri === "string" && /^sip:\S+$/.test(uri)) return;
  return `contact_uri ${JSON.stringify(uri)} is not an E.164 number, client:<identity> or sip:<uri>`;
}

export function checkIvrDigit(key: string): string | undefined {
  if (KEYPAD_KEY.test(key)) return;
  return `IVR option key ${JSON.stringify(key)} is not a single keypad key (0-9, *, #)`;
}

export function checkHttpUrl(url: string): string | undefined {
  if (HTTP_URL.test(url)) return;
  return `${JSON.stringify(url)} is not an absolute http(s) URL`;
}

export function checkAttributesSize(attributes: Record<string, unknown>): string | undefined {
  const length = JSON.stringify(attributes).length;
  if (length <= ATTRIBUTES_MAX_CHARS) return;
  return `attributes are ${length} characters as JSON (max ${ATTRIBUTES_MAX_CHARS})`;
}

/** `name` must be one of `known` (listed sorted in the reason). */
export function checkReference(
  kind: "queue" | "activity",
  name: string,
  known: readonly string[],
): string | undefined {
  if (known.includes(name)) return;
  const list = [...known].sort();
  return `unknown ${kind} ${JSON.stringify(name)} (known: ${list.length ? list.join(", ") : "none"})`;
}

export function checkPostWorkActivity(
  name: string,
  activities: ContactCentreSpec["activities"],
): string | undefined {
  const activity = activities[name];
  if (activity === undefined || !activity.available) return;
  return `post-work activity ${JSON.stringify(name)} must be unavailable (available: false)`;
}

// ---------------------------------------------------------------------------------------------
// Rules over collections: they return issues with paths relative to the value given.

/** Names unique ignoring case (Twilio's rule for workers; applied to every name for adoption by name). */
export function checkUniqueNames(kind: string, names: readonly string[]): Map<number, string> {
  const first = new Map<string, string>();
  const duplicates = new Map<number, string>();
  names.forEach((name, index) => {
    const folded = name.toLowerCase();
    const earlier = first.get(folded);
    if (earlier === undefined) first.set(folded, name);
    else {
      duplicates.set(
        index,
        `${kind} ${JSON.stringify(name)} duplicates ${JSON.stringify(earlier)} (names are unique ignoring case)`,
      );
    }
  });
  return duplicates;
}

/** Every string containing a hyphen, anywhere in an attribute value (Twilio cannot match them). */
export function checkAttributeHyphens(value: unknown, at: PathSegment[] = []): SpecIssue[] {
  if (typeof value === "string") {
    if (!value.includes("-")) return [];
    return [
      {
        severity: "error",
        path: formatPath(at),
        message: `attribute value ${JSON.stringify(value)} contains a hyphen (not supported by TaskRouter)`,
      },
    ];
  }
  if (Array.isArray(value))
    return value.flatMap((item, i) => checkAttributeHyphens(item, [...at, i]));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => checkAttributeHyphens(v, [...at, k]));
  }
  return [];
}

/** Where an expression is used decides which keys it may name. */
export type ExpressionRole = "targetWorkers" | "filter" | "target" | "skipIf";

function stringLiterals(expr: Expr): Extract<Expr, { kind: "literal" }>[] {
  switch (expr.kind) {
    case "literal":
      return typeof expr.value === "string" ? [expr] : [];
    case "list":
      return expr.items.flatMap(stringLiterals);
    case "key":
      return [];
    default:
      return [...stringLiterals(expr.left), ...stringLiterals(expr.right)];
  }
}

/** Parse, hyphen and key-prefix rules for one expression; returns reasons. */
export function checkExpression(source: string, role: ExpressionRole): string[] {
  let expr: Expr;
  try {
    expr = parseExpression(source);
  } catch (err) {
    if (err instanceof ExpressionError) return [`expression does not parse: ${err.message}`];
    throw err;
  }
  const reasons = stringLiterals(expr)
    .filter((literal) => (literal.value as string).includes("-"))
    .map(
      (literal) =>
        `expression has a hyphen in ${JSON.stringify(literal.value)} at column ${literal.column} (not supported by TaskRouter)`,
    );
  if (role === "target") {
    for (const key of expressionKeys(expr)) {
      if (!/^(task|worker)\./.test(key)) {
        reasons.push(`target expression key "${key}" must start with task. or worker.`);
      }
    }
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// The whole spec.

/**
 * Every rule over a spec with defaults applied: errors and warnings, grouped by section
 * (the loader sorts them by position).
 */
export function validateSpec(spec: ContactCentreSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (path: PathSegment[], message: string | undefined): void => {
    if (message !== undefined) issues.push({ severity: "error", path: formatPath(path), message });
  };
  const warn = (path: PathSegment[], message: string): void => {
    issues.push({ severity: "warning", path: formatPath(path), message });
  };
  const nested = (prefix: PathSegment[], found: SpecIssue[]): void => {
    for (const issue of found) {
      issues.push({ ...issue, path: formatPath([...prefix, ...parsePath(issue.path)]) });
    }
  };
  const expression = (path: PathSegment[], source: string, role: ExpressionRole): void => {
    for (const reason of checkExpression(source, role)) error(path, reason);
  };

  const activityNames = Object.keys(spec.activities);
  const queueKeys = Object.keys(spec.queues);
  const activity = (path: PathSegment[], name: string): void =>
    error(path, checkReference("activity", name, activityNames));

  checkUniqueNames("activity", activityNames).forEach((message, i) =>
    error(["activities", activityNames[i]], message),
  );
  activity(["defaultActivity"], spec.defaultActivity);
  activity(["timeoutActivity"], spec.timeoutActivity);
  activity(["postWorkActivity"], spec.postWorkActivity);
  error(["postWorkActivity"], checkPostWorkActivity(spec.postWorkActivity, spec.activities));

  const workerNames = Object.keys(spec.workers);
  const duplicateWorkers = checkUniqueNames("worker", workerNames);
  workerNames.forEach((name, i) => {
    const worker = spec.workers[name];
    error(["workers", name], duplicateWorkers.get(i));
    // A defaulted activity is the default activity, already reported once if unknown.
    if (worker.activity !== spec.defaultActivity)
      activity(["workers", name, "activity"], worker.activity);
    error(["workers", name, "attributes"], checkAttributesSize(worker.attributes));
    if ("contact_uri" in worker.attributes) {
      error(
        ["workers", name, "attributes", "contact_uri"],
        checkContactUri(worker.attributes.contact_uri),
      );
    }
    nested(["workers", name, "attributes"], checkAttributeHyphens(worker.attributes));
  });

  const queueNames = queueKeys.map((key) => spec.queues[key].friendlyName);
  const duplicateQueues = checkUniqueNames("queue friendly name", queueNames);
  for (const [i, key] of queueKeys.entries()) {
    const queue = spec.queues[key];
    error(["queues", key, "friendlyName"], duplicateQueues.get(i));
    expression(["queues", key, "targetWorkers"], queue.targetWorkers, "targetWorkers");
    if (queue.reservationActivity !== undefined) {
      activity(["queues", key, "reservationActivity"], queue.reservationActivity);
    }
    if (queue.assignmentActivity !== undefined) {
      activity(["queues", key, "assignmentActivity"], queue.assignmentActivity);
    }
  }

  const { workflow } = spec;
  error(["workflow", "reservationTimeout"], checkReservationTimeout(workflow.reservationTimeout));
  const duplicateFilters = checkUniqueNames(
    "filter",
    workflow.filters.map((filter) => filter.name),
  );
  const reached = new Set<string>([workflow.defaultTarget.queue]);
  workflow.filters.forEach((filter, f) => {
    const at: PathSegment[] = ["workflow", "filters", f];
    error([...at, "name"], duplicateFilters.get(f));
    expression([...at, "expression"], filter.expression, "filter");
    filter.targets.forEach((target, t) => {
      const targetAt = [...at, "targets", t];
      reached.add(target.queue);
      error([...targetAt, "queue"], checkReference("queue", target.queue, queueKeys));
      if (target.priority !== undefined)
        error([...targetAt, "priority"], checkPriority(target.priority));
      if (target.timeout !== undefined) {
        error([...targetAt, "timeout"], checkTargetTimeout(target.timeout));
      }
      if (target.expression !== undefined) {
        expression([...targetAt, "expression"], target.expression, "target");
      }
      if (target.skipIf !== undefined) expression([...targetAt, "skipIf"], target.skipIf, "skipIf");
    });
  });
  error(
    ["workflow", "defaultTarget", "queue"],
    checkReference("queue", workflow.defaultTarget.queue, queueKeys),
  );

  const { phone } = spec;
  error(["phone", "number"], checkE164(phone.number));
  for (const [digit, option] of Object.entries(phone.ivr.options)) {
    error(["phone", "ivr", "options", digit], checkIvrDigit(digit));
    nested(
      ["phone", "ivr", "options", digit, "attributes"],
      checkAttributeHyphens(option.attributes),
    );
    // The enqueue handler sets the label as the task attribute selected_option.
    if (option.label.includes("-")) {
      error(
        ["phone", "ivr", "options", digit, "label"],
        `label ${JSON.stringify(option.label)} becomes the task attribute selected_option and contains a hyphen (not supported by TaskRouter)`,
      );
    }
  }
  nested(["phone", "ivr", "defaultAttributes"], checkAttributeHyphens(phone.ivr.defaultAttributes));
  if (phone.holdMusicUrl !== undefined) {
    error(["phone", "holdMusicUrl"], checkHttpUrl(phone.holdMusicUrl));
  }

  // Warnings: queues that can never receive a task, or whose tasks no worker can take.
  for (const key of queueKeys) {
    if (!reached.has(key))
      warn(["queues", key], "no filter target or default target routes to this queue");
    // An expression with errors is reported above; matching with it would only add noise.
    if (checkExpression(spec.queues[key].targetWorkers, "targetWorkers").length > 0) continue;
    const matcher = parseExpression(spec.queues[key].targetWorkers);
    const matches = workerNames.some((name) => evaluate(matcher, spec.workers[name].attributes));
    if (!matches) {
      warn(
        ["queues", key, "targetWorkers"],
        `no worker matches ${JSON.stringify(spec.queues[key].targetWorkers)}`,
      );
    }
  }
  return issues;
}
