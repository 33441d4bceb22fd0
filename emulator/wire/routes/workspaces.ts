// /v1/Workspaces: list, create, fetch, update, delete.
import { byName } from "../filters";
import { trList } from "../paging";
import type { Params } from "../params";
import { renderWorkspace } from "../render";
import { created, noContent, ok, TR, type Route } from "../route";

const ORDER = ["FIFO", "LIFO"] as const;

function createInput(p: Params) {
  p.refuse(
    ["DefaultActivitySid", "TimeoutActivitySid"],
    "can only be set by updating the workspace",
  );
  return {
    friendlyName: p.required("FriendlyName"),
    template: p.oneOf("Template", ["NONE", "FIFO"] as const),
    eventCallbackUrl: p.url("EventCallbackUrl"),
    eventsFilter: p.str("EventsFilter"),
    multiTaskEnabled: p.bool("MultiTaskEnabled"),
    prioritizeQueueOrder: p.oneOf("PrioritizeQueueOrder", ORDER),
  };
}

function updateInput(p: Params) {
  p.refuse(["Template"], "cannot be changed after the workspace is created");
  return {
    friendlyName: p.str("FriendlyName"),
    eventCallbackUrl: p.url("EventCallbackUrl"),
    eventsFilter: p.str("EventsFilter"),
    multiTaskEnabled: p.bool("MultiTaskEnabled"),
    prioritizeQueueOrder: p.oneOf("PrioritizeQueueOrder", ORDER),
    defaultActivitySid: p.str("DefaultActivitySid"),
    timeoutActivitySid: p.str("TimeoutActivitySid"),
  };
}

export const workspaceRoutes: Route[] = [
  {
    method: "GET",
    template: TR,
    handler: (c) =>
      trList(c, "workspaces", ["FriendlyName"], () =>
        byName([...c.store.workspaces.values()], c.query).map((w) =>
          renderWorkspace(c.store, w, c.base),
        ),
      ),
  },
  {
    method: "POST",
    template: TR,
    handler: (c) =>
      created(renderWorkspace(c.store, c.store.createWorkspace(createInput(c.form)), c.base)),
  },
  {
    method: "GET",
    template: `${TR}/{Sid}`,
    handler: (c) => ok(renderWorkspace(c.store, c.store.workspace(c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: `${TR}/{Sid}`,
    handler: (c) => {
      c.store.workspace(c.pathParams.Sid);
      const w = c.store.updateWorkspace(c.pathParams.Sid, updateInput(c.form));
      return ok(renderWorkspace(c.store, w, c.base));
    },
  },
  {
    method: "DELETE",
    template: `${TR}/{Sid}`,
    handler: (c) => (c.store.deleteWorkspace(c.pathParams.Sid), noContent),
  },
];
