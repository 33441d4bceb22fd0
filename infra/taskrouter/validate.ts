// Cross-reference and range rules over a routing definition that already matches the schema.
// Pure: each rule is a small function over plain values returning reasons (no file positions), so the
// Pulumi providers' `check` can reuse them; `validateSpec` (validateSpec.ts) applies them all.
import { ivrMenuFromPhone } from "../functions/config";
import { E164, HTTP_URL, KEYPAD_KEY } from "./formats";
import type { ContactCentreSpec, HoursSpec } from "./model";
import { callFlowFromSpec, hoursFromSpec } from "./callFlowSpec";
import { hoursProblems, type HoursProblem } from "./hours";
import { childResourceName } from "./resourceNames";
import { OrderByError, parseOrderBy } from "./routing";
import { buildWorkflowConfiguration } from "./workflowConfig";
import { ExpressionError, expressionKeys, parseExpression, type Expr } from "./expression";

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

// Twilio's limits (https://www.twilio.com/docs/taskrouter/limits unless noted).
export const RESERVATION_TIMEOUT_MAX = 86400;
export const PRIORITY_MAX = 2147483647;
/** Worker and task attributes, as JSON, whitespace included. */
export const ATTRIBUTES_MAX_CHARS = 4096;
/** The workflow configuration document, in bytes. */
export const WORKFLOW_CONFIGURATION_MAX_BYTES = 1038576;
/** https://www.twilio.com/docs/taskrouter/api/activity */
export const ACTIVITIES_MAX = 100;
/** Workers per workspace (Twilio's default limit, https://www.twilio.com/docs/taskrouter/api/worker). */
export const WORKERS_MAX = 15000;
/**
 * The activities Twilio creates in every new workspace, with their availability
 * (https://www.twilio.com/docs/taskrouter/api/activity). A declared activity of the same name is
 * adopted, and Twilio cannot change an activity's availability.
 */
export const SEEDED_ACTIVITIES: Readonly<Record<string, boolean>> = {
  Offline: false,
  Unavailable: false,
  Available: true,
};
/**
 * Lambda allows 4 KB of environment per function
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html); the SIDs, number, URLs
 * and names take under 1 KB, the IVR menu (IVR_MENU: greeting, options, hold music) the rest.
 */
export const IVR_MENU_MAX_BYTES = 3072;

/** A Twilio SID: two capital letters and 32 hex digits. */
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
// C0 and C1 control characters and DEL; lone UTF-16 surrogates (not encodable as UTF-8).
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_SPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be sent as a name or expression: a control character or invalid Unicode. */
function badCharacters(text: string, allowWhitespace: boolean): string | undefined {
  const control = (allowWhitespace ? CONTROL_BUT_SPACE : CONTROL).exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    return `contains the control character U+${code} at column ${control.index + 1}`;
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `contains an unpaired surrogate at column ${lone.index + 1} (not valid UTF-8)`;
  return undefined;
}

/** A name (activity, worker, queue key, friendly name, label): printable text, and not a SID. */
export function checkName(kind: string, name: string): string | undefined {
  const bad = badCharacters(name, false);
  if (bad !== undefined) return `${kind} ${JSON.stringify(name)} ${bad}`;
  if (SID.test(name)) {
    return `${kind} ${JSON.stringify(name)} is a Twilio SID; stack files use logical names, never SIDs`;
  }
  return undefined;
}

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

// A SIP URI (RFC 3261 §19.1): sip:[user[:password]@]host[:port][;params][?headers], the host a DNS
// name, an IPv4 address or a bracketed IPv6 address.
const SIP_USER = "[A-Za-z0-9\\-_.!~*'()&=+$,;?/%]+(?::[A-Za-z0-9\\-_.!~*'()&=+$,%]*)?@";
const SIP_HOST =
  "(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.?" +
  "|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\])";
const SIP_URI = new RegExp(
  `^sip:(?:${SIP_USER})?${SIP_HOST}(?::\\d{1,5})?(?:;[A-Za-z0-9\\-_.!~*'()%=]+)*(?:\\?[A-Za-z0-9\\-_.!~*'()%=&]+)?$`,
);

/** What a dequeue dials: an E.164 number, a Twilio Client identity or a SIP URI. */
export function checkContactUri(uri: unknown): string | undefined {
  if (typeof uri === "string" && (E164.test(uri) || /^client:[A-Za-z0-9_.]+$/.test(uri))) return;
  if (typeof uri === "string" && uri.startsWith("sip:")) {
    if (SIP_URI.test(uri)) return;
    return `contact_uri ${JSON.stringify(uri)} is not a SIP URI (sip:[user@]host[:port][;params])`;
  }
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

/** `order_by` in Twilio's documented form (routing.ts parseOrderBy, which the routing engine uses). */
export function checkOrderBy(orderBy: string): string | undefined {
  try {
    parseOrderBy(orderBy);
    return undefined;
  } catch (err) {
    if (err instanceof OrderByError) return err.message;
    throw err;
  }
}

/** `name` must be one of `known` (listed sorted in the reason). */
export function checkReference(
  kind: "queue" | "activity" | "task channel",
  name: string,
  known: readonly string[],
): string | undefined {
  if (known.includes(name)) return;
  const list = [...known].sort();
  const sid = SID.test(name) ? ", a Twilio SID where a logical name belongs" : "";
  return `unknown ${kind} ${JSON.stringify(name)}${sid} (known: ${list.length ? list.join(", ") : "none"})`;
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
  const bad = badCharacters(source, true);
  if (bad !== undefined) return [`expression ${bad}`];
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

/**
 * Logical names that become the same Pulumi resource name (contactCentre.ts names children by
 * `resourceKey`, which drops case and punctuation): by index of the later name, the reason.
 */
export function checkResourceNameClashes(
  kind: string,
  names: readonly string[],
): Map<number, string> {
  const first = new Map<string, string>();
  const clashes = new Map<number, string>();
  names.forEach((name, index) => {
    const resource = childResourceName("", kind, name);
    const earlier = first.get(resource);
    if (earlier === undefined) first.set(resource, name);
    else {
      clashes.set(
        index,
        `${kind} ${JSON.stringify(name)} and ${JSON.stringify(earlier)} both become the Pulumi ` +
          `resource name "<centre>-${resource}" (case and punctuation are dropped); rename one`,
      );
    }
  });
  return clashes;
}

/**
 * The workflow configuration as the provider sends it, with every queue SID at its fixed length
 * (34 characters), against Twilio's size limit. `queueKeys`: every queue the workflow names.
 */
export function checkWorkflowSize(
  spec: Pick<ContactCentreSpec, "workflow">,
  queueKeys: readonly string[],
): string | undefined {
  const sids = Object.fromEntries(queueKeys.map((key) => [key, `WQ${"0".repeat(32)}`]));
  const bytes = Buffer.byteLength(JSON.stringify(buildWorkflowConfiguration(spec, sids)));
  if (bytes <= WORKFLOW_CONFIGURATION_MAX_BYTES) return;
  return `the workflow configuration is ${bytes} bytes as JSON (Twilio's max ${WORKFLOW_CONFIGURATION_MAX_BYTES})`;
}

/** The IVR menu travels in each call handler's Lambda environment (IVR_MENU), which has 4 KB in all. */
export function checkIvrMenuSize(phone: ContactCentreSpec["phone"]): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(ivrMenuFromPhone(phone)));
  if (bytes <= IVR_MENU_MAX_BYTES) return;
  return (
    `the IVR menu (greeting, options, hold music) is ${bytes} bytes as JSON, and goes into each call ` +
    `handler's Lambda environment (4 KB in all); keep it under ${IVR_MENU_MAX_BYTES} bytes`
  );
}

/** CALL_FLOW travels beside IVR_MENU in each call handler's Lambda environment (4 KB in all). */
export function checkCallFlowSize(spec: ContactCentreSpec): string | undefined {
  const bytes =
    Buffer.byteLength(JSON.stringify(callFlowFromSpec(spec))) +
    Buffer.byteLength(JSON.stringify(ivrMenuFromPhone(spec.phone)));
  if (bytes <= IVR_MENU_MAX_BYTES) return;
  return (
    `the call flow (lines, IVRs, hours, exits) and the main IVR menu are ${bytes} bytes as JSON, and go ` +
    `into each call handler's Lambda environment (4 KB in all); keep them under ${IVR_MENU_MAX_BYTES} bytes`
  );
}

/**
 * A schedule's problems at paths of the stack file: an interval is one "09:00-17:30" string, and a
 * closure given as `date:` is reported there; a closure needs `date`, or `from` and `to`.
 */
export function hoursSpecProblems(hours: HoursSpec): HoursProblem[] {
  const shape: HoursProblem[] = [];
  (hours.closures ?? []).forEach((closure, i) => {
    const hasRange = closure.from !== undefined || closure.to !== undefined;
    if (closure.date !== undefined && hasRange) {
      shape.push({
        path: ["closures", i],
        message: "give date (a whole day), or from and to, not both",
      });
    } else if (
      closure.date === undefined &&
      (closure.from === undefined || closure.to === undefined)
    ) {
      shape.push({
        path: ["closures", i],
        message: "give date (a whole day), or both from and to",
      });
    }
  });
  if (shape.length > 0) return shape;
  return hoursProblems(hoursFromSpec(hours)).map(({ path, message }) => {
    if (path[0] === "weekly" && path.length === 4) return { path: path.slice(0, 3), message };
    if (
      path[0] === "closures" &&
      path.length === 3 &&
      hours.closures?.[path[1] as number].date !== undefined
    ) {
      const date = hours.closures[path[1] as number].date as string;
      return {
        path: ["closures", path[1], "date"],
        message: `${JSON.stringify(date)} is not a calendar date: use YYYY-MM-DD`,
      };
    }
    return { path, message };
  });
}

/** An activity named like one Twilio creates in every workspace must keep that one's availability. */
export function checkSeededActivity(name: string, available: boolean): string | undefined {
  const seeded = Object.keys(SEEDED_ACTIVITIES).find((s) => s.toLowerCase() === name.toLowerCase());
  if (seeded === undefined || SEEDED_ACTIVITIES[seeded] === available) return;
  return (
    `Twilio creates "${seeded}" in every new workspace with available: ${SEEDED_ACTIVITIES[seeded]}, ` +
    `adopts it by name and cannot change its availability; declare available: ${SEEDED_ACTIVITIES[seeded]} or use another name`
  );
}

/**
 * A known-worker target names exactly one of `sid` / `friendlyName`, each `task.<attribute>` or a
 * literal (a literal sid is a Worker SID).
 */
export function checkKnownWorker(known: {
  sid?: string;
  friendlyName?: string;
}): string | undefined {
  const given = [known.sid, known.friendlyName].filter((v) => v !== undefined);
  if (given.length !== 1) return "needs exactly one of sid or friendlyName";
  const value = given[0] as string;
  if (value.startsWith("task.")) {
    return /^task\.[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value)
      ? undefined
      : `${JSON.stringify(value)} is not task.<attribute>`;
  }
  if (known.sid !== undefined && !/^WK[0-9a-f]{32}$/.test(value)) {
    return `sid ${JSON.stringify(value)} is neither task.<attribute> nor a Worker SID (WK…)`;
  }
  return value.trim() === "" ? "must not be empty" : undefined;
}
