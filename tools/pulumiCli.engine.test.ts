// Proof that the real engine runs offline: the CLI from findPulumiCli, our language host and the
// dynamic-provider plugin drive tools/pulumi-cli/fixture (one TypeScript dynamic resource owning a
// file) through up, a no-change preview, an update, refresh and destroy against a file backend.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { engineCli } from "./engineTest";
import { offlineEnv, pulumiCommand, PulumiCli, PULUMI_VERSION } from "./pulumiCli";

const REPO = path.resolve(__dirname, "..");
const FIXTURE = path.join(__dirname, "pulumi-cli", "fixture");
const TOKEN = "fixture-token-7f3c9a1e-never-in-state";

describe("the offline Pulumi CLI", function () {
  // Each engine operation starts the CLI, the language host, node with ts-node and the provider.
  this.timeout(60_000);

  let cli: PulumiCli;
  let work: string;
  let stack: Stack;
  let target: string;
  let stateFile: string;

  before(async function () {
    // A first build compiles the CLI from Go modules (minutes); normally CI has built it already.
    this.timeout(45 * 60_000);
    cli = await engineCli();

    // The program is copied under .local/ (gitignored) so Pulumi.<stack>.yaml never lands in the
    // fixture, and so @pulumi/pulumi resolves from the repository's node_modules for both the
    // program and the dynamic provider (whose working directory is the program directory).
    fs.mkdirSync(path.join(REPO, ".local"), { recursive: true });
    work = fs.mkdtempSync(path.join(REPO, ".local", "pulumi-cli-test-"));
    const programDir = path.join(work, "program");
    fs.cpSync(FIXTURE, programDir, { recursive: true });
    target = path.join(work, "greeting.txt");
    const stateDir = path.join(work, "state");
    fs.mkdirSync(stateDir);
    stateFile = path.join(stateDir, ".pulumi", "stacks", "pulumi-cli-fixture", "test.json");

    const home = path.join(work, "home");
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "test", workDir: programDir },
      {
        pulumiCommand: await pulumiCommand(cli),
        pulumiHome: home,
        envVars: { ...offlineEnv(stateDir, home), PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      },
    );
    await stack.setConfig("path", { value: target });
    await stack.setConfig("content", { value: "hello" });
    await stack.setConfig("token", { value: TOKEN, secret: true });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("uses the pinned CLI version", () => {
    assert.equal(cli.version, PULUMI_VERSION);
    assert.equal(cli.bin, path.join(cli.root, "bin", "pulumi"));
  });

  it("creates the dynamic resource on up", async () => {
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { create: 2 });
    assert.equal(fs.readFileSync(target, "utf8"), "hello");
    assert.deepEqual(result.outputs.filePath, { value: target, secret: false });
  });

  it("previews no changes right after up", async () => {
    const result = await stack.preview({ expectNoChanges: true });
    assert.deepEqual(result.changeSummary, { same: 2 });
  });

  it("updates exactly one resource when an input changes", async () => {
    await stack.setConfig("content", { value: "hello again" });
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { update: 1, same: 1 });
    assert.equal(fs.readFileSync(target, "utf8"), "hello again");
  });

  it("refreshes without changes when the file matches the state", async () => {
    const result = await stack.refresh({ expectNoChanges: true });
    assert.deepEqual(result.summary.resourceChanges, { same: 2 });
  });

  it("keeps a secret set with config set --secret out of the state file", () => {
    const state = fs.readFileSync(stateFile, "utf8");
    assert.equal(state.includes(TOKEN), false);
    assert.equal(state.includes('"ciphertext"'), true);
  });

  it("deletes the file on destroy and removes the stack", async () => {
    const result = await stack.destroy();
    assert.deepEqual(result.summary.resourceChanges, { delete: 2 });
    assert.equal(fs.existsSync(target), false);
    await stack.workspace.removeStack("test");
    assert.equal(fs.existsSync(stateFile), false);
  });
});
