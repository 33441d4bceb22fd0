// The real engine (offline Pulumi CLI, tools/pulumiCli.ts) drives the providers against a fresh
// emulator: up, a no-change preview, a no-change refresh (state = Twilio), and destroy.
// This proves the thin serialized providers load the implementation and read the stack config.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { engineCli } from "../../../tools/engineTest";
import { offlineEnv, pulumiCommand } from "../../../tools/pulumiCli";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useProviders } from "./testing";

const REPO = path.resolve(__dirname, "../../..");

describe("ContactCentre under the real engine", function () {
  this.timeout(120_000);
  const fx = useProviders();
  let work: string;
  let stack: Stack;
  let stateFile: string;

  before(async function () {
    this.timeout(45 * 60_000); // a first build of the CLI compiles it from Go modules
    const cli = await engineCli();
    fs.mkdirSync(path.join(REPO, ".local"), { recursive: true });
    work = fs.mkdtempSync(path.join(REPO, ".local", "engine-test-"));
    const programDir = path.join(work, "program");
    fs.cpSync(path.join(__dirname, "engineFixture"), programDir, { recursive: true });
    const stateDir = path.join(work, "state");
    fs.mkdirSync(stateDir);
    stateFile = path.join(
      stateDir,
      ".pulumi",
      "stacks",
      "contact-centre-engine-fixture",
      "test.json",
    );
    const home = path.join(work, "home");
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "test", workDir: programDir },
      {
        pulumiCommand: await pulumiCommand(cli),
        pulumiHome: home,
        envVars: {
          ...offlineEnv(stateDir, home),
          PULUMI_NODEJS_TRANSPILE_ONLY: "true",
          CONTACT_CENTRE_ROOT: REPO,
        },
      },
    );
  });

  beforeEach(async () => {
    // useProviders resets the emulator before each test; the stack follows the emulator's URL.
    await stack.setAllConfig({
      "twilio:accountSid": { value: TEST_ACCOUNT_SID },
      "twilio:authToken": { value: TEST_AUTH_TOKEN, secret: true },
      "twilio:apiBaseUrl": { value: fx.emu.url },
    });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("creates, previews and refreshes without changes, then destroys, leaving nothing behind", async () => {
    const up = await stack.up();
    // The stack, the component and dev.yaml's 15 Twilio objects (two lines: two numbers).
    assert.deepEqual(up.summary.resourceChanges, { create: 17 });
    const ws = up.outputs.workspaceSid.value as string;
    const tr = fx.client.taskrouter.v1.workspaces(ws);
    assert.equal((await tr.workers.list()).length, 3);
    assert.equal((await tr.activities.list()).length, 4);

    const preview = await stack.preview({ expectNoChanges: true });
    assert.deepEqual(preview.changeSummary, { same: 17 });
    const refresh = await stack.refresh({ expectNoChanges: true });
    assert.deepEqual(refresh.summary.resourceChanges, { same: 17 });

    const state = fs.readFileSync(stateFile, "utf8");
    assert.equal(state.includes(TEST_AUTH_TOKEN), false);

    // Every worker sits in Wrap-Up, an activity none of them declares: destroy must still delete the
    // workers before any activity (Twilio refuses to delete an activity a worker is in).
    const wrapUp = (up.outputs.activitySids.value as Record<string, string>)["Wrap-Up"];
    for (const worker of await tr.workers.list()) {
      await tr.workers(worker.sid).update({ activitySid: wrapUp });
    }
    assert.deepEqual(
      (await tr.workers.list()).map((w) => w.activityName),
      ["Wrap-Up", "Wrap-Up", "Wrap-Up"],
    );
    const down = await stack.destroy();
    assert.deepEqual(down.summary.resourceChanges, { delete: 17 });
    assert.deepEqual(await fx.client.taskrouter.v1.workspaces.list(), []);
    await stack.workspace.removeStack("test");
  });
});
