// Rules shared by several resources: names, uniqueness, activity references, If-Match, task liveness.
import { ExpressionError, parseExpression } from "../../infra/taskrouter/expression";
import { invalidParameter, preconditionFailed } from "../errors";
import type { TaskStatus } from "./records";
import type { Store } from "./store";

const NAME_MAX = 64;
/** Twilio's limit on task and worker attributes. */
export const ATTRIBUTES_MAX = 4096;

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function checkName(value: string, name = "FriendlyName"): string {
  if (value.length > NAME_MAX) {
    throw invalidParameter(`Invalid ${name}: must be at most ${NAME_MAX} characters`);
  }
  return value;
}

/** A FriendlyName given on update: not empty, not too long. */
export function checkNewName(value: string): string {
  if (value === "") throw invalidParameter("Invalid FriendlyName: must not be empty");
  return checkName(value);
}

export function checkExpression(value: string, what: string): void {
  try {
    parseExpression(value);
  } catch (err) {
    if (err instanceof ExpressionError) throw invalidParameter(`Invalid ${what}: ${err.message}`);
    throw err;
  }
}

export function attributesOf(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

/** FriendlyName is unique per workspace, case-insensitively. */
export function uniqueName<T extends { workspaceSid: string; friendlyName: string; sid: string }>(
  map: Map<string, T>,
  ws: string,
  name: string,
  kind: string,
  exceptSid?: string,
): void {
  for (const r of map.values()) {
    if (r.workspaceSid === ws && r.sid !== exceptSid && sameName(r.friendlyName, name)) {
      throw invalidParameter(
        `${kind} with FriendlyName '${name}' already exists in workspace ${ws}`,
      );
    }
  }
}

/** An activity SID given as a parameter must name an activity of the workspace. */
export function activityRef(
  store: Store,
  ws: string,
  sid: string | undefined,
  param: string,
): string | undefined {
  if (sid === undefined) return undefined;
  const a = store.activities.get(sid);
  if (!a || a.workspaceSid !== ws) {
    throw invalidParameter(`Invalid ${param}: activity ${sid} not found in workspace ${ws}`);
  }
  return sid;
}

/** ETag values are the record revision; a stale If-Match is refused with 412. */
export function checkIfMatch(ifMatch: string | undefined, revision: number): void {
  if (ifMatch === undefined) return;
  if (ifMatch.replace(/^W\//, "").replace(/"/g, "") !== String(revision)) {
    throw preconditionFailed(ifMatch, revision);
  }
}

export function isActive(s: TaskStatus): boolean {
  return s === "pending" || s === "reserved" || s === "assigned" || s === "wrapping";
}

/** Attributes (JSON object text, the wire checks the format) within Twilio's size limit. */
export function checkAttributes(value: string | undefined): string | undefined {
  if (value !== undefined && value.length > ATTRIBUTES_MAX) {
    throw invalidParameter(
      `Invalid Attributes: ${value.length} characters exceeds the limit of ${ATTRIBUTES_MAX}`,
    );
  }
  return value;
}

/** An integer within Twilio's range (the wire parses it; typed callers are held to the same range). */
export function checkRange(
  value: number | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value))
    throw invalidParameter(`Invalid ${name}: ${value} is not an integer`);
  if (value < min || value > max) {
    throw invalidParameter(`Invalid ${name}: ${value} is outside ${min}..${max}`);
  }
  return value;
}
