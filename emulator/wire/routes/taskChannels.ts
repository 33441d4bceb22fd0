// /v1/Workspaces/{WorkspaceSid}/TaskChannels (list, create, fetch, update, delete) and a worker's
// channels /Workers/{WorkerSid}/Channels (list, fetch, update Capacity/Available).
import { trList } from "../paging";
import { renderTaskChannel, renderWorkerChannel } from "../render";
import { created, knownWs, noContent, ok, TR, ws, type Route } from "../route";

const LIST = `${TR}/{WorkspaceSid}/TaskChannels`;
const ONE = `${LIST}/{Sid}`;
const WORKER_LIST = `${TR}/{WorkspaceSid}/Workers/{WorkerSid}/Channels`;
const WORKER_ONE = `${WORKER_LIST}/{Sid}`;

export const taskChannelRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) =>
      trList(c, "channels", [], () =>
        c.store
          .listOf(c.store.taskChannels, ws(c))
          .map((tc) => renderTaskChannel(c.store, tc, c.base)),
      ),
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      const wsSid = knownWs(c);
      const input = {
        friendlyName: c.form.required("FriendlyName"),
        uniqueName: c.form.required("UniqueName"),
        channelOptimizedRouting: c.form.bool("ChannelOptimizedRouting"),
      };
      return created(renderTaskChannel(c.store, c.store.createTaskChannel(wsSid, input), c.base));
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) =>
      ok(renderTaskChannel(c.store, c.store.taskChannel(ws(c), c.pathParams.Sid), c.base)),
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      c.store.taskChannel(ws(c), c.pathParams.Sid);
      c.form.refuse(["UniqueName"], "cannot be changed after the task channel is created");
      const input = {
        friendlyName: c.form.str("FriendlyName"),
        channelOptimizedRouting: c.form.bool("ChannelOptimizedRouting"),
      };
      const tc = c.store.updateTaskChannel(ws(c), c.pathParams.Sid, input);
      return ok(renderTaskChannel(c.store, tc, c.base));
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => (c.store.deleteTaskChannel(ws(c), c.pathParams.Sid), noContent),
  },
  {
    method: "GET",
    template: WORKER_LIST,
    handler: (c) =>
      trList(c, "channels", [], () =>
        c.store
          .listWorkerChannels(ws(c), c.pathParams.WorkerSid)
          .map((wc) => renderWorkerChannel(c.store, wc, c.base)),
      ),
  },
  {
    method: "GET",
    template: WORKER_ONE,
    handler: (c) => {
      const wc = c.store.workerChannel(ws(c), c.pathParams.WorkerSid, c.pathParams.Sid);
      return ok(renderWorkerChannel(c.store, wc, c.base));
    },
  },
  {
    method: "POST",
    template: WORKER_ONE,
    handler: (c) => {
      c.store.workerChannel(ws(c), c.pathParams.WorkerSid, c.pathParams.Sid);
      const input = {
        capacity: c.form.int("Capacity", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        available: c.form.bool("Available"),
      };
      const wc = c.store.updateWorkerChannel(
        ws(c),
        c.pathParams.WorkerSid,
        c.pathParams.Sid,
        input,
      );
      return ok(renderWorkerChannel(c.store, wc, c.base));
    },
  },
];
