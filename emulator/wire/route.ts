// What a route is: (method, path template spelled as in Twilio's OpenAPI) → handler over the parsed
// request; and the small result helpers every resource's routes share.
import type { Store } from "../state/store";
import type { EventHistory } from "../taskrouter/events";
import type { Params } from "./params";
import type { Json } from "./render";

export interface RouteContext {
  store: Store;
  /** Emulator origin, e.g. http://127.0.0.1:4010 */
  base: string;
  /** Path without the query string. */
  path: string;
  pathParams: Record<string, string>;
  query: Params;
  form: Params;
  ifMatch?: string;
  /** The routing engine's event history (GET /Events, Statistics); null without an engine. */
  history: EventHistory | null;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  template: string;
  handler(ctx: RouteContext): RouteResult;
}

/** TaskRouter's path prefix. */
export const TR = "/v1/Workspaces";

export function created(body: Json, headers?: Record<string, string>): RouteResult {
  return { status: 201, body, headers };
}
export function ok(body: Json, headers?: Record<string, string>): RouteResult {
  return { status: 200, body, headers };
}
export const noContent: RouteResult = { status: 204 };

/** The workspace of a TaskRouter path. */
export function ws(ctx: RouteContext): string {
  return ctx.pathParams.WorkspaceSid;
}

/**
 * The workspace of a TaskRouter path, looked up first (404) so that an unknown resource is reported
 * before any problem with the parameters, as Twilio does.
 */
export function knownWs(ctx: RouteContext): string {
  return ctx.store.workspace(ws(ctx)).sid;
}

export { ATTRIBUTES_MAX } from "../state/checks";
