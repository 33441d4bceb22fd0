// `npm run routing:export -- --base-url <url> --account-sid <AC…> --workspace <WS…>
//    [--auth-token <token> | env TWILIO_AUTH_TOKEN] [--out <file>] [--number <E.164>]
//    [--workflow <WW…|name>] [--post-work-activity <name>] [--live-activities]`
// Writes a stack file (stacks/<stack>.yaml) from a live workspace — Twilio, or the local Twilio at
// --base-url — such that `pulumi up` with it adopts every object (`adopt: { objects: [all] }`) and
// then has nothing to change. A worker's live activity is written only where it is the workspace's
// default (or with --live-activities), so adopting never moves a working agent.
// Before writing, the file is loaded back and compared with what is live (compareWithLive); any
// difference is reported and nothing is written. Exit 0 written, 1 failed, 2 usage.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Twilio } from "twilio";
import {
  compareWithLive,
  ExportError,
  renderStackYaml,
  toStack,
  type LiveWorkspace,
} from "../../infra/taskrouter/exportWorkspace";
import {
  formatProblem,
  loadStackText,
  StackValidationError,
} from "../../infra/taskrouter/loadStack";
import { checkE164 } from "../../infra/taskrouter/validate";
import { createTwilioClient, describeTwilioError } from "../../infra/taskrouter/twilioClient";
import { parseCommandArgs } from "../args";
import { SCHEMA_FILE } from "./schema";
import type { Io } from "./diff";

const USAGE =
  "usage: npm run routing:export -- --base-url <url> --account-sid <AC…> --workspace <WS…> " +
  "[--auth-token <token>] [--out <file>] [--number <E.164>] [--workflow <WW…|name>] " +
  "[--post-work-activity <name>] [--live-activities]";

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/**
 * `$schema` for a file written to `out`: the relative path from its directory to this checkout's
 * stacks/schema.json (`./schema.json` in stacks/); on stdout, `./schema.json`, for a file saved in
 * stacks/.
 */
export function schemaRefFor(out: string | undefined): string {
  if (out === undefined) return "./schema.json";
  const schema = path.resolve(__dirname, "..", "..", SCHEMA_FILE);
  const rel = path
    .relative(path.dirname(path.resolve(out)), schema)
    .split(path.sep)
    .join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}

/** Read everything export needs. Workers are fetched one by one: Twilio's list omits attributes. */
export async function readWorkspace(client: Twilio, workspaceSid: string): Promise<LiveWorkspace> {
  const ws = client.taskrouter.v1.workspaces(workspaceSid);
  const workspace = await ws.fetch();
  const activities = await ws.activities.list();
  const workers = await Promise.all(
    (await ws.workers.list()).map((w) => ws.workers(w.sid).fetch()),
  );
  const queues = await ws.taskQueues.list();
  const workflows = await ws.workflows.list();
  const channels = await ws.taskChannels.list();
  const workerChannels = await Promise.all(
    workers.map((w) => ws.workers(w.sid).workerChannels.list()),
  );
  return {
    workspace: {
      sid: workspace.sid,
      friendlyName: workspace.friendlyName,
      multiTaskEnabled: workspace.multiTaskEnabled,
      prioritizeQueueOrder: String(workspace.prioritizeQueueOrder),
      eventCallbackUrl: workspace.eventCallbackUrl ?? null,
      eventsFilter: workspace.eventsFilter ?? null,
      defaultActivityName: workspace.defaultActivityName,
      timeoutActivityName: workspace.timeoutActivityName,
    },
    activities: activities.map((a) => ({
      sid: a.sid,
      friendlyName: a.friendlyName,
      available: a.available,
    })),
    workers: workers.map((w, i) => ({
      sid: w.sid,
      friendlyName: w.friendlyName,
      activityName: w.activityName,
      attributes: w.attributes,
      channels: workerChannels[i].map((c) => ({
        uniqueName: c.taskChannelUniqueName,
        capacity: c.configuredCapacity,
      })),
    })),
    channels: channels.map((c) => ({
      uniqueName: c.uniqueName,
      friendlyName: c.friendlyName,
      channelOptimizedRouting: c.channelOptimizedRouting ?? false,
    })),
    queues: queues.map((q) => ({
      sid: q.sid,
      friendlyName: q.friendlyName,
      targetWorkers: q.targetWorkers ?? null,
      taskOrder: String(q.taskOrder),
      maxReservedWorkers: q.maxReservedWorkers,
      reservationActivityName: q.reservationActivityName ?? null,
      assignmentActivityName: q.assignmentActivityName ?? null,
    })),
    workflows: workflows.map((w) => ({
      sid: w.sid,
      friendlyName: w.friendlyName,
      configuration: w.configuration,
      taskReservationTimeout: w.taskReservationTimeout,
    })),
  };
}

export async function run(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const usage = (reason: string): number => {
    io.stderr.write(`${reason}; ${USAGE}\n`);
    return 2;
  };
  let args;
  try {
    ({ values: args } = parseCommandArgs(argv, {
      "base-url": { type: "string" },
      "account-sid": { type: "string" },
      workspace: { type: "string" },
      "auth-token": { type: "string" },
      out: { type: "string" },
      number: { type: "string" },
      workflow: { type: "string" },
      "post-work-activity": { type: "string" },
      "live-activities": { type: "boolean" },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  const authToken = args["auth-token"] ?? env.TWILIO_AUTH_TOKEN;
  const missing = (["base-url", "account-sid", "workspace"] as const).filter((o) => !args[o]);
  if (missing.length) return usage(`missing ${missing.map((o) => `--${o}`).join(", ")}`);
  if (!authToken) return usage("missing --auth-token (or TWILIO_AUTH_TOKEN)");
  if (!/^AC[0-9a-fA-F]{32}$/.test(args["account-sid"]!)) {
    return usage(`--account-sid ${args["account-sid"]} is not AC followed by 32 hex digits`);
  }
  if (!/^WS[0-9a-fA-F]{32}$/.test(args.workspace!)) {
    return usage(`--workspace ${args.workspace} is not WS followed by 32 hex digits`);
  }
  const number = args.number;
  if (number !== undefined && checkE164(number) !== undefined) {
    return usage(`--number ${number}: ${checkE164(number)}`);
  }

  const client = createTwilioClient({
    accountSid: args["account-sid"]!,
    authToken,
    baseUrl: args["base-url"],
  });
  const workspaceSid = args.workspace!;
  const out = args.out;
  try {
    const live = await readWorkspace(client, workspaceSid).catch((err: unknown) => {
      throw describeTwilioError("reading", `TaskRouter Workspace ${workspaceSid}`, err);
    });
    if (number !== undefined) {
      const owned = await client.api.v2010.account.incomingPhoneNumbers.list({
        phoneNumber: number,
      });
      if (owned.length === 0)
        throw new ExportError(`--number ${number}: the account does not own it`);
    }
    const liveActivities = args["live-activities"] === true;
    const { stack, notes } = toStack(live, {
      number,
      workflow: args.workflow,
      postWorkActivity: args["post-work-activity"],
      liveActivities,
    });
    // The file is for adopting this workspace: it says so (docs/providers.md, Ownership).
    const adopting = { adopt: { objects: ["all" as const] }, ...stack };
    const header = [
      `Exported by npm run routing:export from workspace "${live.workspace.friendlyName}".`,
      "Names only: pulumi up adopts each object by friendly name (adopt: below); on destroy the",
      "adopted objects are restored to their settings from before adoption and left in place.",
    ];
    const yaml = renderStackYaml(adopting, header, notes, schemaRefFor(out));
    // The proof before writing: the file loads, and sent as the providers send it, equals what is live.
    const label = out ?? "<export>";
    const { spec } = loadStackText(label, yaml);
    const differences = compareWithLive(spec, live, { workerActivities: liveActivities });
    if (differences.length > 0) {
      io.stderr.write(
        `the exported file would not adopt the workspace unchanged:\n${differences.map((d) => `  ${d}\n`).join("")}`,
      );
      return 1;
    }
    for (const note of notes) io.stderr.write(`note: ${note}\n`);
    if (out !== undefined) {
      fs.writeFileSync(out, yaml);
      io.stderr.write(`wrote ${out}\n`);
    } else io.stdout.write(yaml);
    return 0;
  } catch (err) {
    if (err instanceof StackValidationError) {
      for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
      io.stderr.write("the exported file does not validate\n");
    } else io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
