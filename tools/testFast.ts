// `npm run test:fast`: every test except the real-engine ones (files named *.engine.test.ts), for
// the edit-test loop; `npm test` runs everything. Two mocha processes at once, each with
// package.json's mocha settings: the emulator's tests, and the rest (about even; each process pays
// its own TypeScript transpiling, so mocha --parallel's one process per file cost more than it
// saved on 2 cores). tools/fastTestGuard.ts makes a real-engine test in a plain *.test.ts fail.
// Each group's output is printed whole when it ends; the exit code is 1 if any group failed.
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
  return new Promise<number>((resolve) =>
    child.on("close", (code) => {
      process.stdout.write(`\n== ${config.spec.join(" ")}\n${Buffer.concat(output).toString()}`);
      resolve(code ?? 1);
    }),
  );
}

async function main(): Promise<number> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    mocha: MochaConfig;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "test-fast-"));
  try {
    const codes = await Promise.all(fastGroups(pkg.mocha).map((g, i) => runGroup(g, dir, i)));
    return codes.every((c) => c === 0) ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code));
}
