// Finding the Pulumi CLI (tools/pulumiCli.ts) with stand-in binaries; the real CLI's offline run is
// pulumiCli.engine.test.ts.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findPulumiCli, HOST_STAMP, languageHostSourceHash, PULUMI_VERSION } from "./pulumiCli";

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
