// `npm run routing:drift -- <stack> [--file <stack file>] [--base-url <url>] [--account-sid <AC…>]
//    [--auth-token <token> | env TWILIO_AUTH_TOKEN] [--out <file>]`
// Drift: the live workspace (Twilio, or the local Twilio at twilio:apiBaseUrl) against the stack
// file, as the routing diff's Markdown (base: the stack file, head: what is live). The connection
// comes from Pulumi.<stack>.yaml (twilio:accountSid, twilio:apiBaseUrl,
// contact-centre:routingFile), the flags override it; the token is never in that file. The live
// workspace is read as `routing:export` reads it; an agent's current activity is not drift, and
// neither is the IVR (Twilio does not hold it). Exit 0 no drift, 2 drift, 1 failed, 2 on bad usage
// (with the usage on stderr). The deploy pipeline runs it before `pulumi up`.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { toStack, renderStackYaml } from "../../infra/taskrouter/exportWorkspace";
import { formatProblem, loadStack, loadStackText } from "../../infra/taskrouter/loadStack";
import type { ContactCentreSpec, StackSpec } from "../../infra/taskrouter/model";
import { diffRouting, hasChanges } from "../../infra/taskrouter/routingDiff";
import { renderDiffMarkdown } from "../../infra/taskrouter/routingDiffMarkdown";
import { createTwilioClient, describeTwilioError } from "../../infra/taskrouter/twilioClient";
import { parseCommandArgs } from "../args";
import { REPO_ROOT } from "../localStack";
import type { Io } from "./diff";
import { readWorkspace } from "./export";

export const USAGE =
  "usage: npm run routing:drift -- <stack> [--file <stack file>] [--base-url <url>] " +
  "[--account-sid <AC…>] [--auth-token <token>] [--out <file>]";

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/** Twilio's public API, when the stack does not point elsewhere. */
const TWILIO_API = "https://api.twilio.com";

/** The stack's committed settings: the routing file and how to reach its Twilio account. */
function stackSettings(stack: string, root: string) {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const config = (
    (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }
  ).config;
  const get = (key: string) => (typeof config?.[key] === "string" ? (config[key] as string) : "");
  return {
    routingFile: get("contact-centre:routingFile"),
    accountSid: get("twilio:accountSid"),
    baseUrl: get("twilio:apiBaseUrl"),
  };
}

/**
 * The live workspace as a routing definition comparable with `declared`: queue keys, the workflow,
 * the Wrap-Up activity, the number and the IVR taken from the stack file (Twilio holds none of
 * them as such), and each worker's declared activity kept (an agent's activity is theirs).
 */
export function liveSpec(
  live: Parameters<typeof toStack>[0],
  declared: ContactCentreSpec,
): ContactCentreSpec {
  const { stack } = toStack(live, {
    number: declared.phone.number,
    workflow: declared.workflow.friendlyName,
    postWorkActivity: declared.postWorkActivity,
  });
  const keyOf = new Map(Object.entries(declared.queues).map(([k, q]) => [q.friendlyName, k]));
  const rename = new Map(
    Object.entries(stack.queues).map(([k, q]) => [k, keyOf.get(q.friendlyName) ?? k]),
  );
  const key = (k: string) => rename.get(k) ?? k;
  const renamed: StackSpec = {
    ...stack,
    queues: Object.fromEntries(Object.entries(stack.queues).map(([k, q]) => [key(k), q])),
    workers: Object.fromEntries(
      Object.entries(stack.workers).map(([name, w]) => [
        name,
        { ...w, activity: declared.workers[name]?.activity ?? live.workspace.defaultActivityName },
      ]),
    ),
    workflow: {
      ...stack.workflow,
      filters: (stack.workflow.filters ?? []).map((f) => ({
        ...f,
        targets: f.targets.map((t) => ({ ...t, queue: key(t.queue) })),
      })),
      defaultTarget: { queue: key(stack.workflow.defaultTarget.queue) },
    },
    phone: declared.phone,
  };
  const label = `live workspace "${live.workspace.friendlyName}" (${live.workspace.sid})`;
  return loadStackText(label, renderStackYaml(renamed, [], [])).spec;
}

export async function run(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
  root = REPO_ROOT,
): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandArgs(
      argv,
      {
        file: { type: "string" },
        "base-url": { type: "string" },
        "account-sid": { type: "string" },
        "auth-token": { type: "string" },
        out: { type: "string" },
      },
      { positionals: true },
    );
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    io.stderr.write(`expected one stack name, got ${positionals.length}\n${USAGE}\n`);
    return 2;
  }
  const stack = positionals[0] as string;
  const settings = stackSettings(stack, root);
  const file = path.resolve(
    root,
    values.file ?? (settings.routingFile || path.join("stacks", `${stack}.yaml`)),
  );
  const accountSid = values["account-sid"] ?? settings.accountSid ?? "";
  const authToken = values["auth-token"] ?? env.TWILIO_AUTH_TOKEN;
  const baseUrl = values["base-url"] ?? (settings.baseUrl || TWILIO_API);
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    io.stderr.write(
      `${stack}: no account SID (twilio:accountSid in Pulumi.${stack}.yaml, or --account-sid); ` +
        `got ${JSON.stringify(accountSid)}\n${USAGE}\n`,
    );
    return 2;
  }
  if (!authToken) {
    io.stderr.write(`${stack}: missing --auth-token (or TWILIO_AUTH_TOKEN)\n${USAGE}\n`);
    return 2;
  }
  const emit = (text: string) =>
    values.out !== undefined ? fs.writeFileSync(values.out, text) : io.stdout.write(text);
  try {
    const loaded = loadStack(file);
    for (const w of loaded.warnings) io.stderr.write(`${formatProblem(w)}\n`);
    const declared = { ...loaded.spec, source: path.relative(process.cwd(), file) || file };
    const client = createTwilioClient({ accountSid, authToken, baseUrl });
    const name = declared.workspace.friendlyName;
    const found = await client.taskrouter.v1.workspaces
      .list({ friendlyName: name })
      .catch((err: unknown) => {
        throw describeTwilioError(
          "looking up",
          `TaskRouter Workspace ${JSON.stringify(name)}`,
          err,
        );
      });
    const workspace = found.find((w) => w.friendlyName === name);
    if (!workspace) {
      emit(
        `## Drift\n\nNo workspace named ${JSON.stringify(name)} in account ${accountSid}: ` +
          `nothing of ${declared.source} is live.\n`,
      );
      return 2;
    }
    const live = await readWorkspace(client, workspace.sid).catch((err: unknown) => {
      throw describeTwilioError("reading", `TaskRouter Workspace ${workspace.sid}`, err);
    });
    if (!live.workflows.some((w) => w.friendlyName === declared.workflow.friendlyName)) {
      emit(
        `## Drift\n\nWorkspace ${JSON.stringify(name)} (${workspace.sid}) has no workflow ` +
          `${JSON.stringify(declared.workflow.friendlyName)}.\n`,
      );
      return 2;
    }
    const diff = diffRouting(declared, liveSpec(live, declared));
    emit(renderDiffMarkdown(diff));
    return hasChanges(diff) ? 2 : 0;
  } catch (err) {
    io.stderr.write(
      `routing:drift ${stack}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
}
