// `npm run routing:validate [-- <files>]`: check routing definitions (default: every stacks/*.yaml).
// Prints every problem as file:line:column severity path: reason, and a one-line summary per stack;
// exit code 1 when any stack has an error.
import * as fs from "node:fs";
import * as path from "node:path";
import { checkStack, formatProblem } from "../../infra/taskrouter/loadStack";
import { parseCommandArgs } from "../args";

const USAGE = "usage: npm run routing:validate [-- <stack files>]";

const plural = (n: number, noun: string, nouns = `${noun}s`): string =>
  `${n} ${n === 1 ? noun : nouns}`;

/** Every stacks/*.yaml under `root`, sorted, as relative paths for messages. */
export function defaultStackFiles(root = "."): string[] {
  return fs
    .readdirSync(path.join(root, "stacks"))
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => path.join(root, "stacks", name));
}

export async function run(
  argv: string[],
  out: { write(text: string): unknown } = process.stdout,
): Promise<number> {
  let positionals;
  try {
    ({ positionals } = parseCommandArgs(argv, {}, { positionals: true }));
  } catch (err) {
    out.write(`${(err as Error).message}; ${USAGE}\n`);
    return 2;
  }
  const files = positionals.length > 0 ? positionals : defaultStackFiles();
  let failed = false;
  for (const file of files) {
    const { spec, problems } = checkStack(file);
    for (const problem of problems) out.write(`${formatProblem(problem)}\n`);
    const errors = problems.filter((p) => p.severity === "error").length;
    const warnings = plural(problems.length - errors, "warning");
    if (spec === undefined) {
      failed = true;
      out.write(`${file}: failed — ${plural(errors, "error")}, ${warnings}\n`);
      continue;
    }
    const counts = [
      plural(Object.keys(spec.activities).length, "activity", "activities"),
      plural(Object.keys(spec.workers).length, "worker"),
      plural(Object.keys(spec.queues).length, "queue"),
      plural(spec.workflow.filters.length, "filter"),
    ];
    out.write(`${file}: ok (${counts.join(", ")}) — ${warnings}\n`);
  }
  return failed ? 1 : 0;
}
