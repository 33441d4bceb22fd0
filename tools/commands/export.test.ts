import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useEmulator } from "../../emulator/testing";
import { compareWithLive } from "../../infra/taskrouter/exportWorkspace";
import { loadStack } from "../../infra/taskrouter/loadStack";
import { diffRouting } from "../../infra/taskrouter/routingDiff";
import {
  buildWorkflowConfiguration,
  canonicalWorkflowJson,
} from "../../infra/taskrouter/workflowConfig";
import { readWorkspace, run, schemaRefFor } from "./export";
import { captureIo } from "../testIo";
import { deploy } from "../testDeploy";

describe("routing:export's $schema", () => {
  it("is ./schema.json in stacks/ and on stdout, else the path from the file's directory", () => {
    assert.equal(schemaRefFor("stacks/prod.yaml"), "./schema.json");
    assert.equal(schemaRefFor(undefined), "./schema.json");
    assert.equal(schemaRefFor("stacks/eu/prod.yaml"), "../schema.json");
    assert.equal(schemaRefFor("prod.yaml"), "./stacks/schema.json");
  });
});

describe("routing:export command (against the local Twilio)", () => {
  const fx = useEmulator();
  let dir: string;
  const args = (workspace: string, ...more: string[]) => [
    "--base-url",
    fx.emu.url,
    "--account-sid",
    TEST_ACCOUNT_SID,
    "--auth-token",
    TEST_AUTH_TOKEN,
    "--workspace",
    workspace,
    ...more,
  ];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "routing-export-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => fx.emu.reset());

  it("exports stacks/dev.yaml's workspace to a file that loads, names no SID and adopts it unchanged", async () => {
    const original = loadStack("stacks/dev.yaml").spec;
    const sid = await deploy(fx.client, original);
    const out = path.join(dir, "exported.yaml");
    const c = captureIo();
    assert.equal(
      await run(args(sid, "--out", out, "--number", "+15555550100", "--live-activities"), c.io),
      0,
    );
    const text = fs.readFileSync(out, "utf8");
    assert.equal(/\b(AC|WS|WA|WK|WQ|WW|PN)[0-9a-f]{32}\b/.test(text), false);
    // Written outside stacks/: $schema still reaches this checkout's stacks/schema.json.
    const schemaLine = text.split("\n").find((l) => l.startsWith("$schema: "));
    assert.equal(
      path.resolve(dir, String(schemaLine?.slice("$schema: ".length))),
      path.resolve("stacks/schema.json"),
    );

    const exported = loadStack(out).spec;
    const live = await readWorkspace(fx.client, sid);
    assert.deepEqual(compareWithLive(exported, live, { workerActivities: true }), []);
    // The workflow the providers would send, from the exported file and the live queue SIDs.
    const sids = Object.fromEntries(
      Object.entries(exported.queues).map(([key, q]) => [
        key,
        live.queues.find((l) => l.friendlyName === q.friendlyName)!.sid,
      ]),
    );
    assert.equal(
      canonicalWorkflowJson(buildWorkflowConfiguration(exported, sids)),
      canonicalWorkflowJson(JSON.parse(live.workflows[0]!.configuration)),
    );
    // The routing is the original's: only the IVR (not held by Twilio) differs.
    const diff = diffRouting(original, exported);
    assert.deepEqual(
      [diff.workers, diff.queues, diff.filters, diff.targets, diff.activities, diff.settings],
      [[], [], [], [], [], []],
    );
    assert.deepEqual(diff.membership, []);
    assert.equal(
      c.err(),
      "note: phone.ivr: Twilio does not hold the IVR; one option per filter was written as a starting point\n" +
        "note: phone.hours, whenClosed, maxWait, whenNobodyAnswers, recordCalls, voicemail, callback, " +
        "agentLeg: Twilio does not hold them (the call handlers' CALL_FLOW does); none was written, " +
        "so deployed with this file the line is open around the clock with no maximum wait\n" +
        `wrote ${out}\n`,
    );
  });

  it("writes YAML to stdout with a placeholder number and notes what to check", async () => {
    const sid = await deploy(fx.client, loadStack("stacks/dev.yaml").spec);
    const c = captureIo();
    assert.equal(await run(args(sid), c.io), 0);
    assert.equal(
      c.out().split("\nworkspace:")[0],
      [
        '# Exported by npm run routing:export from workspace "Contact Centre (dev)".',
        "# Names only: pulumi up adopts each object by friendly name (adopt: below); on destroy the",
        "# adopted objects are restored to their settings from before adoption and left in place.",
        "",
        "# Check before deploying:",
        "# - workers.*.activity: not written for Shyam (Available), Alice (Available), whose live " +
          "activity is not the default Offline; adopting never moves a working agent " +
          "(--live-activities writes them)",
        "# - phone.number: +15555550100 is a placeholder; set the centre's number (--number)",
        "# - phone.ivr: Twilio does not hold the IVR; one option per filter was written as a starting point",
        "# - phone.hours, whenClosed, maxWait, whenNobodyAnswers, recordCalls, voicemail, callback, " +
          "agentLeg: Twilio does not hold them (the call handlers' CALL_FLOW does); none was written, " +
          "so deployed with this file the line is open around the clock with no maximum wait",
        "",
        "$schema: ./schema.json",
        "adopt:",
        "  objects:",
        "    - all",
      ].join("\n"),
    );
    assert.equal(
      c.out().split("\nphone:\n")[1],
      [
        '  number: "+15555550100"',
        "  ivr:",
        "    greeting: Thank you for calling. Press 1 for English, 2 for Hindi.",
        "    options:",
        '      "1":',
        "        label: English",
        "        attributes:",
        "          selected_language: english",
        '      "2":',
        "        label: Hindi",
        "        attributes:",
        "          selected_language: hindi",
        "",
      ].join("\n"),
    );
  });

  it("exits 1 with Twilio's reason when the workspace does not exist", async () => {
    const c = captureIo();
    const missing = "WS" + "0".repeat(32);
    assert.equal(await run(args(missing), c.io), 1);
    assert.match(
      c.err(),
      new RegExp(`^reading TaskRouter Workspace ${missing}: .+\\[code 20404, status 404\\]\\n$`),
    );
  });

  it("exits 1 when --number is not owned by the account", async () => {
    const sid = await deploy(fx.client, loadStack("stacks/dev.yaml").spec);
    const c = captureIo();
    assert.equal(await run(args(sid, "--number", "+15555559999"), c.io), 1);
    assert.equal(c.err(), "--number +15555559999: the account does not own it\n");
  });

  it("exits 1 naming the workflows when the workspace has several and none was chosen", async () => {
    const sid = await deploy(fx.client, loadStack("stacks/dev.yaml").spec);
    const api = fx.client.taskrouter.v1.workspaces(sid);
    const [queue] = await api.taskQueues.list();
    const second = await api.workflows.create({
      friendlyName: "Second",
      configuration: JSON.stringify({ task_routing: { default_filter: { queue: queue!.sid } } }),
    });
    const first = (await api.workflows.list()).find((w) => w.friendlyName !== "Second")!;
    const c = captureIo();
    assert.equal(await run(args(sid), c.io), 1);
    assert.equal(
      c.err(),
      `workspace ${sid} has 2 workflows; choose one with --workflow: ` +
        `Language routing (${first.sid}), Second (${second.sid})\n`,
    );
    const chosen = captureIo();
    assert.equal(await run(args(sid, "--workflow", "Second"), chosen.io), 0, chosen.err());
  });

  it("reads --flag=value as --flag value", async () => {
    const sid = await deploy(fx.client, loadStack("stacks/dev.yaml").spec);
    const spaced = captureIo();
    const joined = captureIo();
    assert.equal(await run(args(sid, "--live-activities"), spaced.io), 0, spaced.err());
    const argv = [
      `--base-url=${fx.emu.url}`,
      `--account-sid=${TEST_ACCOUNT_SID}`,
      `--auth-token=${TEST_AUTH_TOKEN}`,
      `--workspace=${sid}`,
      "--live-activities",
    ];
    assert.equal(await run(argv, joined.io), 0, joined.err());
    assert.equal(joined.out(), spaced.out());
    assert.match(joined.out(), /^workers:$/m);
  });

  it("exits 2 on missing or malformed arguments", async () => {
    const c = captureIo();
    assert.equal(await run(["--base-url", "http://x"], c.io, {}), 2);
    assert.equal(await run(args("WSnope"), c.io, {}), 2);
    assert.equal(await run(["--colour"], c.io, {}), 2);
    const usage =
      "usage: npm run routing:export -- --base-url <url> --account-sid <AC…> --workspace <WS…> " +
      "[--auth-token <token>] [--out <file>] [--number <E.164>] [--workflow <WW…|name>] " +
      "[--post-work-activity <name>] [--live-activities]";
    assert.equal(
      c.err(),
      `missing --account-sid, --workspace; ${usage}\n` +
        `--workspace WSnope is not WS followed by 32 hex digits; ${usage}\n` +
        `unknown option "--colour"; ${usage}\n`,
    );
  });
});
