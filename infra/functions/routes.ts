// The handlers' HTTP routes: one Lambda (and one bundle) per route. The AWS wiring creates one
// API Gateway route per entry and the local webhook host serves the same list.

export type RouteName =
  | "incomingCall"
  | "enqueueCall"
  | "holdMusic"
  | "queueResult"
  | "exitChoice"
  | "voicemail"
  | "voicemailRecorded"
  | "callback"
  | "assignment"
  | "dialBack"
  | "agentLegStatus"
  | "events";

export interface Route {
  /** Also the handler's module (infra/functions/<name>.ts) and bundle (dist/functions/<name>.js). */
  name: RouteName;
  method: "GET" | "POST";
  path: string;
}

export const ROUTES: readonly Route[] = [
  { name: "incomingCall", method: "POST", path: "/incoming-call" },
  { name: "enqueueCall", method: "POST", path: "/enqueue-call" },
  { name: "holdMusic", method: "GET", path: "/hold-music" },
  { name: "queueResult", method: "POST", path: "/queue-result" },
  { name: "exitChoice", method: "POST", path: "/exit-choice" },
  { name: "voicemail", method: "POST", path: "/voicemail" },
  { name: "voicemailRecorded", method: "POST", path: "/voicemail-recorded" },
  { name: "callback", method: "POST", path: "/callback" },
  { name: "assignment", method: "POST", path: "/assignment" },
  { name: "dialBack", method: "POST", path: "/dial-back" },
  { name: "agentLegStatus", method: "GET", path: "/agent-leg-status" },
  { name: "events", method: "POST", path: "/events" },
];

export function route(name: RouteName): Route {
  const found = ROUTES.find((r) => r.name === name);
  if (!found) throw new Error(`no route named ${name}`);
  return found;
}

/** API Gateway route key, e.g. `POST /incoming-call`. */
export const routeKey = (r: Pick<Route, "method" | "path">): string => `${r.method} ${r.path}`;

/** The public URL of a route, e.g. for the phone number's voice URL or the assignment callback. */
export const routeUrl = (publicBaseUrl: string, name: RouteName): string =>
  publicBaseUrl + route(name).path;
