// `pulumi up` and a no-op `preview` of generated centres under the real engine, 10 vs 1,000 workers.
//
// Method: the local Twilio (rate limits off, as issue 19's scale target states; the providers'
// client still paces itself at 50 requests/s per key), the real Pulumi CLI and the program run as
// `npm start` runs them (tools/localStack.ts, file backend, a checkpoint after every step). Each stack is
// stacks/local.yaml with its workers and queues replaced: `workers` workers, each with one skill of
// `queues` queues (`skills HAS "s<n>"`), no filters, the default target the first queue. Measured:
// wall time of a first `up` (every object created), of a `preview` right after (no changes), the
// state file's size, and per resource. The 1,000-worker figures are also given as ratios to the
// 10-worker stack measured in the same run, and as the marginal cost per extra resource.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { createEmulator } from "../emulator";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from "../emulator/testing";
import { findPulumiCli, type PulumiCli } from "../tools/pulumiCli";
import { LOCAL_DIR, openLocalStack, REPO_ROOT, stateFile } from "../tools/localStack";

export interface ScaleRun {
  workers: number;
  queues: number;
  resources: number;
  upMs: number;
  previewMs: number;
  stateBytes: number;
  /** What one worker's state record holds: average JSON bytes per field. */
  workerRecord: Record<string, number>;
}

export interface ScaleBench {
  small: ScaleRun;
  large: ScaleRun;
  marginalUpMs: number;
  marginalPreviewMs: number;
  stateBytesPerResource: number;
  loadAverage1m: number;
}

/** Average JSON size, per top-level field, of the state records of one resource type. */
export function recordComposition(checkpoint: unknown, typeSuffix: string): Record<string, number> {
  const resources: Record<string, unknown>[] =
    (checkpoint as { checkpoint?: { latest?: { resources?: Record<string, unknown>[] } } })
      .checkpoint?.latest?.resources ?? [];
  const records = resources.filter((r) => String(r.type).endsWith(typeSuffix));
  const sums: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      sums[key] = (sums[key] ?? 0) + JSON.stringify(value).length;
    }
    sums.total = (sums.total ?? 0) + JSON.stringify(record).length;
  }
  const entries = Object.entries(sums).map(
    ([k, v]) => [k, Math.round(v / Math.max(records.length, 1))] as const,
  );
  return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]));
}

export async function measure(cli: PulumiCli, work: string, workers: number, queues: number) {
  const spec = parse(fs.readFileSync(path.join(REPO_ROOT, "stacks", "local.yaml"), "utf8"));
  spec.workers = Object.fromEntries(
    Array.from({ length: workers }, (_, i) => [
      `Agent ${i}`,
      { activity: "Available", attributes: { skills: [`s${i % queues}`] } },
    ]),
  );
  spec.queues = Object.fromEntries(
    Array.from({ length: queues }, (_, q) => [
      `q${q}`,
      { friendlyName: `Q${q}`, targetWorkers: `skills HAS "s${q}"` },
    ]),
  );
  spec.workflow.filters = [];
  spec.workflow.defaultTarget = { queue: "q0" };
  const file = path.join(work, `scale-${workers}.yaml`);
  fs.writeFileSync(file, stringify(spec));
  const emu = await createEmulator({
    port: 0,
    accountSid: TEST_ACCOUNT_SID,
    authToken: TEST_AUTH_TOKEN,
    numbers: ["+15555550100"],
    clock: "virtual",
    rateLimits: false,
  });
  try {
    const stateDir = path.join(work, `state-${workers}`);
    const stack = await openLocalStack({
      cli,
      projectDir: path.join(work, "project"),
      stateDir,
      pulumiHome: path.join(work, "home"),
      stackName: `scale-${workers}`,
      baseStack: "local",
      config: {
        "twilio:accountSid": TEST_ACCOUNT_SID,
        "twilio:apiBaseUrl": emu.url,
        "contact-centre:localWebhookBaseUrl": "http://127.0.0.1:3999",
        "contact-centre:routingFile": file,
      },
      secrets: { "twilio:authToken": TEST_AUTH_TOKEN },
    });
    let started = performance.now();
    const up = await stack.up();
    const upMs = Math.round(performance.now() - started);
    started = performance.now();
    await stack.preview({ expectNoChanges: true });
    const previewMs = Math.round(performance.now() - started);
    const counts = up.summary.resourceChanges ?? {};
    const state = stateFile(stateDir, `scale-${workers}`);
    return {
      workers,
      queues,
      resources: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0),
      upMs,
      previewMs,
      stateBytes: fs.statSync(state).size,
      workerRecord: recordComposition(JSON.parse(fs.readFileSync(state, "utf8")), ":Worker"),
    };
  } finally {
    await emu.close();
  }
}

export async function benchScale(): Promise<ScaleBench> {
  const cli = await findPulumiCli({ build: false });
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  const work = fs.mkdtempSync(path.join(LOCAL_DIR, "bench-scale-"));
  try {
    const small = await measure(cli, work, 10, 2);
    const large = await measure(cli, work, 1000, 50);
    const extra = large.resources - small.resources;
    const perExtra = (a: number, b: number) => Math.round(((b - a) / extra) * 10) / 10;
    return {
      small,
      large,
      marginalUpMs: perExtra(small.upMs, large.upMs),
      marginalPreviewMs: perExtra(small.previewMs, large.previewMs),
      stateBytesPerResource: Math.round(large.stateBytes / large.resources),
      loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
