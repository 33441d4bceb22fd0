// build.sh keeps the cached language host in step with languagehost/ (the CLI itself is only
// rebuilt when missing): with a stand-in `pulumi` of the pinned version in a temporary cache root,
// the script builds the real language host when the stamp is missing or stale, then does nothing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUILD_SCRIPT, HOST_STAMP, languageHostSourceHash, PULUMI_VERSION } from "../pulumiCli";

describe("tools/pulumi-cli/build.sh and the language host's source stamp", function () {
  // A cold Go cache downloads the sdk module before compiling the host (warm: a few seconds).
  this.timeout(10 * 60_000);
  let root: string;
  let bin: string;

  /** Runs build.sh; returns what it said (stderr and stdout together). Throws when it fails. */
  const said = () =>
    execFileSync("bash", ["-c", 'bash "$0" 2>&1', BUILD_SCRIPT], {
      env: { ...process.env, PULUMI_OFFLINE_ROOT: root },
      encoding: "utf8",
    });

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-build-"));
    bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    // Stand-ins for the 7-minute CLI and the launcher: only their presence and version matter.
    for (const f of ["pulumi", "pulumi-resource-pulumi-nodejs"]) {
      fs.writeFileSync(path.join(bin, f), `#!/bin/sh\necho ${PULUMI_VERSION}\n`, { mode: 0o755 });
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("builds only the language host when it has no stamp, then does nothing", () => {
    assert.equal(
      said(),
      `[pulumi-cli] Pulumi CLI ${PULUMI_VERSION} already built in ${bin}; rebuilding pulumi-language-nodejs (its source changed)\n` +
        `[pulumi-cli] pulumi-language-nodejs rebuilt in ${bin}\n`,
    );
    const host = path.join(bin, "pulumi-language-nodejs");
    assert.equal(execFileSync(host, ["-version"], { encoding: "utf8" }), `${PULUMI_VERSION}\n`);
    assert.equal(
      fs.readFileSync(path.join(bin, HOST_STAMP), "utf8"),
      `${languageHostSourceHash()}\n`,
    );
    assert.equal(said(), `[pulumi-cli] Pulumi CLI ${PULUMI_VERSION} already built in ${bin}\n`);
  });

  it("rebuilds the language host when the stamp is of other source", () => {
    const host = path.join(bin, "pulumi-language-nodejs");
    fs.writeFileSync(host, "#!/bin/sh\necho stale\n", { mode: 0o755 });
    fs.writeFileSync(path.join(bin, HOST_STAMP), "0".repeat(64) + "\n");
    assert.match(said(), /rebuilding pulumi-language-nodejs \(its source changed\)/);
    assert.equal(execFileSync(host, ["-version"], { encoding: "utf8" }), `${PULUMI_VERSION}\n`);
    assert.equal(
      fs.readFileSync(path.join(bin, HOST_STAMP), "utf8"),
      `${languageHostSourceHash()}\n`,
    );
    assert.deepEqual(fs.readdirSync(root), ["bin"], "no temporary build directory is left");
  });
});
