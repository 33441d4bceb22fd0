// The one wrapper every handler goes through: decode the API Gateway (HTTP API, payload 2.0) event,
// check X-Twilio-Signature against the public URL Twilio called, then hand a parsed request to the
// route's pure `respond`. A failed check answers 403 before `respond` runs, so it has no effects.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import type { HandlerConfig } from "./config";
import type { Logger } from "./log";
import type { RouteName } from "./routes";
import { twilioRest, type CentreRest } from "./twilioRest";

export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<ApiResult>;

/** Form or query parameters; a key sent more than once keeps every value, in order. */
export type FormParams = Record<string, string | string[]>;

export interface TwilioRequest {
  /** The signed parameters: the form body of a POST, the query of a GET. */
  params: FormParams;
  /** The query string (our own redirect state such as `attempt`, and Twilio's GET parameters). */
  query: URLSearchParams;
  /** The first value of a signed parameter. */
  param(name: string): string | undefined;
}

export interface HandlerContext {
  config: HandlerConfig;
  log: Logger;
  /** When the request arrived: the hours are judged at this instant. */
  now: Date;
  /** Twilio's REST API as the request's account (AccountSid), with the runtime's auth token. */
  rest(accountSid: string): CentreRest;
}

/** A route's behaviour, free of transport and signature concerns. */
export interface Webhook {
  route: RouteName;
  respond(req: TwilioRequest, ctx: HandlerContext): ApiResult | Promise<ApiResult>;
}

/** What a handler needs once per cold start. */
export interface HandlerRuntime {
  config: HandlerConfig;
  /** Absent only when signature validation is off. */
  authToken?: string;
  /** The request's time; default the system clock. The local host reads the emulator's call time. */
  clock?: (event: APIGatewayProxyEventV2) => Date;
  /** Overrides the REST client (tests). */
  rest?: (accountSid: string) => CentreRest;
}

/** The REST client a runtime gives its handlers. */
export function restFor(rt: HandlerRuntime): (accountSid: string) => CentreRest {
  if (rt.rest) return rt.rest;
  return (accountSid) => {
    if (!rt.authToken) throw new Error("Twilio's REST API needs the auth token");
    return twilioRest({
      accountSid,
      authToken: rt.authToken,
      workspaceSid: rt.config.workspaceSid,
      ...(rt.config.twilioApiBaseUrl === undefined ? {} : { baseUrl: rt.config.twilioApiBaseUrl }),
    });
  };
}

export const FORBIDDEN: ApiResult = {
  statusCode: 403,
  headers: { "content-type": "text/plain" },
  body: "Twilio Request Validation Failed.",
};
const INTERNAL_ERROR: ApiResult = {
  statusCode: 500,
  headers: { "content-type": "text/plain" },
  body: "Internal Server Error",
};

export function decodeBody(event: APIGatewayProxyEventV2): string {
  if (!event.body) return "";
  return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}

/** Parses `a=1&b=2&a=3` into `{ a: ["1", "3"], b: "2" }` (`+` is a space, as Twilio signs it). */
export function parseForm(text: string): FormParams {
  const out: FormParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[key] = [seen, value];
  }
  return out;
}

/** Header lookup by lowercase name (HTTP API lowercases; be lenient with hand-made events). */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  if (headers[name] !== undefined) return headers[name];
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

/**
 * The URL Twilio signed: the configured public base URL, the request path relative to it and the
 * raw query. A named stage prefixes rawPath (`/prod/incoming-call`) and is part of the base URL,
 * so it is dropped here; the `$default` stage adds nothing. The Host header is never used: behind
 * a custom domain it would not carry the mapping key Twilio called.
 */
export function signedUrl(event: APIGatewayProxyEventV2, publicBaseUrl: string): string {
  const stage = event.requestContext?.stage;
  let path = event.rawPath || "/";
  if (stage && stage !== "$default" && (path === `/${stage}` || path.startsWith(`/${stage}/`))) {
    path = path.slice(stage.length + 1) || "/";
  }
  return publicBaseUrl + path + (event.rawQueryString ? `?${event.rawQueryString}` : "");
}

export function parseRequest(event: APIGatewayProxyEventV2): TwilioRequest {
  const method = event.requestContext?.http?.method ?? "POST";
  const query = new URLSearchParams(event.rawQueryString ?? "");
  // Twilio sends a GET webhook's parameters in the query, which the URL signature already covers.
  const params =
    method === "POST" ? parseForm(decodeBody(event)) : parseForm(event.rawQueryString ?? "");
  return {
    params,
    query,
    param: (name) => {
      const v = params[name];
      return Array.isArray(v) ? v[0] : v;
    },
  };
}

export function isSignedByTwilio(
  event: APIGatewayProxyEventV2,
  req: TwilioRequest,
  authToken: string,
  publicBaseUrl: string,
): boolean {
  const signature = header(event, "x-twilio-signature");
  if (!signature) return false;
  const signedParams = event.requestContext?.http?.method === "GET" ? {} : req.params;
  return validateRequest(authToken, signature, signedUrl(event, publicBaseUrl), signedParams);
}

/**
 * Builds the API Gateway handler for a webhook. `runtime` supplies the config and auth token
 * (memoised per cold start by the caller); its failure, like any thrown error, becomes a 500
 * with one error log line.
 */
export function createHandler(
  webhook: Webhook,
  runtime: () => Promise<HandlerRuntime>,
  log: Logger,
): ApiHandler {
  return async (event) => {
    let rt: HandlerRuntime;
    try {
      rt = await runtime();
    } catch (err) {
      log.error("handler cannot start", { route: webhook.route, error: errorText(err) });
      return INTERNAL_ERROR;
    }
    try {
      const req = parseRequest(event);
      if (rt.config.signatureValidation) {
        if (!rt.authToken || !isSignedByTwilio(event, req, rt.authToken, rt.config.publicBaseUrl)) {
          log.warn("request rejected", {
            route: webhook.route,
            reason: header(event, "x-twilio-signature")
              ? "X-Twilio-Signature does not match"
              : "X-Twilio-Signature is missing",
          });
          return FORBIDDEN;
        }
      }
      const now = rt.clock?.(event) ?? new Date();
      return await webhook.respond(req, { config: rt.config, log, now, rest: restFor(rt) });
    } catch (err) {
      log.error("handler failed", { route: webhook.route, error: errorText(err) });
      return INTERNAL_ERROR;
    }
  };
}

const errorText = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message}` : String(err);

export const twimlResult = (xml: string): ApiResult => ({
  statusCode: 200,
  headers: { "content-type": "text/xml" },
  body: xml,
});

export const jsonResult = (value: unknown): ApiResult => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});
