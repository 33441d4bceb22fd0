// Proof that the real engine runs offline: the CLI from findPulumiCli, our language host and the
// dynamic-provider plugin drive tools/pulumi-cli/fixture (one TypeScript dynamic resource owning a
// file) through up, a no-change preview, an update, refresh and destroy against a file backend.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import {
  findPulumiCli,
  HOST_STAMP,
  languageHostSourceHash,
  offlineEnv,
  pulumiCommand,
  PulumiCli,
  PULUMI_VERSION,
} from "./pulumiCli";

const REPO = path.resolve(__dirname, "..");
const FIXTURE = path.join(__dirname, "pulumi-cli", "fixture");
const TOKEN = "fixture-token-7f3c9a1e-never-in-state";
const PLUGIN_FILES = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

describe("finding the Pulumi CLI", () => {
  const saved = { PATH: process.env.PATH, PULUMI_OFFLINE_ROOT: process.env.PULUMI_OFFLINE_ROOT };
  let dir: string;
  let cacheRoot: string;

  /** A stand-in `pulumi` printing `version`, with the two plugins beside it when `plugins`. */
  function fakeCli(binDir: string, version: string, plugins = true): string {
    fs.mkdirSync(binDir, { recursive: true });
    const files = ["pulumi", ...(plugins ? PLUGIN_FILES : [])];
    for (const f of files) {
      fs.writeFileSync(path.join(binDir, f), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
    }
    return path.join(binDir, "pulumi");
  }

  /** What build.sh writes next to the language host it built. */
  function stamp(hash: string): void {
    fs.writeFileSync(path.join(cacheRoot, "bin", HOST_STAMP), `${hash}\n`);
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "find-pulumi-"));
    cacheRoot = path.join(dir, "cache");
    process.env.PULUMI_OFFLINE_ROOT = cacheRoot;
    process.env.PATH = "";
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("uses a pulumi on PATH that reports the pinned version and has its plugins beside it", async () => {
    const bin = fakeCli(path.join(dir, "tools", "bin"), PULUMI_VERSION);
    process.env.PATH = path.dirname(bin);
    assert.deepEqual(await findPulumiCli({ build: false }), {
      root: path.join(dir, "tools"),
      bin,
      version: PULUMI_VERSION,
      source: "path",
    });
  });

  it("ignores a pulumi on PATH of another version, saying why, and takes the cached build", async () => {
    const other = fakeCli(path.join(dir, "other", "bin"), "v3.1.0");
    process.env.PATH = path.dirname(other);
    fakeCli(path.join(cacheRoot, "bin"), PULUMI_VERSION);
    stamp(languageHostSourceHash());
    const log: string[] = [];
    assert.deepEqual(await findPulumiCli({ build: false, log: (l) => log.push(l) }), {
      root: cacheRoot,
      bin: path.join(cacheRoot, "bin", "pulumi"),
      version: PULUMI_VERSION,
      source: "cache",
    });
    assert.deepEqual(log, [`ignoring ${other} reports version v3.1.0, need ${PULUMI_VERSION}`]);
  });

  it("does not take a cached build whose language host was built from other source", async () => {
    fakeCli(path.join(cacheRoot, "bin"), PULUMI_VERSION);
    stamp("0".repeat(64));
    await assert.rejects(findPulumiCli({ build: false }), (err: Error) =>
      err.message.includes(
        `no complete ${PULUMI_VERSION} build in ${path.join(cacheRoot, "bin")} (or its language host was built from other source)`,
      ),
    );
  });

  it("says how to install or build the CLI when none is usable and building is off", async () => {
    const bare = fakeCli(path.join(dir, "bare", "bin"), PULUMI_VERSION, false);
    process.env.PATH = path.dirname(bare);
    fakeCli(path.join(cacheRoot, "bin"), PULUMI_VERSION, false); // an interrupted build
    const bin = path.join(cacheRoot, "bin");
    await assert.rejects(findPulumiCli({ build: false }), {
      message:
        `Pulumi CLI ${PULUMI_VERSION} not found (${bare} is ${PULUMI_VERSION} but ` +
        `pulumi-language-nodejs and pulumi-resource-pulumi-nodejs are neither beside it nor on PATH; ` +
        `no complete ${PULUMI_VERSION} build in ${bin} (or its language host was built from other source)). ` +
        `Install the Pulumi CLI ${PULUMI_VERSION} with its bundled plugins on PATH ` +
        `(online: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0), ` +
        `or build it offline into ${bin} with: bash tools/pulumi-cli/build.sh ` +
        `(needs Go >= 1.25.11 and the Go module proxy; 5-12 minutes on 2 cores the first time).`,
    });
  });
});

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
    cli = await findPulumiCli({ log: (line) => process.stderr.write(`      ${line}\n`) });

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
