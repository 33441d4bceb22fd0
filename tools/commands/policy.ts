// `npm run policy [-- <stack>]`: the policy pack (policy/, docs/policies.md) on a stack's routing,
// offline. Previews the routing definition of <stack> (default local) with the levels and bounds of
// Pulumi.<stack>.yaml on the local centre: a fresh in-memory emulator and a generated local stack
// (tools/localStack.ts, as `npm start` uses), so nothing is written anywhere but .local/policy/.
// The webhook host is local there, so only the routing policies apply; the AWS policies run in the
// pipeline's previews. Exit 0 with no mandatory violation, 1 with one (or on failure), 2 on bad
// arguments.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, PolicyEvent } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { createEmulator, DEV_ACCOUNT_SID, DEV_AUTH_TOKEN } from "../../emulator";
import { formatProblem, loadStack } from "../../infra/taskrouter/loadStack";
import { parseCommandArgs } from "../args";
import { findPulumiCli } from "../pulumiCli";
import { LOCAL_DIR, openLocalStack, REPO_ROOT } from "../localStack";
import type { Io } from "./diff";

export const USAGE =
  "usage: npm run policy [-- <stack>]   (stack: local, dev, staging, prod; default local)";

export const POLICY_PACK = path.join(REPO_ROOT, "policy");

export interface PolicyViolation {
  level: "advisory" | "mandatory";
  policy: string;
  message: string;
}

/**
 * A violation as the engine reports it, in our words: the engine says "warning" for advisory and
 * sends the policy's description as the first line of the message (dropped: the name says it).
 */
export function violationOf(e: PolicyEvent): PolicyViolation {
  const lines = e.message.trim().split("\n");
  return {
    level: e.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
    policy: e.policyName,
    message: (lines.length > 1 ? lines.slice(1) : lines).join(" ").trim(),
  };
}

/** The report's lines: one per violation (mandatory first), then the verdict. */
export function formatViolations(stack: string, violations: PolicyViolation[]): string[] {
  const sorted = [...violations].sort(
    (a, b) =>
      (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1) ||
      a.policy.localeCompare(b.policy),
  );
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  const lines = sorted.map((v) => `[${v.level}] ${v.policy}: ${v.message}`);
  if (violations.length === 0) return [...lines, `${stack}: no policy violations`];
  return [
    ...lines,
    `${stack}: ${violations.length} violation(s), ${mandatory} mandatory` +
      (mandatory > 0 ? ": a preview or deploy of this stack is refused" : ""),
  ];
}

/** `contact-centre:policy` of the committed Pulumi.<stack>.yaml (undefined when not set). */
export function stackPolicyConfig(stack: string): unknown {
  const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  const settings = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  return settings?.config?.["contact-centre:policy"];
}

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let stack: string;
  try {
    const { positionals } = parseCommandArgs(argv, {}, { positionals: true });
    if (positionals.length > 1) throw new Error("one stack at most");
    stack = positionals[0] ?? "local";
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (
    !/^[a-z][a-z0-9-]*$/.test(stack) ||
    !fs.existsSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`))
  ) {
    io.stderr.write(`no Pulumi.${stack}.yaml in ${REPO_ROOT}\n${USAGE}\n`);
    return 2;
  }
  const routingFile = `stacks/${stack}.yaml`;
  const say = (line: string) => io.stdout.write(`${line}\n`);

  let number: string;
  try {
    const { spec, warnings } = loadStack(path.join(REPO_ROOT, routingFile));
    for (const w of warnings) say(formatProblem(w));
    number = spec.phone.number;
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }

  const emu = await createEmulator({
    port: 0,
    accountSid: DEV_ACCOUNT_SID,
    authToken: DEV_AUTH_TOKEN,
    numbers: [number],
  });
  const violations: PolicyViolation[] = [];
  try {
    const dir = path.join(LOCAL_DIR, "policy");
    const cli = await findPulumiCli({ log: (line) => io.stderr.write(`${line}\n`) });
    const policy = stackPolicyConfig(stack);
    const localStack = await openLocalStack({
      cli,
      projectDir: path.join(dir, "project"),
      stateDir: path.join(dir, "state"),
      pulumiHome: path.join(dir, "home"),
      stackName: `policy-${stack}`,
      baseStack: "local",
      config: {
        "twilio:accountSid": DEV_ACCOUNT_SID,
        "twilio:apiBaseUrl": emu.url,
        "contact-centre:routingFile": routingFile,
        ...(policy === undefined ? {} : { "contact-centre:policy": policy as object }),
      },
      secrets: { "twilio:authToken": DEV_AUTH_TOKEN },
    });
    say(
      `Policy pack ${path.relative(REPO_ROOT, POLICY_PACK)}/ on ${routingFile} with the levels of Pulumi.${stack}.yaml (local centre, emulator):`,
    );
    const onEvent = (e: EngineEvent) => {
      if (e.policyEvent) violations.push(violationOf(e.policyEvent));
    };
    try {
      await localStack.preview({ policyPacks: [POLICY_PACK], onEvent });
    } catch (err) {
      // A mandatory violation fails the preview; anything else is a real failure.
      if (!violations.some((v) => v.level === "mandatory")) {
        io.stderr.write(`${(err as Error).message}\n`);
        return 1;
      }
    }
  } finally {
    await emu.close();
  }
  for (const line of formatViolations(stack, violations)) say(line);
  return violations.some((v) => v.level === "mandatory") ? 1 : 0;
}
