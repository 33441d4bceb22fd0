import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useEmulator } from "../../emulator/testing";
import { loadStack } from "../../infra/taskrouter/loadStack";
import { captureIo } from "../testIo";
import { deploy } from "../testDeploy";
import { run, USAGE } from "./drift";

describe("routing:drift command (the local Twilio against the stack file)", () => {
  const fx = useEmulator();
  let root: string;
  const file = path.resolve("stacks/local.yaml");

  beforeEach(() => {
    fx.emu.reset();
    // A project root with the stack's settings pointing at this emulator and the repository's file.
    root = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
    fs.writeFileSync(
      path.join(root, "Pulumi.local.yaml"),
      stringify({
        config: {
          "twilio:accountSid": TEST_ACCOUNT_SID,
          "twilio:apiBaseUrl": fx.emu.url,
          "contact-centre:routingFile": file,
        },
      }),
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const drift = async (...argv: string[]) => {
    const io = captureIo();
    const code = await run(argv, io.io, { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN }, root);
    return { code, out: io.out(), err: io.err() };
  };

  it("reports no drift (exit 0) when the live workspace is the stack file, whatever the agents' activities", async () => {
    const sid = await deploy(fx.client, loadStack(file).spec);
    // Agents change activity all day: not drift.
    const ws = fx.client.taskrouter.v1.workspaces(sid);
    const [offline] = await ws.activities.list({ friendlyName: "Offline" });
    for (const w of await ws.workers.list()) {
      await ws.workers(w.sid).update({ activitySid: offline.sid });
    }
    const result = await drift("local");
    assert.deepEqual(result, {
      code: 0,
      out: `## Routing diff\n\nBase \`stacks/local.yaml\` → head \`live workspace "Contact Centre (local)" (${sid})\`\n\nNo routing changes.\n`,
      err: "",
    });
  });

  it("shows each drifted field and exits 2", async () => {
    const sid = await deploy(fx.client, loadStack(file).spec);
    const ws = fx.client.taskrouter.v1.workspaces(sid);
    const [english] = await ws.taskQueues.list({ friendlyName: "English" });
    await ws.taskQueues(english.sid).update({ targetWorkers: "1==1" });
    const [alice] = await ws.workers.list({ friendlyName: "Alice" });
    await ws.workers(alice.sid).update({ attributes: JSON.stringify({ languages: ["english"] }) });

    const result = await drift("local");
    assert.equal(result.code, 2, result.err);
    // Field by field, with the stack file's names (queue keys) and nothing about activities.
    const rows = result.out.split("\n").filter((l) => /^\| (Alice|english) \|/.test(l));
    assert.deepEqual(rows, [
      "| Alice | attributes.contact_uri | `client:alice` | — |",
      '| english | targetWorkers | `languages HAS "english"` | `1==1` |',
    ]);
    assert.doesNotMatch(result.out, /### Activities/);
  });

  it("reports a workspace that is not live as drift", async () => {
    const result = await drift("local");
    assert.deepEqual(result, {
      code: 2,
      out:
        '## Drift\n\nNo workspace named "Contact Centre (local)" in account ' +
        `${TEST_ACCOUNT_SID}: nothing of stacks/local.yaml is live.\n`,
      err: "",
    });
  });

  it("reads --flag=value as --flag value", async () => {
    const c = captureIo();
    const argv = ["local", `--file=${file}`, `--auth-token=${TEST_AUTH_TOKEN}`];
    assert.equal(await run(argv, c.io, {}, root), 2, c.err());
    assert.equal(
      c.out(),
      '## Drift\n\nNo workspace named "Contact Centre (local)" in account ' +
        `${TEST_ACCOUNT_SID}: nothing of stacks/local.yaml is live.\n`,
    );
  });

  it("refuses bad usage with exit 2 and the usage", async () => {
    assert.deepEqual(await drift(), {
      code: 2,
      out: "",
      err: `expected one stack name, got 0\n${USAGE}\n`,
    });
    const noToken = captureIo();
    assert.equal(await run(["local"], noToken.io, {}, root), 2);
    assert.equal(noToken.err(), `local: missing --auth-token (or TWILIO_AUTH_TOKEN)\n${USAGE}\n`);
  });
});
