// Test support for the routing engine and virtual calls: a webhook server that records what the
// emulator sends (URL, form parameters, signature) and answers with whatever the test scripts, and a
// builder that sets a contact centre up through the official twilio client.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { TwilioClient } from "../wire/client";
import type { Emulator } from "../wire/server";
import type { VirtualClock } from "../taskrouter/clock";

export interface Hit {
  method: string;
  /** The full URL the emulator requested (what it signed). */
  url: string;
  path: string;
  params: Record<string, string>;
  signature: string | undefined;
}

export interface Reply {
  status?: number;
  type?: string;
  body?: string;
}

export const json = (value: unknown): Reply => ({
  type: "application/json",
  body: JSON.stringify(value),
});
export const xml = (body: string): Reply => ({ type: "text/xml", body });

export interface WebhookServer {
  url: string;
  hits: Hit[];
  /** Hits on one path. */
  on(path: string): Hit[];
  close(): Promise<void>;
}

export async function startWebhookServer(
  route: (hit: Hit) => Reply | Promise<Reply>,
): Promise<WebhookServer> {
  const hits: Hit[] = [];
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = `${origin}${req.url ?? "/"}`;
      const parsed = new URL(url);
      const params: Record<string, string> = {};
      const source =
        req.method === "GET"
          ? parsed.searchParams
          : new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      for (const [k, v] of source) params[k] = v;
      const signature = req.headers["x-twilio-signature"];
      const hit: Hit = {
        method: req.method ?? "GET",
        url,
        path: parsed.pathname,
        params,
        signature: typeof signature === "string" ? signature : undefined,
      };
      hits.push(hit);
      Promise.resolve(route(hit)).then(
        (reply) => {
          res.writeHead(reply.status ?? 200, reply.type ? { "Content-Type": reply.type } : {});
          res.end(reply.body ?? "");
        },
        (err: unknown) => {
          res.writeHead(500, { "Content-Type": "text/plain" });
          res.end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    hits,
    on: (path) => hits.filter((h) => h.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface CentreSpec {
  multiTask?: boolean;
  prioritizeQueueOrder?: "FIFO" | "LIFO";
  eventCallbackUrl?: string;
  eventsFilter?: string;
  /** Extra activities (name → available); Offline, Unavailable and Available always exist. */
  activities?: Record<string, boolean>;
  queues: Record<
    string,
    {
      targetWorkers?: string;
      taskOrder?: "FIFO" | "LIFO";
      maxReservedWorkers?: number;
      reservationActivity?: string;
      assignmentActivity?: string;
    }
  >;
  /** Worker name → attributes and activity (default Available). Created in this order. */
  workers: Record<string, { attributes?: Record<string, unknown>; activity?: string }>;
  /** Workflow configuration with queue *names* in place of SIDs. */
  routing: unknown;
  assignmentCallbackUrl?: string;
  fallbackAssignmentCallbackUrl?: string;
  reservationTimeout?: number;
}

export interface Centre {
  ws: string;
  workflow: string;
  activity: Record<string, string>;
  queue: Record<string, string>;
  worker: Record<string, string>;
  /** SID → friendly name, for readable assertions. */
  name(sid: string | null | undefined): string | null;
}

/** Creates the workspace, activities, queues, workers and workflow through the twilio client. */
export async function buildCentre(
  client: TwilioClient,
  spec: CentreSpec,
  label = `centre-${Date.now()}-${Math.random()}`,
): Promise<Centre> {
  const tr = client.taskrouter.v1;
  const ws = await tr.workspaces.create({
    friendlyName: label.slice(0, 64),
    multiTaskEnabled: spec.multiTask ?? false,
    prioritizeQueueOrder: spec.prioritizeQueueOrder ?? "FIFO",
    eventCallbackUrl: spec.eventCallbackUrl,
    eventsFilter: spec.eventsFilter,
  });
  const names = new Map<string, string>();
  const activity: Record<string, string> = {};
  for (const a of await tr.workspaces(ws.sid).activities.list()) activity[a.friendlyName] = a.sid;
  for (const [name, available] of Object.entries(spec.activities ?? {})) {
    activity[name] = (
      await tr.workspaces(ws.sid).activities.create({ friendlyName: name, available })
    ).sid;
  }
  const queue: Record<string, string> = {};
  for (const [name, q] of Object.entries(spec.queues)) {
    queue[name] = (
      await tr.workspaces(ws.sid).taskQueues.create({
        friendlyName: name,
        targetWorkers: q.targetWorkers ?? "1==1",
        taskOrder: q.taskOrder ?? "FIFO",
        maxReservedWorkers: q.maxReservedWorkers ?? 1,
        reservationActivitySid: q.reservationActivity ? activity[q.reservationActivity] : undefined,
        assignmentActivitySid: q.assignmentActivity ? activity[q.assignmentActivity] : undefined,
      })
    ).sid;
  }
  const worker: Record<string, string> = {};
  for (const [name, w] of Object.entries(spec.workers)) {
    worker[name] = (
      await tr.workspaces(ws.sid).workers.create({
        friendlyName: name,
        attributes: JSON.stringify(w.attributes ?? {}),
        activitySid: activity[w.activity ?? "Available"],
      })
    ).sid;
  }
  const configuration = JSON.stringify(spec.routing).replace(
    /"queue":"([^"]+)"/g,
    (_m, n: string) => `"queue":"${queue[n] ?? n}"`,
  );
  const workflow = await tr.workspaces(ws.sid).workflows.create({
    friendlyName: "Routing",
    configuration,
    assignmentCallbackUrl: spec.assignmentCallbackUrl,
    fallbackAssignmentCallbackUrl: spec.fallbackAssignmentCallbackUrl,
    taskReservationTimeout: spec.reservationTimeout ?? 120,
  });
  for (const group of [activity, queue, worker])
    for (const [n, sid] of Object.entries(group)) names.set(sid, n);
  return {
    ws: ws.sid,
    workflow: workflow.sid,
    activity,
    queue,
    worker,
    name: (sid) => (sid ? (names.get(sid) ?? sid) : null),
  };
}

/** Advances the emulator's virtual clock (and lets callbacks in flight finish). */
export async function advance(emu: Emulator, seconds: number): Promise<void> {
  await (emu.clock as VirtualClock).advance(seconds * 1000);
}
