// `npm start [-- [--routing <stack file>] [--preview] [--json]]`: the whole contact centre on this
// machine, with the real Pulumi engine and no network. `--routing <file>` brings the local centre
// to another stack file (no demo call: the demo is stacks/local.yaml's); `--preview` previews that
// change without applying it (nothing written, no webhook host, no call) and reports, per
// resource, the operation the up would perform (`--json`: the per-operation counts and the list).
// Starts the local Twilio (the emulator, state in .local/emulator-state.json) and the local webhook
// host, runs `pulumi up` on the `local` stack (file backend in .local/, the local passphrase,
// offline settings; see tools/localStack.ts), prints what exists, places the two demo calls of
// tools/startDemo.ts through the virtual phone at fixed virtual times (open: press 2 → Hindi queue →
// Shyam; closed: voicemail → a voicemail task for Alice), prints their transcripts, and stops
// everything it started. Exit 0 when the stack is up and both demo calls ended as they should,
// 1 on any failure (with the reason), 2 on bad arguments, 130 when interrupted.
//
// Ports: the URLs Twilio calls contain the webhook host's port, so a new port would show as updates
// of the workflow and the phone number. The ports used are kept in .local/start.json and taken
// again when free; only when one is taken by something else does a run pick a new one (and say so).
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { twilioClientFor } from "../../emulator";
import { createEmulator, DEV_ACCOUNT_SID, DEV_AUTH_TOKEN, type Emulator } from "../../emulator";
import { ivrMenuFromPhone, LOCAL_STACK } from "../../infra/functions/config";
import { startLocalWebhookHost, type LocalWebhookHost } from "../../infra/functions/localHost";
import { memoryLogger } from "../../infra/functions/log";
import { callFlowFromSpec } from "../../infra/taskrouter/callFlowSpec";
import type { ContactCentreSpec } from "../../infra/taskrouter/model";
import {
  formatProblem,
  loadStack,
  StackValidationError,
  UnreadableStackError,
} from "../../infra/taskrouter/loadStack";
import { parseCommandArgs } from "../args";
import { DemoError, placeDemoCalls, readyDemoAgents, type DemoCalls } from "../startDemo";
import { findPulumiCli, PULUMI_VERSION, type PulumiCli } from "../pulumiCli";
import {
  changeCounts,
  descendants,
  LOCAL_DIR,
  openLocalStack,
  PlanLog,
  REPO_ROOT,
  StepLog,
  type Changes,
  type PlannedResource,
} from "../localStack";

export const USAGE = "usage: npm start [-- [--routing <stack file>] [--preview] [--json]]";

export interface StartPaths {
  /** Everything kept between runs (default .local/ of the repository). */
  dir: string;
}

export function startPaths(dir = LOCAL_DIR) {
  return {
    dir,
    emulatorState: path.join(dir, "emulator-state.json"),
    ports: path.join(dir, "start.json"),
    projectDir: path.join(dir, "pulumi", "project"),
    stateDir: path.join(dir, "pulumi", "state"),
    pulumiHome: path.join(dir, "pulumi", "home"),
  };
}

export interface StartResult {
  stack: string;
  changes: Changes;
  /** Absent with `--routing` (the demo calls are stacks/local.yaml's). */
  demoCall?: DemoCalls["demoCall"];
  outOfHoursCall?: DemoCalls["outOfHoursCall"];
}

/** `--preview`: what the up would do, per operation and per resource; nothing was applied. */
export interface PreviewResult {
  stack: string;
  preview: true;
  routingFile: string;
  counts: Record<PlannedResource["op"], number>;
  resources: PlannedResource[];
}

class StartError extends Error {
  override name = "StartError";
}

interface Ports {
  emulatorPort?: number;
  webhookPort?: number;
}

function readPorts(file: string): Ports {
  try {
    const p = JSON.parse(fs.readFileSync(file, "utf8")) as Ports;
    const ok = (n: unknown) =>
      Number.isInteger(n) && (n as number) > 0 ? (n as number) : undefined;
    return { emulatorPort: ok(p.emulatorPort), webhookPort: ok(p.webhookPort) };
  } catch {
    return {};
  }
}

/** Sends `signal` to the processes below this one (only those named `name` and theirs, if given). */
function signalChildren(signal: NodeJS.Signals, name?: string): void {
  for (const pid of descendants(process.pid, name)) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

const inUse = (err: unknown) => (err as NodeJS.ErrnoException).code === "EADDRINUSE";

/** Holds a port (the previous one when free) until the webhook host can take it. */
async function reservePort(preferred: number | undefined): Promise<net.Server> {
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer((socket) => socket.destroy());
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
  if (preferred !== undefined) {
    try {
      return await listen(preferred);
    } catch (err) {
      if (!inUse(err)) throw err;
    }
  }
  return listen(0);
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const closeServer = (server: net.Server) =>
  new Promise<void>((resolve) => server.close(() => resolve()));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd())
    .join("\n");
}

const PAST: Record<string, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

function describeChanges(c: Changes, adopted: number): string {
  const parts = (["create", "update", "replace", "delete"] as const)
    .filter((k) => c[k] > 0)
    .map(
      (k) => `${c[k]} ${PAST[k]}${k === "create" && adopted > 0 ? ` (${adopted} adopted)` : ""}`,
    );
  return parts.length === 0
    ? `no changes (${c.same} unchanged)`
    : `${parts.join(", ")}, ${c.same} unchanged`;
}

/**
 * A failed engine run in the engine's words: its output, then its stderr, where `--diff` (the
 * preview) prints the errors themselves, e.g. the refusal naming an object the stack did not create.
 */
function engineFailure(what: string, output: string[], errors: string[], err: unknown): StartError {
  const said = [output.join("").trim(), errors.join("").trim()].filter((t) => t !== "");
  return new StartError(`${what} failed:\n${said.join("\n") || (err as Error).message}`);
}

export interface StartOptions {
  dir?: string;
  /** Another stack file to bring the local centre to (default stacks/local.yaml, with the demo calls). */
  routingFile?: string;
  /** Preview the change instead of applying it. */
  preview?: boolean;
  /** Progress and the human-readable report. */
  out: { write(text: string): unknown };
  /** Aborts the run (SIGINT): rejects whatever is in progress and stops what was started. */
  signal?: AbortSignal;
}

/** Brings the local centre up, places the demo calls and stops everything again. */
export async function startLocal(opts: StartOptions & { preview?: false }): Promise<StartResult>;
/** Previews bringing the local centre to `routingFile`; applies nothing. */
export async function startLocal(opts: StartOptions & { preview: true }): Promise<PreviewResult>;
export async function startLocal(opts: StartOptions): Promise<StartResult | PreviewResult> {
  const paths = startPaths(opts.dir);
  const say = (line = "") => opts.out.write(`${line}\n`);
  const cleanup: (() => Promise<void>)[] = [];
  /** The engine operation in flight: on abort it is interrupted and awaited, not abandoned. */
  let engineOp: Promise<unknown> | undefined;
  const abortable = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new StartError("interrupted"));
      const onAbort = () => reject(new StartError("interrupted"));
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      p.then(resolve, reject).finally(() => opts.signal?.removeEventListener("abort", onAbort));
    });
  const engine = <T>(p: Promise<T>): Promise<T> => {
    engineOp = p.catch(() => undefined);
    return abortable(p);
  };
  const onAbort = () => {
    // The engine stops gracefully on SIGINT (finishes the steps in flight, saves the state); a
    // second SIGINT makes it quit at once. Ctrl-C already reached it (same process group), so only
    // other reasons (SIGTERM) are passed on.
    if (opts.signal?.reason !== "SIGINT") signalChildren("SIGINT", "pulumi");
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    fs.mkdirSync(paths.dir, { recursive: true });
    const file = path.resolve(
      opts.routingFile ?? path.join(REPO_ROOT, "stacks", `${LOCAL_STACK}.yaml`),
    );
    const { spec, warnings } = loadStack(file);
    for (const w of warnings) say(formatProblem(w));

    let cli: PulumiCli;
    try {
      cli = await findPulumiCli({ build: false });
    } catch {
      say(
        `The Pulumi CLI ${PULUMI_VERSION} is not on PATH and not built yet: building it from Go ` +
          `modules now (about 5 min on an idle 2-core machine, up to 12 min under load; once only, ` +
          `cached outside the repository).`,
      );
      cli = await abortable(findPulumiCli({ log: (line) => say(`  ${line}`) }));
    }
    say(`Pulumi CLI ${cli.version} (${cli.source}): ${cli.bin}`);

    const previous = readPorts(paths.ports);
    const emulator = await startEmulator(spec, paths.emulatorState, previous.emulatorPort);
    cleanup.push(() => emulator.close());
    const reserved = await reservePort(previous.webhookPort);
    cleanup.push(() => closeServer(reserved));
    const webhookPort = portOf(reserved);
    const webhookUrl = `http://127.0.0.1:${webhookPort}`;
    say(
      `Local Twilio (emulator) on ${emulator.url}, state in ${path.relative(REPO_ROOT, paths.emulatorState)}`,
    );
    for (const [what, before, now] of [
      ["local Twilio", previous.emulatorPort, emulator.port],
      ["webhook host", previous.webhookPort, webhookPort],
    ] as const) {
      if (before !== undefined && before !== now) {
        say(
          `Note: port ${before} of the ${what} is in use by another program, so it moved to ${now}` +
            (what === "webhook host"
              ? ": the URLs Twilio calls (workflow, workspace, phone number) are updated to match."
              : "."),
        );
      }
    }
    fs.writeFileSync(
      paths.ports,
      `${JSON.stringify({ emulatorPort: emulator.port, webhookPort }, null, 2)}\n`,
    );

    say(
      `pulumi ${opts.preview ? "preview" : "up"} on stack ${LOCAL_STACK} (state in ${path.relative(REPO_ROOT, paths.stateDir)}) …`,
    );
    const stack: Stack = await engine(
      openLocalStack({
        cli,
        projectDir: paths.projectDir,
        stateDir: paths.stateDir,
        pulumiHome: paths.pulumiHome,
        stackName: LOCAL_STACK,
        config: {
          "twilio:apiBaseUrl": emulator.url,
          "twilio:accountSid": emulator.accountSid,
          "contact-centre:localWebhookBaseUrl": webhookUrl,
          "contact-centre:routingFile": file,
        },
        secrets: { "twilio:authToken": emulator.authToken },
      }),
    );
    const engineOutput: string[] = [];
    const engineErrors: string[] = [];
    const onError = (text: string) => engineErrors.push(text);
    if (opts.preview) {
      const plan = new PlanLog();
      try {
        await engine(
          stack.preview({
            diff: true,
            onEvent: plan.onEvent,
            onOutput: (text) => engineOutput.push(text),
            onError,
          }),
        );
      } catch (err) {
        throw engineFailure("pulumi preview", engineOutput, engineErrors, err);
      }
      say(engineOutput.join("").trimEnd());
      const counts = plan.counts();
      say(
        `\nPreview of ${path.relative(REPO_ROOT, file)} on stack ${LOCAL_STACK} (nothing applied):`,
      );
      say(
        table([
          ["operation", "kind", "logical name", "fields"],
          ...plan
            .resources()
            .filter((r) => r.op !== "same")
            .map((r) => [r.op, r.type, r.name, (r.fields ?? []).join(" ")]),
        ]),
      );
      say(
        Object.entries(counts)
          .filter(([, n]) => n > 0)
          .map(([op, n]) => `${n} ${op}`)
          .join(", "),
      );
      return {
        stack: LOCAL_STACK,
        preview: true,
        routingFile: file,
        counts,
        resources: plan.resources(),
      };
    }
    const steps = new StepLog();
    let up;
    try {
      up = await engine(
        stack.up({ onEvent: steps.onEvent, onOutput: (text) => engineOutput.push(text), onError }),
      );
    } catch (err) {
      throw engineFailure("pulumi up", engineOutput, engineErrors, err);
    }
    const changes = changeCounts(up.summary.resourceChanges);
    const rows = steps.steps
      .filter((s) => s.id !== undefined && !s.type.startsWith("pulumi:providers:"))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => [
        s.adopted ? "adopted" : s.released ? "released" : (PAST[s.op] ?? s.op),
        s.type,
        s.name,
        s.id ?? "",
      ]);
    const adopted = steps.steps.filter((s) => s.adopted).length;
    say(`\nStack ${LOCAL_STACK}: ${describeChanges(changes, adopted)}`);
    say(table([["", "kind", "logical name", "SID"], ...rows]));

    if (opts.routingFile !== undefined) {
      say(`\nNo demo calls: they belong to stacks/${LOCAL_STACK}.yaml.`);
      return { stack: LOCAL_STACK, changes };
    }
    // What the up just made, by name: no second look-up over REST.
    const centre = steps.centre;
    if (!centre) throw new StartError("pulumi up reported no SIDs of the contact centre");
    const wrapUpSid = centre.activitySids[spec.postWorkActivity];
    if (!wrapUpSid) throw new StartError(`the up made no activity ${spec.postWorkActivity}`);
    const client = twilioClientFor(emulator.url, emulator.accountSid, emulator.authToken);

    await closeServer(reserved);
    const handlerLog = memoryLogger();
    const host: LocalWebhookHost = await startLocalWebhookHost({
      port: webhookPort,
      log: handlerLog,
      config: {
        stack: LOCAL_STACK,
        workspaceSid: centre.workspaceSid,
        workflowSid: centre.workflowSid,
        wrapUpActivitySid: wrapUpSid,
        centreNumber: spec.phone.number,
        ivr: ivrMenuFromPhone(spec.phone),
        callFlow: callFlowFromSpec(spec),
        twilioApiBaseUrl: emulator.url,
        authToken: { from: "env", value: emulator.authToken },
        signatureValidation: true,
      },
    });
    cleanup.push(() => host.close());
    say(`\nWebhook host on ${host.url} (signature validation on)`);

    const demo = {
      client,
      centre,
      spec,
      handlerLog: handlerLog.lines,
      say,
      abortable,
      emulator,
    };
    await readyDemoAgents(demo);
    return { stack: LOCAL_STACK, changes, ...(await placeDemoCalls(demo)) };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    if (engineOp) {
      // Let an interrupted engine save its state before its Twilio goes away (SIGKILL after 60 s).
      const timer = setTimeout(() => signalChildren("SIGKILL"), 60_000);
      await engineOp;
      clearTimeout(timer);
    }
    // E.g. an interrupted first build of the CLI.
    if (opts.signal?.aborted) signalChildren("SIGTERM");
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
  }
}

async function startEmulator(
  spec: ContactCentreSpec,
  statePath: string,
  preferred: number | undefined,
): Promise<Emulator> {
  const options = {
    accountSid: DEV_ACCOUNT_SID,
    authToken: DEV_AUTH_TOKEN,
    numbers: [spec.phone.number],
    statePath,
    clock: "real" as const,
  };
  if (preferred !== undefined) {
    try {
      return await createEmulator({ ...options, port: preferred });
    } catch (err) {
      if (!inUse(err)) throw err;
    }
  }
  return createEmulator({ ...options, port: 0 });
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseCommandArgs(argv, {
      json: { type: "boolean" },
      preview: { type: "boolean" },
      routing: { type: "string" },
    }));
  } catch (err) {
    process.stderr.write(`start: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.routing !== undefined && !fs.existsSync(values.routing)) {
    process.stderr.write(`start: --routing ${values.routing}: no such file\n${USAGE}\n`);
    return 2;
  }
  const json = values.json === true;
  const out = json ? process.stderr : process.stdout;
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      process.stderr.write(`start: ${signal}; stopping what was started …\n`);
      controller.abort(signal);
    } else {
      signalChildren("SIGKILL");
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const common = { out, signal: controller.signal, routingFile: values.routing };
    const result = values.preview
      ? await startLocal({ ...common, preview: true })
      : await startLocal({ ...common, preview: false });
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if ("preview" in result) out.write(`\nPreview only: nothing was changed.\n`);
    else if (result.demoCall)
      out.write(
        `\nDone: stack ${result.stack} is up, the open-hours call reached ` +
          `${result.demoCall.assignedWorker} and the out-of-hours call left a voicemail for ` +
          `${result.outOfHoursCall?.voicemailTask.assignedWorker}.\n`,
      );
    else out.write(`\nDone: stack ${result.stack} is up with ${values.routing}.\n`);
    return 0;
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write("start: interrupted; everything it started is stopped\n");
      return 130;
    }
    const told =
      err instanceof StartError ||
      err instanceof DemoError ||
      err instanceof StackValidationError ||
      err instanceof UnreadableStackError;
    const message = told ? err.message : ((err as Error).stack ?? String(err));
    process.stderr.write(`start: failed: ${message}\n`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
