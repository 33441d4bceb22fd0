// Call-handler bundles: bytes and cold load time (issue 6 budget: ≤ 100 KB and ≤ 15 ms each).
//
// Method: build the five bundles exactly as `npm run build` does, into a temporary directory
// outside the repository (so nothing resolves from node_modules). For each bundle, start RUNS
// fresh `node -e` child processes, one after another; each child measures, with
// process.hrtime.bigint(), only the `require()` of the bundle (parse, compile and run of the
// module top level, i.e. the work Lambda's init phase adds for our code) and prints the
// nanoseconds. Process start-up is excluded. Reported: the median and the min/max of the RUNS
// samples, in milliseconds. Children run sequentially so they do not compete with each other.
// Each child also reports the CPU time (process.cpuUsage) of the same require: on a busy machine
// wall time includes waiting for a CPU, CPU time does not, so the pair tells load from cost; the
// 1-minute load average at the start is reported for the same reason. This measures the local
// machine, not Lambda; compare numbers from the same machine only.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildHandlers } from "../infra/functions/bundle";

export const RUNS = 20;
export const BUDGET = { bytes: 100_000, loadMs: 15 } as const;

export interface HandlerBenchRow {
  name: string;
  bytes: number;
  loadMsMedian: number;
  loadMsMin: number;
  loadMsMax: number;
  cpuMsMedian: number;
  withinBudget: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** One cold load in a fresh process: wall and CPU milliseconds spent in require(file). */
function coldLoad(file: string): { wallMs: number; cpuMs: number } {
  const script =
    "const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();" +
    `require(${JSON.stringify(file)});` +
    "const ns = process.hrtime.bigint() - t0; const c = process.cpuUsage(c0);" +
    "process.stdout.write(JSON.stringify([Number(ns) / 1e6, (c.user + c.system) / 1e3]));";
  const out = execFileSync(process.execPath, ["-e", script], {
    encoding: "utf8",
    env: { PATH: process.env.PATH },
  });
  const [wallMs, cpuMs] = JSON.parse(out) as [number, number];
  return { wallMs, cpuMs };
}

export async function benchHandlers(): Promise<{
  bench: "handlers";
  method: string;
  runs: number;
  budget: typeof BUDGET;
  node: string;
  loadAverage1m: number;
  bundles: HandlerBenchRow[];
}> {
  const loadAverage1m = round(os.loadavg()[0]);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-handlers-"));
  try {
    const bundles = await buildHandlers({ outDir });
    const rows = bundles.map((b) => {
      const runs = Array.from({ length: RUNS }, () => coldLoad(b.file));
      const samples = runs.map((r) => r.wallMs);
      const loadMsMedian = round(median(samples));
      return {
        name: b.name,
        bytes: b.bytes,
        loadMsMedian,
        loadMsMin: round(Math.min(...samples)),
        loadMsMax: round(Math.max(...samples)),
        cpuMsMedian: round(median(runs.map((r) => r.cpuMs))),
        withinBudget: b.bytes <= BUDGET.bytes && loadMsMedian <= BUDGET.loadMs,
      };
    });
    return {
      bench: "handlers",
      method: `median of ${RUNS} cold require() timings, each in a fresh node -e process (hrtime and cpuUsage inside the child)`,
      runs: RUNS,
      budget: BUDGET,
      node: process.version,
      loadAverage1m,
      bundles: rows,
    };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
