// `npm run bench [-- --only handlers|engine|engine-day|rate-limits|scale|providers] [--json]`: the project's measurements, each
// with its method written next to the code that takes it (bench/*.ts, providers/index.ts).
// Speed and memory are measured here, never asserted in tests. Numbers are only comparable between
// runs on the same machine; each section reports the load average it ran under.
import { benchEngine, benchEngineDay, type EngineBench } from "../../bench/engine";
import { benchHandlers } from "../../bench/handlers";
import { benchRateLimits } from "../../bench/rateLimits";
import { benchScale, BOUND_PER_SECOND } from "../../bench/scale";
import {
  measureSerializedProviders,
  PROVIDER_BUDGET_BYTES,
} from "../../infra/taskrouter/providers";
import { parseCommandArgs } from "../args";
import type { Io } from "./diff";

const SECTIONS = {
  handlers: async () => {
    const r = await benchHandlers();
    const lines = r.bundles.map(
      (b) =>
        `  ${b.name.padEnd(13)} ${String(b.bytes).padStart(7)} B  load median ${b.loadMsMedian} ms ` +
        `(min ${b.loadMsMin}, max ${b.loadMsMax}, cpu ${b.cpuMsMedian})  ${b.withinBudget ? "within" : "OVER"} budget`,
    );
    return {
      result: r,
      text: [
        `call-handler bundles (budget ${r.budget.bytes} B, ${r.budget.loadMs} ms; ${r.runs} cold loads each; load avg ${r.loadAverage1m})`,
        ...lines,
      ],
    };
  },
  engine: async () => {
    const r = await benchEngine();
    return {
      result: r,
      text: [
        `routing engine: ${r.tasks} tasks, ${r.workers} workers, ${r.queues} queues on the virtual clock`,
        `  ${r.wallMs} ms wall, ${r.tasksPerSecond} tasks/s, ${r.virtualSeconds} virtual s, ` +
          `${r.reservations} reservations, peak RSS ${r.peakRssMb} MB`,
      ],
    };
  },
  "engine-day": async () => {
    const r = await benchEngineDay();
    const row = (x: EngineBench) =>
      `  ${String(x.tasks).padStart(7)} tasks, ${String(x.workers).padStart(5)} workers: ` +
      `${x.wallMs} ms wall (${x.cpuMs} ms CPU), ${x.tasksPerSecond} tasks/s, ${x.reservations} reservations, ` +
      `heap ${x.heapUsedMb} MB at the end, peak RSS ${x.peakRssMb} MB`;
    const g = r.growth;
    return {
      result: r,
      text: [
        `routing engine, a day: ${r.day.tasks} tasks arriving over 24 virtual hours, ${r.day.workers} workers, ` +
          `${r.day.queues} queues (load avg ${r.loadAverage1m})`,
        `  ${r.day.wallMs} ms wall (${r.day.cpuMs} ms CPU), ${r.day.tasksPerSecond} tasks/s, ` +
          `${r.day.virtualSeconds} virtual s, heap ${r.day.heapUsedMb} MB at the end, peak RSS ${r.day.peakRssMb} MB`,
        `growth (same run, one after another, each in its own process):`,
        ...g.runs.map(row),
        `  wall time 50k/25k tasks ${g.tasks50kOver25k}×, 100k/50k tasks ${g.tasks100kOver50k}× ` +
          `(linear: 2×); 1,000/500 workers ${g.workers1000Over500}× (at most linear: ≤ 2×)`,
      ],
    };
  },
  "rate-limits": async () => {
    const r = await benchRateLimits();
    return {
      result: r,
      text: [
        `${r.workers} workers created by the Worker provider under the emulator's rate limits (${r.limitPerSecond}/s per key; load avg ${r.loadAverage1m})`,
        `  ${r.wallMs} ms wall vs ${r.floorMs} ms the limits allow: ${r.ratio}×; ` +
          `${r.throttled} of ${r.requests} requests answered 429`,
      ],
    };
  },
  scale: async () => {
    const r = await benchScale();
    const row = (x: typeof r.small) =>
      `  ${String(x.workers).padStart(5)} workers, ${String(x.queues).padStart(2)} queues ` +
      `(${x.resources} resources): up ${x.upMs} ms, no-op preview ${x.previewMs} ms, ` +
      `state ${Math.round(x.stateBytes / 1024)} KB`;
    const ratio = (a: number, b: number) => Math.round((b / a) * 10) / 10;
    const rewritesMs = Math.round((r.marginalUpMs - r.unrecorded.marginalUpMs) * 10) / 10;
    return {
      result: r,
      text: [
        `real engine against the local Twilio (rate limits off; load avg ${r.loadAverage1m})`,
        row(r.small),
        row(r.large),
        `  1,000 vs 10: up ${ratio(r.small.upMs, r.large.upMs)}×, preview ` +
          `${ratio(r.small.previewMs, r.large.previewMs)}×, state ${ratio(r.small.stateBytes, r.large.stateBytes)}×; ` +
          `per extra resource: up ${r.marginalUpMs} ms, preview ${r.marginalPreviewMs} ms; ` +
          `state ${r.stateBytesPerResource} B per resource`,
        `  one worker's state record (1,000 workers): ` +
          Object.entries(r.large.workerRecord)
            .map(([field, bytes]) => `${field} ${bytes} B`)
            .join(", "),
        `  under the local Twilio's rate limits (50/s per key): ${r.limited.workers} workers, up ` +
          `${r.limited.upMs} ms, ${r.limitedRatio}× the larger of the limits' floor ` +
          `(${r.limited.requests.floorMs} ms) and the unlimited up; ${r.limited.requests.throttled} of ` +
          `${r.limited.requests.total} requests answered 429, ${r.limited.requests.failed} failed`,
        `  under limits that bind (${BOUND_PER_SECOND}/s per undocumented key, on both sides): up ` +
          `${r.bound.upMs} ms, ${r.boundRatio}× the limits' floor (${r.bound.requests.floorMs} ms); ` +
          `${r.bound.requests.throttled} of ${r.bound.requests.total} requests answered 429, ` +
          `${r.bound.requests.failed} failed`,
        `  with the file backend's zstd compression (PULUMI_DIY_BACKEND_ZSTD): up ${r.zstd.upMs} ms, ` +
          `${r.zstd.upRatio}× the plain up, per extra resource ${r.zstd.marginalUpMs} ms (from the plain ` +
          `10-worker up); state file ${Math.round(r.zstd.stateBytes / 1024)} KB`,
        `  with the state written once, at the end (PULUMI_SKIP_CHECKPOINTS, never used by the ` +
          `product): up ${r.unrecorded.upMs} ms, per extra resource ${r.unrecorded.marginalUpMs} ms ` +
          `(from the plain 10-worker up); the plain up's ${rewritesMs} ms more per resource are the ` +
          `state rewrites`,
      ],
    };
  },
  providers: async () => {
    const sizes = measureSerializedProviders();
    return {
      result: { budgetBytes: PROVIDER_BUDGET_BYTES, sizes },
      text: [
        `serialized __provider per resource type (budget ${PROVIDER_BUDGET_BYTES} B)`,
        ...Object.entries(sizes).map(
          ([type, bytes]) =>
            `  ${type.padEnd(20)} ${String(bytes).padStart(5)} B  ${bytes <= PROVIDER_BUDGET_BYTES ? "within" : "OVER"} budget`,
        ),
      ],
    };
  },
} as const;

type Section = keyof typeof SECTIONS;

export const USAGE = `usage: npm run bench [-- --only ${Object.keys(SECTIONS).join("|")}] [--json]`;

export async function run(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let values;
  try {
    ({ values } = parseCommandArgs(argv, { json: { type: "boolean" }, only: { type: "string" } }));
  } catch (err) {
    io.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { json, only } = values;
  if (only !== undefined && !Object.hasOwn(SECTIONS, only)) {
    io.stderr.write(`--only takes one of ${Object.keys(SECTIONS).join(", ")} (got "${only}")\n`);
    return 2;
  }
  const chosen = (only ? [only] : Object.keys(SECTIONS)) as Section[];
  const results: Record<string, unknown> = {};
  for (const name of chosen) {
    const { result, text } = await SECTIONS[name]();
    results[name] = result;
    if (!json) io.stdout.write(`${text.join("\n")}\n\n`);
  }
  if (json) io.stdout.write(`${JSON.stringify(results)}\n`);
  return 0;
}
