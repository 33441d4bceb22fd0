// TaskRouter's per-endpoint rate limits, enforced: each (workspace, resource key) admits at most its
// limit of requests in any one-second window; the next is answered 429 with Twilio's error 20429
// ("An API Request that receives an error 429 response is never processed and is always safe to
// retry", https://www.twilio.com/docs/errors/20429). The limits and the keys are
// infra/taskrouter/rateLimits.ts (shared with the client that paces itself by them).
//
// Choices where Twilio is silent: a sliding one-second window; every TaskRouter response carries
// the OpenAPI-declared headers X-Rate-Limit-Limit (the key's limit per second),
// X-Rate-Limit-Remaining (what is left in the current window) and X-Rate-Limit-Config (the key);
// no Retry-After (Twilio documents none).
import {
  DEFAULT_RATE_LIMITS,
  limitOf,
  rateLimitBucket,
  type RateLimits,
} from "../../infra/taskrouter/rateLimits";

const WINDOW_MS = 1000;

export interface RateDecision {
  admitted: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts the request against its bucket; undefined for requests outside TaskRouter. */
  admit(
    method: string,
    path: string,
    query: Readonly<Record<string, unknown>> = {},
  ): RateDecision | undefined {
    const bucket = rateLimitBucket(method, path, query);
    if (!bucket) return undefined;
    const limit = limitOf(this.limits, bucket.key);
    const id = `${bucket.namespace} ${bucket.key}`;
    const now = this.now();
    const recent = (this.windows.get(id) ?? []).filter((t) => t > now - WINDOW_MS);
    const admitted = recent.length < limit;
    if (admitted) recent.push(now);
    this.windows.set(id, recent);
    return {
      admitted,
      headers: {
        "X-Rate-Limit-Limit": String(limit),
        "X-Rate-Limit-Remaining": String(Math.max(0, limit - recent.length)),
        "X-Rate-Limit-Config": bucket.key,
      },
    };
  }

  clear(): void {
    this.windows.clear();
  }
}
