/**
 * How the emulator calls out: assignment and event callbacks, TwiML fetches. Everything goes through
 * one injectable `Deliver` function so a simulator can run the engine in-process with no HTTP; the
 * default uses fetch. Requests are signed like Twilio's (X-Twilio-Signature, account auth token,
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security) with twilio-node's own helper.
 */
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";

export interface WebhookRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** Form-encoded parameters for a POST (for a GET they are already in `url`). */
  body?: string;
  /** The parameters as sent, for in-process deliverers and records. */
  params: Record<string, string>;
  /** Give up after this long (real clock only; undefined = no limit). */
  timeoutMs?: number;
}

export interface WebhookResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export type Deliver = (request: WebhookRequest) => Promise<WebhookResponse>;

const USER_AGENT = "TwilioProxy/1.1 (contact-centre-as-code emulator)";

/**
 * Builds a signed webhook request: POST = form body; GET = parameters appended to the query. The
 * signature and the form body are computed when first read (own enumerable getters, so spreading,
 * JSON and header iteration see them): an in-process deliverer that never reads them (the simulator,
 * the engine bench) does not pay an HMAC and a form encoding per callback. The parameters are not
 * changed after the request is built, so the value read is the one an eager build would give.
 */
export function signedRequest(
  authToken: string,
  url: string,
  method: "GET" | "POST",
  params: Record<string, string>,
  timeoutMs?: number,
): WebhookRequest {
  let request: WebhookRequest;
  if (method === "GET") {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
    const target = u.toString();
    let signature: string | undefined;
    const headers: Record<string, string> = {
      "User-Agent": USER_AGENT,
      get "X-Twilio-Signature"() {
        return (signature ??= getExpectedTwilioSignature(authToken, target, {}));
      },
    };
    request = { url: target, method, headers, params };
  } else {
    let signature: string | undefined;
    let body: string | undefined;
    const headers: Record<string, string> = {
      "User-Agent": USER_AGENT,
      "Content-Type": "application/x-www-form-urlencoded",
      get "X-Twilio-Signature"() {
        return (signature ??= getExpectedTwilioSignature(authToken, url, params));
      },
    };
    request = {
      url,
      method,
      headers,
      params,
      get body() {
        return (body ??= new URLSearchParams(params).toString());
      },
    };
  }
  if (timeoutMs !== undefined) request.timeoutMs = timeoutMs;
  return request;
}

/** The default deliverer: node's fetch, no redirects followed, with the request's timeout. */
export const fetchDeliver: Deliver = async (request) => {
  const res = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: "manual",
    signal: request.timeoutMs === undefined ? undefined : AbortSignal.timeout(request.timeoutMs),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  return { status: res.status, headers, body: await res.text() };
};

/**
 * One delivery at a time, in the order they were asked for. On the virtual clock this makes traces
 * deterministic: a hold-music fetch and an assignment callback issued at the same virtual instant
 * always complete in the same order.
 */
export function serialized(deliver: Deliver): Deliver {
  let last: Promise<unknown> = Promise.resolve();
  return (request) => {
    const next = last.then(() => deliver(request));
    last = next.catch(() => undefined);
    return next;
  };
}

/** Why a delivery failed, in words for records: "timed out after 5000 ms", "HTTP 500", ... */
export function describeFailure(err: unknown, timeoutMs?: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError")
    return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e?.message ?? String(err)} (${cause})` : (e?.message ?? String(err));
}

/** Resolves a TwiML or callback URL against the document it came from. */
export function resolveUrl(url: string, base: string): string {
  return new URL(url, base).toString();
}
