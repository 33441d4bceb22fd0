// The one place that builds a `twilio` client for this project: credentials, the local-Twilio seam
// (each domain's public `baseUrl`), the retry rule for 429, 500, 502, 503, 504 and dropped
// connections, and the error helpers every provider uses. `twilio` is required inside the function
// so nothing that imports this module captures a client (a dynamic provider's functions are
// serialized with what they capture: https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/).
import pThrottle from "p-throttle";
import type { Twilio } from "twilio";
import { DEFAULT_RATE_LIMITS, limitOf, rateLimitBucket, type RateLimits } from "./rateLimits";

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** The local Twilio (emulator) base URL, e.g. http://127.0.0.1:4010. Absent = real Twilio. */
  baseUrl?: string;
}

/** Bounded exponential backoff with full jitter: delay = random() × min(maxDelayMs, baseDelayMs × 2^retry). */
export interface RetryPolicy {
  /** Total attempts including the first. Default 8. */
  attempts?: number;
  /** Default 200 ms. */
  baseDelayMs?: number;
  /** Default 5000 ms. */
  maxDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests; must return a number in [0, 1). */
  random?: () => number;
}

export interface TwilioClientOptions {
  retry?: RetryPolicy;
  /** One line per retry. Default: silent. */
  log?: (line: string) => void;
  /** Appended to the User-Agent header (e.g. ["emulator-test/1"]). */
  userAgentExtensions?: string[];
  /** Per-request timeout in ms (twilio's default: 30000). */
  timeoutMs?: number;
  /**
   * Pace TaskRouter requests to stay within these per-endpoint limits (rateLimits.ts). Default:
   * TaskRouter's defaults; `false`: no pacing (tests that provoke 429s).
   */
  rateLimits?: RateLimits | false;
}

/** What twilio's RequestClient.request receives (BaseTwilio.request) and resolves to. */
interface HttpRequest {
  method: string;
  uri: string;
  [key: string]: unknown;
}
interface HttpResponse {
  statusCode: number;
  body: unknown;
  headers: unknown;
}

/**
 * 8 attempts: under 30% injected failures a request still fails for good about once in 15,000
 * (0.3^8), and the waits add up to at most 16 s (half that on average).
 */
export const DEFAULT_RETRY = { attempts: 8, baseDelayMs: 200, maxDelayMs: 5000 } as const;

/**
 * The retry rule, in one place:
 * - 429 and 503: Twilio did not process the request ("may be retried", error 20429's page), so every
 *   request is retried, creates included;
 * - 500, 502, 504 and dropped connections: retried when repeating is harmless: reads, updates
 *   (POST to an instance sets the same values again) and deletes (a 404 after a delete that did
 *   happen counts as done). A create may have happened, so it is handed back to the provider,
 *   which looks the object up by name before creating again (providers/impl/common.ts
 *   `createOrAdopt`): an interrupted `up` never leaves a second copy.
 */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Statuses after which a create may or may not have been carried out. */
const AMBIGUOUS_STATUSES = new Set([500, 502, 504]);
const DROPPED = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE"]);
// The last path segment of an instance URL is a SID; a POST anywhere else creates an object.
const INSTANCE_PATH = /\/[A-Z]{2}[0-9a-fA-F]{32}(\.json)?$/;

/** A dropped or refused connection (axios/Node error), as opposed to an HTTP error response. */
export function isDroppedConnection(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (typeof e.code === "string" && DROPPED.has(e.code)) return true;
  return typeof e.message === "string" && /socket hang up/i.test(e.message);
}

/**
 * A create (POST to a collection) failure that may have reached Twilio: a dropped connection (not a
 * refused one: that never connected) or a 500, 502 or 504 answer. Retrying it blindly could create a
 * second object, so the wrapper hands it back and the provider looks the object up by its natural
 * key before trying again (providers/impl/common.ts `createOrAdopt`).
 */
export function isAmbiguousCreateFailure(err: unknown): boolean {
  const status = (err as { status?: unknown } | undefined)?.status;
  if (typeof status === "number") return AMBIGUOUS_STATUSES.has(status);
  return (
    isDroppedConnection(err) && (err as { code?: unknown }).code !== "ECONNREFUSED" // never connected
  );
}

function isCreate(req: HttpRequest): boolean {
  const path = new URL(req.uri).pathname;
  return req.method.toLowerCase() === "post" && !INSTANCE_PATH.test(path);
}

/** Wraps twilio's RequestClient (or anything with its `request`) with the retry policy. */
export function retryingHttpClient(
  inner: { request(req: HttpRequest): Promise<HttpResponse> },
  opts: TwilioClientOptions = {},
): { request(req: HttpRequest): Promise<HttpResponse> } {
  const attempts = Math.max(1, opts.retry?.attempts ?? DEFAULT_RETRY.attempts);
  const base = opts.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const cap = opts.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  // Not unref'd: in a command-line tool the wait may be the only thing pending, and Node would
  // exit there with code 0 and no answer.
  const sleep = opts.retry?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.retry?.random ?? Math.random;
  const log = opts.log ?? (() => undefined);

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      for (let attempt = 1; ; attempt++) {
        let reason: string;
        try {
          const res = await inner.request(req);
          if (!RETRY_STATUSES.has(res.statusCode) || attempt >= attempts) return res;
          if (isCreate(req) && AMBIGUOUS_STATUSES.has(res.statusCode)) return res;
          reason = `status ${res.statusCode}`;
        } catch (err) {
          if (!isDroppedConnection(err) || attempt >= attempts) throw err;
          if (isCreate(req) && isAmbiguousCreateFailure(err)) throw err;
          const e = err as { code?: string; message?: string };
          reason = e.code ?? e.message ?? "dropped connection";
        }
        const delay = Math.round(random() * Math.min(cap, base * 2 ** (attempt - 1)));
        log(
          `twilio: ${req.method.toUpperCase()} ${new URL(req.uri).pathname} failed (${reason}); ` +
            `retry ${attempt} of ${attempts - 1} in ${delay} ms`,
        );
        await sleep(delay);
      }
    },
  };
}

/**
 * Slack added to every pacing window: a request sent just after the window ends may reach Twilio a
 * few milliseconds earlier, relative to the window's first request, than it left.
 */
const PACING_SLACK_MS = 50;

/**
 * Wraps a request client so TaskRouter requests leave at most at each (workspace, resource key)'s
 * rate limit per second (p-throttle, strict sliding window); other requests pass straight through.
 * Requests over the limit wait their turn instead of drawing a 429.
 */
export function pacedHttpClient(
  inner: { request(req: HttpRequest): Promise<HttpResponse> },
  limits: RateLimits = DEFAULT_RATE_LIMITS,
): { request(req: HttpRequest): Promise<HttpResponse> } {
  const lanes = new Map<string, (req: HttpRequest) => Promise<HttpResponse>>();
  return {
    request(req: HttpRequest): Promise<HttpResponse> {
      const url = new URL(req.uri);
      const query = Object.fromEntries(url.searchParams);
      const bucket = rateLimitBucket(req.method, url.pathname, { ...query, ...paramsOf(req) });
      if (!bucket) return inner.request(req);
      const id = `${bucket.namespace} ${bucket.key}`;
      let lane = lanes.get(id);
      if (!lane) {
        const throttle = pThrottle({
          limit: limitOf(limits, bucket.key),
          interval: 1000 + PACING_SLACK_MS,
          strict: true,
        });
        lane = throttle((r: HttpRequest) => inner.request(r));
        lanes.set(id, lane);
      }
      return lane(req);
    },
  };
}

/** twilio-node passes a list's filters as `params` (query) and a create's fields as `data`. */
function paramsOf(req: HttpRequest): Record<string, unknown> {
  const params = req.params;
  return params && typeof params === "object" ? (params as Record<string, unknown>) : {};
}

/** The official client, pointed at `settings.baseUrl` when given, paced, with retries on. */
export function createTwilioClient(
  settings: TwilioSettings,
  opts: TwilioClientOptions = {},
): Twilio {
  // Required here, not at module scope: a client captured in a provider closure cannot be serialized.
  const twilio = require("twilio") as typeof import("twilio");
  const base = new twilio.RequestClient({ timeout: opts.timeoutMs }) as unknown as {
    request(req: HttpRequest): Promise<HttpResponse>;
  };
  const paced =
    opts.rateLimits === false
      ? base
      : pacedHttpClient(base, opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  const httpClient = retryingHttpClient(paced, opts);
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: httpClient as unknown as InstanceType<typeof twilio.RequestClient>,
    userAgentExtensions: opts.userAgentExtensions,
  });
  if (settings.baseUrl) {
    const base = settings.baseUrl.replace(/\/+$/, "");
    // TWILIO_EDGE/TWILIO_REGION would rewrite the local host name (127.0.0.1 → 127.ie1.0.1).
    client.edge = undefined;
    client.region = undefined;
    client.taskrouter.baseUrl = base;
    client.api.baseUrl = base;
  }
  return client;
}

interface TwilioErrorLike {
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

/** A Twilio 404 (RestException status 404, code 20404). */
export function isNotFound(err: unknown): boolean {
  return (err as TwilioErrorLike | undefined)?.status === 404;
}

/**
 * An error saying what was being done, to which resource, with Twilio's message and code, e.g.
 * `creating TaskRouter Workflow "Inbound calls": Invalid workflow configuration [code 20001, status 400]`.
 */
export function describeTwilioError(action: string, resource: string, err: unknown): Error {
  const e = (err ?? {}) as TwilioErrorLike;
  const message = typeof e.message === "string" && e.message ? e.message : String(err);
  const tags: string[] = [];
  if (typeof e.code === "number") tags.push(`code ${e.code}`);
  else if (typeof e.code === "string") tags.push(e.code);
  if (typeof e.status === "number") tags.push(`status ${e.status}`);
  const described = new Error(
    `${action} ${resource}: ${message}${tags.length ? ` [${tags.join(", ")}]` : ""}`,
  );
  (described as Error & { cause?: unknown }).cause = err;
  return described;
}
