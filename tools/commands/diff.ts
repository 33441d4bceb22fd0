// `npm run routing:diff -- <base> <head> [--out <file>] [--json]`: what a routing change does, as
// Markdown for a pull-request comment. Each side is a stack file or `<git-rev>:<path>` (e.g.
// `origin/main:stacks/dev.yaml`); at a revision, `extends:` resolves against that revision too.
// Exit 0 with the report (changes or not), 1 when a side cannot be read or is invalid, 2 on usage.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  formatProblem,
  loadStack,
  loadStackText,
  StackValidationError,
  type LoadedStack,
  type Problem,
} from "../../infra/taskrouter/loadStack";
import { diffRouting } from "../../infra/taskrouter/routingDiff";
import { renderDiffMarkdown } from "../../infra/taskrouter/routingDiffMarkdown";
import { parseCommandArgs } from "../args";

const USAGE = "usage: npm run routing:diff -- <base> <head> [--out <file>] [--json]";

export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/** `rev:path` when `ref` is not an existing file and has a revision part. */
export function parseStackRef(ref: string): { rev: string; file: string } | undefined {
  if (fs.existsSync(ref)) return undefined;
  const colon = ref.indexOf(":");
  if (colon <= 0 || colon === ref.length - 1) return undefined;
  return { rev: ref.slice(0, colon), file: path.posix.normalize(ref.slice(colon + 1)) };
}

/** `git show rev:file` (paths relative to the repository root), with git's reason on failure. */
function gitShow(rev: string, file: string, cwd: string): string {
  try {
    return execFileSync("git", ["show", `${rev}:${file}`], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (err instanceof Error ? err.message : String(err)));
  }
}

/**
 * Load a stack file, or `<git-rev>:<path>` read with `git show` (the files it extends too, at the
 * same revision). The spec's `source` is the reference as given, for the report header.
 */
export function loadStackRef(ref: string, cwd = process.cwd()): LoadedStack {
  const git = parseStackRef(ref);
  if (git === undefined) {
    const loaded = loadStack(ref);
    return { ...loaded, spec: { ...loaded.spec, source: ref } };
  }
  let text: string;
  try {
    text = gitShow(git.rev, git.file, cwd);
  } catch (err) {
    throw new Error(`cannot read ${ref}: ${(err as Error).message}`);
  }
  // Paths stay repository-relative while loading (a rev such as origin/main must not take part in
  // resolving `extends`); problems are then labelled `rev:path` so a reader knows the revision.
  const label = (problems: Problem[]): Problem[] =>
    problems.map((p) => ({ ...p, file: `${git.rev}:${p.file}` }));
  try {
    const loaded = loadStackText(git.file, text, (file) => gitShow(git.rev, file, cwd));
    return { warnings: label(loaded.warnings), spec: { ...loaded.spec, source: ref } };
  } catch (err) {
    if (err instanceof StackValidationError)
      throw new StackValidationError(ref, label(err.problems));
    throw err;
  }
}

/** Load one side, reporting why it failed on stderr. */
export function loadSide(ref: string, io: Io): LoadedStack | undefined {
  try {
    const loaded = loadStackRef(ref);
    for (const warning of loaded.warnings) io.stderr.write(`${formatProblem(warning)}\n`);
    return loaded;
  } catch (err) {
    if (err instanceof StackValidationError) {
      for (const problem of err.problems) io.stderr.write(`${formatProblem(problem)}\n`);
      io.stderr.write(`${ref}: invalid routing definition\n`);
    } else io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
}

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const usage = (reason: string) => (io.stderr.write(`${reason}; ${USAGE}\n`), 2);
  let parsed;
  try {
    parsed = parseCommandArgs(
      argv,
      { out: { type: "string" }, json: { type: "boolean" } },
      { positionals: true },
    );
  } catch (err) {
    return usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  const { out, json } = values;
  if (positionals.length !== 2) {
    return usage(`expected a base and a head, got ${positionals.length}`);
  }
  const base = loadSide(positionals[0] as string, io);
  const head = loadSide(positionals[1] as string, io);
  if (base === undefined || head === undefined) return 1;
  const diff = diffRouting(base.spec, head.spec);
  const text = json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffMarkdown(diff);
  if (out !== undefined) fs.writeFileSync(out, text);
  else io.stdout.write(text);
  return 0;
}
