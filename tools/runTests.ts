// `npm run test:fast` (`tools/runTests.ts`): every test except the real-engine ones (files named
// *.engine.test.ts), for the edit-test loop. `npm test` (`tools/runTests.ts --all`): the same, then
// the real-engine files in two lanes at once. Each group is one mocha process with package.json's
// mocha settings: the fast tests as the emulator's and the rest (about even; each process pays its
// own TypeScript transpiling, so mocha --parallel's one process per file cost more than it saved on
// 2 cores); the engine files spread over two lanes by their measured durations (ENGINE_SECONDS),
// because an engine run waits on its processes' start-up as much as it computes.
// tools/fastTestGuard.ts makes a real-engine test in a plain *.test.ts fail the fast groups.
// Each group's output is printed whole when it ends, then the totals in mocha's words ("N passing",
// which .ci/run reads); the exit code is 1 if any group failed.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
export const ENGINE_TESTS = "**/*.engine.test.ts";

interface MochaConfig {
  spec: string[];
  require?: string[];
  [option: string]: unknown;
}

/** package.json's mocha settings, split into the emulator's specs and the rest, engine tests left out. */
export function fastGroups(config: MochaConfig): MochaConfig[] {
  const emulator = config.spec.filter((s) => s.startsWith("emulator/"));
  const rest = config.spec.filter((s) => !s.startsWith("emulator/"));
  return [emulator, rest]
    .filter((spec) => spec.length > 0)
    .map((spec) => ({
      ...config,
      spec,
      ignore: [ENGINE_TESTS],
      require: [...(config.require ?? []), path.join(__dirname, "fastTestGuard.ts")],
    }));
}

/**
 * Seconds each engine file took alone on 2 cores (docs/CONTRIBUTING.md, Tests), to balance the lanes;
 * a file not listed counts as DEFAULT_ENGINE_SECONDS.
 */
const ENGINE_SECONDS: Record<string, number> = {
  "infra/planIsTheChange.engine.test.ts": 500,
  "infra/index.engine.test.ts": 180,
  "tools/commands/start.engine.test.ts": 120,
  "infra/survivesFaults.engine.test.ts": 110,
  "policy/index.engine.test.ts": 76,
  "infra/refusedBeforeWrites.engine.test.ts": 38,
};
const DEFAULT_ENGINE_SECONDS = 30;

/** Every *.engine.test.ts under the spec roots, repository-relative, sorted. */
export function engineFiles(root: string, config: MochaConfig): string[] {
  const roots = [...new Set(config.spec.map((s) => s.split("/")[0]))];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== "node_modules") walk(rel);
      else if (entry.name.endsWith(".engine.test.ts")) found.push(rel);
    }
  };
  for (const r of roots) if (fs.existsSync(path.join(root, r))) walk(r);
  return found.sort();
}

/** The engine files in `lanes` groups of about equal measured time (longest first, to the lighter). */
export function engineLanes(config: MochaConfig, files: string[], lanes = 2): MochaConfig[] {
  const weight = (f: string) => ENGINE_SECONDS[f] ?? DEFAULT_ENGINE_SECONDS;
  const groups = Array.from({ length: lanes }, () => ({ seconds: 0, spec: [] as string[] }));
  for (const file of [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const lighter = groups.reduce((min, g) => (g.seconds < min.seconds ? g : min));
    lighter.seconds += weight(file);
    lighter.spec.push(file);
  }
  return groups.filter((g) => g.spec.length > 0).map((g) => ({ ...config, spec: g.spec }));
}

/** Mocha's "N passing" / "N failing" / "N pending" counts in a group's output. */
export function countsOf(output: string): { passing: number; failing: number; pending: number } {
  const count = (word: string) =>
    Number(new RegExp(`^ +(\\d+) ${word}`, "m").exec(output)?.[1] ?? 0);
  return { passing: count("passing"), failing: count("failing"), pending: count("pending") };
}

function runGroup(config: MochaConfig, dir: string, index: number) {
  const file = path.join(dir, `mocha-${index}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const mocha = require.resolve("mocha/bin/mocha.js", { paths: [ROOT] });
  const child = spawn(process.execPath, [mocha, "--no-package", "--config", file], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => output.push(c));
  child.stderr.on("data", (c: Buffer) => output.push(c));
  return new Promise<{ code: number; output: string }>((resolve) =>
    child.on("close", (code) => {
      const text = Buffer.concat(output).toString();
      process.stdout.write(`\n== ${config.spec.join(" ")}\n${text}`);
      resolve({ code: code ?? 1, output: text });
    }),
  );
}

async function main(all: boolean): Promise<number> {
  const started = Date.now();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    mocha: MochaConfig;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "test-fast-"));
  try {
    const phases = [fastGroups(pkg.mocha)];
    if (all) phases.push(engineLanes(pkg.mocha, engineFiles(ROOT, pkg.mocha)));
    const results: { code: number; output: string }[] = [];
    for (const [p, groups] of phases.entries()) {
      results.push(...(await Promise.all(groups.map((g, i) => runGroup(g, dir, p * 10 + i)))));
    }
    const totals = results.map((r) => countsOf(r.output));
    const sum = (k: "passing" | "failing" | "pending") => totals.reduce((n, t) => n + t[k], 0);
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    process.stdout.write(`\n== all groups\n\n  ${sum("passing")} passing (${minutes} min)\n`);
    if (sum("pending") > 0) process.stdout.write(`  ${sum("pending")} pending\n`);
    if (sum("failing") > 0) process.stdout.write(`  ${sum("failing")} failing\n`);
    return results.every((r) => r.code === 0) ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.includes("--all")).then((code) => (process.exitCode = code));
}
