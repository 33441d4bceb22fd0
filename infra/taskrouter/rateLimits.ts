// TaskRouter's per-endpoint rate limits, in one place: the local Twilio enforces them
// (emulator/wire/rateLimits.ts) and the Twilio client paces its requests to stay within them
// (twilioClient.ts). Pure: no I/O.
//
// Twilio counts requests per workspace and "resource key", e.g. `Worker-List-TargetWorkersExpression`
// (https://twilio.com/en-us/changelog/taskrouter-endpoint-rate-limit-correction), and publishes the
// full table only on each workspace's Limits page in the Console. So:
// - documented: the three filtered lists at 3 requests per second (the changelog above);
// - every other key: DEFAULT_REQUESTS_PER_SECOND, our choice. The one public per-key figure is 50
//   (`TaskQueueStatistics-List`, `rate_limit: 50` in the RateLimit event example,
//   https://www.twilio.com/docs/events/event-types/taskrouter/ratelimit); we apply it to every key.
// - the Voice API (IncomingPhoneNumbers) has no published per-endpoint limit: not limited.

/** Requests per second allowed for each resource key named here (see the header). */
export const DOCUMENTED_RATE_LIMITS: Readonly<Record<string, number>> = {
  "Task-List-EvaluateTaskAttributes": 3,
  "Worker-List-TargetWorkersExpression": 3,
  "TaskQueue-List-EvaluateWorkerAttributes": 3,
};

/** Every other TaskRouter resource key (a choice, see the header). */
export const DEFAULT_REQUESTS_PER_SECOND = 50;

/** Per-key limits (requests per second) with a default for keys not listed. */
export interface RateLimits {
  perKey: Readonly<Record<string, number>>;
  defaultPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perKey: DOCUMENTED_RATE_LIMITS,
  defaultPerSecond: DEFAULT_REQUESTS_PER_SECOND,
};

/** Where a request counts: the workspace (or account, for workspace lists) and the resource key. */
export interface RateLimitBucket {
  namespace: string;
  key: string;
}

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
/** Query parameters that make a list a separately limited key. */
const FILTERS = ["EvaluateTaskAttributes", "TargetWorkersExpression", "EvaluateWorkerAttributes"];

const singular = (collection: string): string =>
  collection === "Statistics" ||
  collection === "CumulativeStatistics" ||
  collection === "RealTimeStatistics"
    ? collection
    : collection.replace(/ies$/, "y").replace(/s$/, "");

/**
 * The bucket of a TaskRouter request, named as Twilio names resource keys (`Worker-Create`,
 * `Worker-Fetch`, `Worker-List-TargetWorkersExpression`), or undefined for other APIs.
 */
export function rateLimitBucket(
  method: string,
  path: string,
  query: Readonly<Record<string, unknown>> = {},
): RateLimitBucket | undefined {
  const match = /^\/v1\/Workspaces(?:\/([^/]+)((?:\/[^/]+)*))?\/?$/.exec(path);
  if (!match) return undefined;
  const [, workspace, rest = ""] = match;
  const segments = [
    "Workspaces",
    ...(workspace ? [workspace] : []),
    ...rest.split("/").filter(Boolean),
  ];
  const names = segments.filter((s) => !SID.test(s)).map(singular);
  const onInstance = SID.test(segments[segments.length - 1] ?? "");
  const verb = method.toUpperCase();
  const action = onInstance
    ? verb === "GET"
      ? "Fetch"
      : verb === "DELETE"
        ? "Delete"
        : "Update"
    : verb === "GET"
      ? "List"
      : "Create";
  const resource = names.length > 1 ? names.slice(1).join("") : names[0];
  const filter = action === "List" ? FILTERS.find((f) => query[f] !== undefined) : undefined;
  return {
    namespace: workspace && SID.test(workspace) ? workspace : "account",
    key: [resource, action, filter].filter(Boolean).join("-"),
  };
}

/** The limit (requests per second) of a resource key. */
export function limitOf(limits: RateLimits, key: string): number {
  return limits.perKey[key] ?? limits.defaultPerSecond;
}

/** The stack config key for an account's own limits (Twilio raises them on request). */
export const RATE_LIMITS_CONFIG_KEY = "twilio:rateLimits";

const RESOURCE_KEY = /^[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)*$/;

/**
 * The limits a stack declares in `twilio:rateLimits`, a JSON object of requests per second by
 * resource key plus an optional `default`, e.g. `{"default": 100, "Worker-Create": 200}`: each given
 * figure replaces the built-in one, the rest stay. Absent: DEFAULT_RATE_LIMITS. Returns the problems
 * instead when the value is not such an object, each naming the key and the value.
 */
export function rateLimitsFromConfig(
  raw: string | undefined,
): { limits: RateLimits } | { problems: string[] } {
  if (raw === undefined || raw === "") return { limits: DEFAULT_RATE_LIMITS };
  const usage = `${RATE_LIMITS_CONFIG_KEY} must be a JSON object of requests per second by Twilio resource key, e.g. {"default": 100, "Worker-Create": 200}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problems: [`${usage}; got ${JSON.stringify(raw)}, which is not JSON`] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: [`${usage}; got ${JSON.stringify(raw)}`] };
  }
  const problems: string[] = [];
  const perKey: Record<string, number> = { ...DOCUMENTED_RATE_LIMITS };
  let defaultPerSecond = DEFAULT_REQUESTS_PER_SECOND;
  for (const [key, perSecond] of Object.entries(value)) {
    if (key !== "default" && !RESOURCE_KEY.test(key)) {
      problems.push(
        `${RATE_LIMITS_CONFIG_KEY}: ${JSON.stringify(key)} is not a resource key as Twilio names them (e.g. Worker-Create, Worker-List-TargetWorkersExpression) nor "default"`,
      );
    } else if (typeof perSecond !== "number" || !Number.isInteger(perSecond) || perSecond < 1) {
      problems.push(
        `${RATE_LIMITS_CONFIG_KEY}.${key} must be a whole number of requests per second, at least 1; got ${JSON.stringify(perSecond)}`,
      );
    } else if (key === "default") {
      defaultPerSecond = perSecond;
    } else {
      perKey[key] = perSecond;
    }
  }
  return problems.length > 0 ? { problems } : { limits: { perKey, defaultPerSecond } };
}
