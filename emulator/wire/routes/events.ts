// /v1/Workspaces/{WorkspaceSid}/Events: the engine's event history, listed with Twilio's filters and
// fetched by SID (https://www.twilio.com/docs/taskrouter/api/event). Events are listed oldest first.
import { invalidParameter, notFound } from "../../errors";
import type { HistoryEvent } from "../../taskrouter/statistics";
import { trList } from "../paging";
import { workspaceUrl, type Json } from "../render";
import { knownWs, ok, TR, type Route, type RouteContext } from "../route";
import { isoDate } from "../../state/records";
import { readChannel, readInterval } from "./statistics";

const LIST = `${TR}/{WorkspaceSid}/Events`;

const snake = (name: string) => name.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase();

function resourcePath(ev: HistoryEvent): string {
  if (ev.resourceType === "Task") return `/Tasks/${ev.resourceSid}`;
  if (ev.resourceType === "Worker") return `/Workers/${ev.resourceSid}`;
  return `/Tasks/${ev.data.TaskSid}/Reservations/${ev.resourceSid}`;
}

/** The Event resource. The actor is the workspace (TaskRouter) for every event. */
export function renderEvent(c: RouteContext, ev: HistoryEvent): Json {
  const ws = workspaceUrl(c.base, ev.workspaceSid);
  const data: Record<string, string> = {
    workspace_sid: ev.workspaceSid,
    workspace_name: c.store.workspaces.get(ev.workspaceSid)?.friendlyName ?? "",
  };
  for (const [k, v] of Object.entries(ev.data)) data[snake(k)] = v;
  return {
    account_sid: c.store.accountSid,
    actor_sid: ev.workspaceSid,
    actor_type: "workspace",
    actor_url: ws,
    description: ev.description,
    event_data: data,
    event_date: isoDate(new Date(ev.at)),
    event_date_ms: ev.at,
    event_type: ev.type,
    resource_sid: ev.resourceSid,
    resource_type: ev.resourceType.toLowerCase(),
    resource_url: `${ws}${resourcePath(ev)}`,
    sid: ev.sid,
    source: "twilio",
    source_ip_address: null,
    workspace_sid: ev.workspaceSid,
    url: `${ws}/Events/${ev.sid}`,
  };
}

/** Query parameter → the event field it must equal. */
const BY_FIELD: Record<string, string> = {
  ReservationSid: "ReservationSid",
  TaskQueueSid: "TaskQueueSid",
  TaskSid: "TaskSid",
  WorkerSid: "WorkerSid",
  WorkflowSid: "WorkflowSid",
};
const FILTERS = ["EndDate", "EventType", "Minutes", "StartDate", "TaskChannel", "Sid"];

export const eventRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) => {
      const ws = knownWs(c);
      return trList(c, "events", [...FILTERS, ...Object.keys(BY_FIELD)], () => {
        const q = c.query;
        const interval = readInterval(q, c.store.now().getTime());
        const channel = readChannel(c.store, ws, q);
        const type = q.str("EventType");
        const sid = q.str("Sid");
        const fields = Object.entries(BY_FIELD).flatMap(([param, field]) => {
          const v = q.str(param);
          return v === undefined ? [] : [[field, v] as const];
        });
        const events = (c.history?.events() ?? []).filter(
          (ev) =>
            ev.workspaceSid === ws &&
            ev.at >= interval.start &&
            ev.at <= interval.end &&
            (type === undefined || ev.type === type) &&
            (sid === undefined || ev.sid === sid) &&
            (channel === undefined || ev.data.TaskChannelSid === channel) &&
            fields.every(([field, v]) => ev.data[field] === v),
        );
        return events.map((ev) => renderEvent(c, ev));
      });
    },
  },
  {
    method: "GET",
    template: `${LIST}/{Sid}`,
    handler: (c) => {
      const ws = knownWs(c);
      const ev = c.history?.get(c.pathParams.Sid);
      if (!ev || ev.workspaceSid !== ws)
        throw notFound(`/Workspaces/${ws}/Events/${c.pathParams.Sid}`);
      if (c.query.names().length > 0)
        throw invalidParameter(`Unknown query parameter ${c.query.names()[0]}`);
      return ok(renderEvent(c, ev));
    },
  },
];
