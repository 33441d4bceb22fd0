// /v1/Workspaces/{WorkspaceSid}/Activities: list, create, fetch, update, delete.
import { byName } from "../filters";
import { trList } from "../paging";
import { renderActivity } from "../render";
import { created, knownWs, noContent, ok, TR, ws, type Route } from "../route";

const LIST = `${TR}/{WorkspaceSid}/Activities`;
const ONE = `${LIST}/{Sid}`;

export const activityRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) =>
      trList(c, "activities", ["FriendlyName", "Available"], () => {
        let list = byName(c.store.listOf(c.store.activities, ws(c)), c.query);
        const available = c.query.bool("Available");
        if (available !== undefined) list = list.filter((a) => a.available === available);
        return list.map((a) => renderActivity(c.store, a, c.base));
      }),
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      const wsSid = knownWs(c);
      const input = {
        friendlyName: c.form.required("FriendlyName"),
        available: c.form.bool("Available"),
      };
      return created(renderActivity(c.store, c.store.createActivity(wsSid, input), c.base));
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) => ok(renderActivity(c.store, c.store.activity(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      c.store.activity(ws(c), c.pathParams.Sid);
      c.form.refuse(["Available"], "cannot be changed after the activity is created");
      const input = { friendlyName: c.form.str("FriendlyName") };
      const a = c.store.updateActivity(ws(c), c.pathParams.Sid, input);
      return ok(renderActivity(c.store, a, c.base));
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => (c.store.deleteActivity(ws(c), c.pathParams.Sid), noContent),
  },
];
