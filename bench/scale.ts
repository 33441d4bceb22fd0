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
//
// Under the rate limits (issue 19 item 2): the same 1,000-worker `up` with the local Twilio's
// default limits on (50 requests/s per resource key, emulator/README.md), which the providers pace
// themselves to. Reported from the emulator's own record of every request: requests answered 429,
// requests that failed otherwise (any other 4xx or 5xx, or a dropped connection), and the floor the
// limits set, the largest over keys of (ceil(requests admitted on the key / its limit) − 1) seconds
// (a 429 takes no place in a window). At this size the engine, not the limits, is the bottleneck
// (the floor is ~20 s against an `up` of about a minute), so the time is compared with the
// unlimited `up` of the same run: "within 1.2× of what the limits allow" is read as within 1.2× of
// the larger of the floor and that `up`.
//
// Limits that bind: the same `up` again with every key but the three documented filtered lists at
// BOUND_PER_SECOND (10/s), on the local Twilio and in the stack's `twilio:rateLimits` alike, as an
// account with a lower limit would set it. The floor (~100 s for 1,000 worker creates) is then well
// above the engine's own time, so this run's ratio to its floor says what the pacing itself costs.
//
// Compressed state: the same unlimited `up` again with the file backend's own zstd compression
// (PULUMI_DIY_BACKEND_ZSTD=true, a Pulumi setting): the engine still serializes the whole state
// after every step, but hashes, copies and writes ~40× fewer bytes. Reported: its `up` time as a
// ratio to the plain one of the same run, its cost per extra resource (from the plain 10-worker
// `up`), and the compressed file's size.
//
// What the state rewrites cost: the same unlimited `up` once more with PULUMI_SKIP_CHECKPOINTS=true
// (a Pulumi setting the product never uses: a killed `up` would have recorded nothing), so the
// engine writes the state once, at the end. Its cost per extra resource is the rest of an `up`
// (program, engine steps, providers, the local Twilio); the difference to the plain run's is the
// file backend rewriting the whole state after every step.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { createEmulator } from "../emulator";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from "../emulator/testing";
import { findPulumiCli, type PulumiCli } from "../tools/pulumiCli";
import { LOCAL_DIR, openLocalStack, REPO_ROOT, stateFile } from "../tools/localStack";
import type { RecordedRequest } from "../emulator";
import {
  DEFAULT_RATE_LIMITS,
  DOCUMENTED_RATE_LIMITS,
  limitOf,
  rateLimitBucket,
  type RateLimits,
} from "../infra/taskrouter/rateLimits";

/** Requests per second for every undocumented key in the run where the limits bind. */
export const BOUND_PER_SECOND = 10;
const BOUND_LIMITS: RateLimits = {
  perKey: DOCUMENTED_RATE_LIMITS,
  defaultPerSecond: BOUND_PER_SECOND,
};

export interface ScaleRun {
  workers: number;
  queues: number;
  resources: number;
  upMs: number;
  previewMs: number;
  stateBytes: number;
  /** The `up`'s requests as the local Twilio recorded them. */
  requests: RequestStats;
  /** What one worker's state record holds: average JSON bytes per field. */
  workerRecord: Record<string, number>;
}

export interface RequestStats {
  total: number;
  throttled: number;
  /** Answered another 4xx or 5xx, or dropped. */
  failed: number;
  /** What the rate limits allow at best for these requests: see the header. */
  floorMs: number;
}

export interface ScaleBench {
  small: ScaleRun;
  large: ScaleRun;
  /** The large stack again, under the local Twilio's rate limits. */
  limited: ScaleRun;
  /** limited.upMs / max(floor, large.upMs): issue 19's target is ≤ 1.2. */
  limitedRatio: number;
  /** The large stack again, with limits that bind (BOUND_PER_SECOND). */
  bound: ScaleRun;
  /** bound.upMs / max(its floor, large.upMs). */
  boundRatio: number;
  /** The large stack again, its state compressed by the file backend (zstd). */
  zstd: { upMs: number; stateBytes: number; upRatio: number; marginalUpMs: number };
  /** The large stack again, the state written once at the end: what the rest of an `up` costs. */
  unrecorded: { upMs: number; marginalUpMs: number };
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

/** The request counts of an `up` and the floor the rate limits set for them. */
export function requestStats(
  records: readonly RecordedRequest[],
  limits: RateLimits = DEFAULT_RATE_LIMITS,
): RequestStats {
  const perKey = new Map<string, number>();
  for (const r of records) {
    // A request answered 429 took no place in its window (the emulator does not count it).
    if (r.status === 429) continue;
    const bucket = rateLimitBucket(r.method, r.path, r.query);
    if (bucket) perKey.set(bucket.key, (perKey.get(bucket.key) ?? 0) + 1);
  }
  const floors = [...perKey].map(([key, n]) => (Math.ceil(n / limitOf(limits, key)) - 1) * 1000);
  return {
    total: records.length,
    throttled: records.filter((r) => r.status === 429).length,
    failed: records.filter((r) => r.status === null || (r.status >= 400 && r.status !== 429))
      .length,
    floorMs: Math.max(0, ...floors),
  };
}

export async function measure(
  cli: PulumiCli,
  work: string,
  workers: number,
  queues: number,
  variant: {
    /** The local Twilio's limits, declared in the stack too unless the defaults; none if absent. */
    limits?: { name: string; limits: RateLimits };
    /** The file backend compresses the state (zstd). */
    zstd?: boolean;
    /** The engine writes the state once, at the end (PULUMI_SKIP_CHECKPOINTS). */
    unrecorded?: boolean;
  } = {},
): Promise<ScaleRun> {
  const { limits, zstd = false, unrecorded = false } = variant;
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
    rateLimits: limits?.limits ?? false,
  });
  try {
    const name = ["scale", workers, limits?.name, zstd && "zstd", unrecorded && "unrecorded"]
      .filter(Boolean)
      .join("-");
    const stateDir = path.join(work, `state-${name}`);
    const stack = await openLocalStack({
      cli,
      projectDir: path.join(work, "project"),
      stateDir,
      pulumiHome: path.join(work, "home"),
      stackName: name,
      baseStack: "local",
      config: {
        "twilio:accountSid": TEST_ACCOUNT_SID,
        "twilio:apiBaseUrl": emu.url,
        "contact-centre:localWebhookBaseUrl": "http://127.0.0.1:3999",
        "contact-centre:routingFile": file,
        ...(limits && limits.limits !== DEFAULT_RATE_LIMITS
          ? { "twilio:rateLimits": JSON.stringify({ default: limits.limits.defaultPerSecond }) }
          : {}),
      },
      secrets: { "twilio:authToken": TEST_AUTH_TOKEN },
      env: {
        ...(zstd && { PULUMI_DIY_BACKEND_ZSTD: "true" }),
        ...(unrecorded && { PULUMI_SKIP_CHECKPOINTS: "true" }),
      },
    });
    emu.records.length = 0;
    let started = performance.now();
    const up = await stack.up();
    const upMs = Math.round(performance.now() - started);
    const requests = requestStats(emu.records, limits?.limits);
    started = performance.now();
    await stack.preview({ expectNoChanges: true });
    const previewMs = Math.round(performance.now() - started);
    const counts = up.summary.resourceChanges ?? {};
    const state = stateFile(stateDir, name) + (zstd ? ".zst" : "");
    return {
      workers,
      queues,
      resources: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0),
      upMs,
      previewMs,
      stateBytes: fs.statSync(state).size,
      requests,
      // Node 20 cannot read zstd: the record is the plain run's.
      workerRecord: zstd
        ? {}
        : recordComposition(JSON.parse(fs.readFileSync(state, "utf8")), ":Worker"),
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
    // Right after the plain up, so the three are measured as alike as this machine allows.
    const zstd = await measure(cli, work, 1000, 50, { zstd: true });
    const unrecorded = await measure(cli, work, 1000, 50, { unrecorded: true });
    const limited = await measure(cli, work, 1000, 50, {
      limits: { name: "limited", limits: DEFAULT_RATE_LIMITS },
    });
    const bound = await measure(cli, work, 1000, 50, {
      limits: { name: "bound", limits: BOUND_LIMITS },
    });
    const toFloor = (run: ScaleRun) =>
      Math.round((run.upMs / Math.max(run.requests.floorMs, large.upMs)) * 100) / 100;
    const extra = large.resources - small.resources;
    const perExtra = (a: number, b: number) => Math.round(((b - a) / extra) * 10) / 10;
    return {
      small,
      large,
      limited,
      limitedRatio: toFloor(limited),
      bound,
      boundRatio: toFloor(bound),
      zstd: {
        upMs: zstd.upMs,
        stateBytes: zstd.stateBytes,
        upRatio: Math.round((zstd.upMs / large.upMs) * 100) / 100,
        // From the small stack's plain up: compression changes little at 22 resources.
        marginalUpMs: perExtra(small.upMs, zstd.upMs),
      },
      unrecorded: { upMs: unrecorded.upMs, marginalUpMs: perExtra(small.upMs, unrecorded.upMs) },
      marginalUpMs: perExtra(small.upMs, large.upMs),
      marginalPreviewMs: perExtra(small.previewMs, large.previewMs),
      stateBytesPerResource: Math.round(large.stateBytes / large.resources),
      loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
