// /v1/Workspaces/{WorkspaceSid}/Workflows: list, create, fetch, update, delete.
import { byName } from "../filters";
import { trList } from "../paging";
import type { Params } from "../params";
import { renderWorkflow } from "../render";
import { created, knownWs, noContent, ok, TR, ws, type Route } from "../route";

const LIST = `${TR}/{WorkspaceSid}/Workflows`;
const ONE = `${LIST}/{Sid}`;

function workflowInput(p: Params) {
  return {
    configuration: p.str("Configuration"),
    assignmentCallbackUrl: p.url("AssignmentCallbackUrl"),
    fallbackAssignmentCallbackUrl: p.url("FallbackAssignmentCallbackUrl"),
    taskReservationTimeout: p.int("TaskReservationTimeout", 1, 86400),
  };
}

export const workflowRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) =>
      trList(c, "workflows", ["FriendlyName"], () =>
        byName(c.store.listOf(c.store.workflows, ws(c)), c.query).map((x) =>
          renderWorkflow(c.store, x, c.base),
        ),
      ),
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      const wsSid = knownWs(c);
      c.form.refuse(["ReEvaluateTasks"], "can only be given when updating a workflow");
      const friendlyName = c.form.required("FriendlyName");
      const configuration = c.form.required("Configuration");
      const input = { ...workflowInput(c.form), friendlyName, configuration };
      return created(renderWorkflow(c.store, c.store.createWorkflow(wsSid, input), c.base));
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) => ok(renderWorkflow(c.store, c.store.workflow(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      c.store.workflow(ws(c), c.pathParams.Sid);
      const input = {
        friendlyName: c.form.str("FriendlyName"),
        ...workflowInput(c.form),
        reEvaluateTasks: c.form.bool("ReEvaluateTasks"),
      };
      const wf = c.store.updateWorkflow(ws(c), c.pathParams.Sid, input);
      return ok(renderWorkflow(c.store, wf, c.base));
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => (c.store.deleteWorkflow(ws(c), c.pathParams.Sid), noContent),
  },
];
