// Loaded into every mocha process of `npm run test:fast` (tools/runTests.ts): starting the real
// Pulumi CLI, its plugins or the CLI build throws an error naming the convention. A real-engine test in a
// file not named *.engine.test.ts therefore fails the fast run instead of slowing it down unseen.
// Stand-in `pulumi` scripts (the CLI finder's tests) run: only the real binaries are refused.
import childProcess from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { BUILD_SCRIPT, offlineRoot } from "./pulumiCli";

export const REFUSAL =
  "runs the real Pulumi engine, which npm run test:fast leaves out: name the test file " +
  "*.engine.test.ts (npm test runs it; docs/CONTRIBUTING.md, Tests)";

function real(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * The real CLI, its plugins (the cached build, or a `pulumi` on PATH) and the build script, as the
 * environment says when the guard is installed (the CLI finder's tests point both elsewhere).
 */
function guarded(): Set<string> {
  const dirs = [path.join(offlineRoot(), "bin")];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, "pulumi"))) dirs.push(dir);
  }
  const names = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];
  return new Set(
    [BUILD_SCRIPT, ...dirs.flatMap((d) => names.map((n) => path.join(d, n)))].map(real),
  );
}

function check(refused: Set<string>, file: unknown, args: unknown): void {
  const words = [file, ...(Array.isArray(args) ? args : [])].filter(
    (w): w is string => typeof w === "string" && w.includes("pulumi"),
  );
  const hit = words.find((w) => refused.has(real(w)));
  if (hit) throw new Error(`${hit} ${REFUSAL}`);
}

const METHODS = ["spawn", "spawnSync", "execFile", "execFileSync"] as const;
type Method = (...a: unknown[]) => unknown;

/**
 * Makes child_process refuse the real CLI and the build script until the returned function is
 * called. Patches the module object itself (a default import), so every caller's lookup at call
 * time sees the wrappers; execFile's promisified form is wrapped too.
 */
export function refuseRealEngine(): () => void {
  const refused = guarded();
  const cp = childProcess as unknown as Record<string, Method>;
  const saved = METHODS.map((name) => [name, cp[name]] as const);
  for (const [name, original] of saved) {
    const wrapped: Method & { [promisify.custom]?: Method } = function (this: unknown, ...a) {
      check(refused, a[0], a[1]);
      return original.apply(this, a);
    };
    const custom = (original as { [promisify.custom]?: Method })[promisify.custom];
    if (custom) {
      wrapped[promisify.custom] = async (...a: unknown[]) => {
        check(refused, a[0], a[1]);
        return custom(...a);
      };
    }
    cp[name] = wrapped;
  }
  return () => saved.forEach(([name, original]) => (cp[name] = original));
}

/** A mocha root hook: tools/runTests.ts requires this file into each of its mocha processes. */
export const mochaHooks = { beforeAll: () => void refuseRealEngine() };
