import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommandArgs } from "./args";

const OPTIONS = {
  out: { type: "string" },
  json: { type: "boolean" },
  seed: { type: "string" },
  digits: { type: "string", multiple: true },
} as const;

describe("parseCommandArgs", () => {
  it("reads --x=y and --x y alike, booleans, repeated options and positionals", () => {
    assert.deepEqual(
      parseCommandArgs(
        ["a", "--out=x.md", "--json", "--digits", "2", "--digits=1#", "b", "--seed", "7"],
        OPTIONS,
        { positionals: true },
      ),
      {
        values: { out: "x.md", json: true, digits: ["2", "1#"], seed: "7" },
        positionals: ["a", "b"],
      },
    );
  });

  it("passes a value starting with one dash to the command to judge", () => {
    assert.deepEqual(parseCommandArgs(["--seed", "-1"], OPTIONS).values, { seed: "-1" });
  });

  it("takes what follows -- as positional arguments", () => {
    assert.deepEqual(parseCommandArgs(["--", "--json"], OPTIONS, { positionals: true }), {
      values: {},
      positionals: ["--json"],
    });
  });

  for (const [argv, message] of [
    [["--colour", "red"], 'unknown option "--colour"'],
    [["--colour=red"], 'unknown option "--colour"'],
    [["-x"], 'unknown option "-x"'],
    [["--constructor"], 'unknown option "--constructor"'],
    [["--out"], "--out needs a value"],
    [["--out="], "--out needs a value"],
    [["--out", "--json"], "--out needs a value"],
    [["--json=yes"], "--json takes no value"],
    [["stacks/dev.yaml"], 'unexpected argument "stacks/dev.yaml"'],
  ] as const) {
    it(`refuses ${argv.join(" ")}: ${message}`, () => {
      assert.throws(() => parseCommandArgs([...argv], OPTIONS), { name: "UsageError", message });
    });
  }
});

/** Runs a command's `run` with process.stdout/stderr captured. */
async function captured(
  run: (argv: string[]) => Promise<number>,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    return { code: await run(argv), stdout, stderr };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe("every command", () => {
  const BOGUS = 'unknown option "--bogus"';
  /** Command → what it writes for `--bogus` (exit 2), on stderr unless the command reports on stdout. */
  const refusals: Record<string, { stderr?: string; stdout?: string }> = {
    bench: {
      stderr: `bench: ${BOGUS}\nusage: npm run bench [-- --only handlers|engine|engine-day|rate-limits|scale|providers] [--json]\n`,
    },
    build: { stderr: `build: ${BOGUS}\nusage: npm run build\n` },
    call: {
      stderr:
        `call: ${BOGUS}\nusage: npm run call -- --emulator <url> --to <+E164> --from <+E164> ` +
        "[--digits <keys>]… [--message <seconds>[:<key>]]… [--at <time>] [--hangup-after <seconds>] [--talk <seconds>] [--json]\n",
    },
    diff: {
      stderr: `${BOGUS}; usage: npm run routing:diff -- <base> <head> [--out <file>] [--json]\n`,
    },
    drift: {
      stderr:
        `${BOGUS}\nusage: npm run routing:drift -- <stack> [--file <stack file>] [--base-url <url>] ` +
        "[--account-sid <AC…>] [--auth-token <token>] [--out <file>]\n",
    },
    emulator: {
      stderr:
        `emulator: ${BOGUS}\nusage: npm run emulator -- [--port <p>] [--account-sid <AC…>] ` +
        "[--auth-token <token>] [--number <+E164>]… [--state <file>] [--clock real|virtual] " +
        "[--rate-limits on|off]\n",
    },
    export: {
      stderr:
        `${BOGUS}; usage: npm run routing:export -- --base-url <url> --account-sid <AC…> ` +
        "--workspace <WS…> [--auth-token <token>] [--out <file>] [--number <E.164>] " +
        "[--workflow <WW…|name>] [--post-work-activity <name>] [--live-activities]\n",
    },
    handlers: {
      stderr:
        `handlers: ${BOGUS}\nusage: npm run handlers -- --port <p> --stack <name> ` +
        "[--public-base-url <url>] [--workspace-sid WS…] [--workflow-sid WW…] " +
        "[--wrap-up-activity-sid WA…] [--auth-token <token>] [--signature-validation on|off]\n" +
        "options fall back to PUBLIC_BASE_URL, WORKSPACE_SID, WORKFLOW_SID, " +
        "WRAP_UP_ACTIVITY_SID, TWILIO_AUTH_TOKEN, " +
        "TWILIO_SIGNATURE_VALIDATION from the environment\n",
    },
    policy: {
      stderr: `${BOGUS}\nusage: npm run policy [-- <stack>]   (stack: local, dev, staging, prod; default local)\n`,
    },
    schema: { stdout: `${BOGUS}; usage: npm run schema [-- --check]\n` },
    simulate: {
      stderr:
        `${BOGUS}; usage: npm run routing:simulate -- <stack> --scenario <file> ` +
        "[--against <base>] [--seed <n>] [--json | --wallboard]\n",
    },
    start: {
      stderr: `start: ${BOGUS}\nusage: npm start [-- [--routing <stack file>] [--preview] [--json]]\n`,
    },
    validate: { stdout: `${BOGUS}; usage: npm run routing:validate [-- <stack files>]\n` },
  };

  it("has a row here (the list tools/cli.ts dispatches to)", () => {
    const commands = fs
      .readdirSync(path.join(__dirname, "commands"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(Object.keys(refusals).sort(), commands);
  });

  for (const [command, expected] of Object.entries(refusals)) {
    it(`${command} refuses an unknown option with its usage and exit code 2`, async () => {
      const { run } = (await import(`./commands/${command}`)) as {
        run(argv: string[]): Promise<number>;
      };
      assert.deepEqual(await captured(run, ["--bogus", "x"]), {
        code: 2,
        stdout: expected.stdout ?? "",
        stderr: expected.stderr ?? "",
      });
    });
  }
});
