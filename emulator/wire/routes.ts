// The REST surface: every resource's routes in one table, and the matcher. Templates are spelled
// exactly as in Twilio's OpenAPI specs so the coverage test can map each one to an operation.
import { methodNotAllowed, notFound } from "../errors";
import type { Route } from "./route";
import { activityRoutes } from "./routes/activities";
import { eventRoutes } from "./routes/events";
import { phoneNumberRoutes } from "./routes/phoneNumbers";
import { reservationRoutes } from "./routes/reservations";
import { statisticsRoutes } from "./routes/statistics";
import { taskChannelRoutes } from "./routes/taskChannels";
import { taskQueueRoutes } from "./routes/taskQueues";
import { taskRoutes } from "./routes/tasks";
import { workerRoutes } from "./routes/workers";
import { workflowRoutes } from "./routes/workflows";
import { workspaceRoutes } from "./routes/workspaces";

export type { Route, RouteContext, RouteResult } from "./route";

export const routes: Route[] = [
  // Before the resources: `/Workers/Statistics` would otherwise match `/Workers/{Sid}`.
  ...statisticsRoutes,
  ...eventRoutes,
  ...workspaceRoutes,
  ...activityRoutes,
  ...workerRoutes,
  ...taskChannelRoutes,
  ...taskQueueRoutes,
  ...workflowRoutes,
  ...taskRoutes,
  ...reservationRoutes,
  ...phoneNumberRoutes,
];

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.template
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(part);
      if (m) {
        names.push(m[1]);
        return "([^/]+?)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { route, regex: new RegExp(`^${source}$`), names };
}

const compiled = routes.map(compile);

/** Finds the route for (method, path); unknown path → 404, known path with another method → 405. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParams: Record<string, string> } {
  let pathKnown = false;
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (c.route.method !== method) continue;
    const pathParams: Record<string, string> = {};
    try {
      c.names.forEach((n, i) => (pathParams[n] = decodeURIComponent(m[i + 1])));
    } catch {
      // A path segment with broken percent-encoding names no resource.
      throw notFound(path.startsWith("/v1/") ? path.slice(3) : path);
    }
    return { route: c.route, pathParams };
  }
  if (pathKnown) throw methodNotAllowed();
  throw notFound(path.startsWith("/v1/") ? path.slice(3) : path);
}
