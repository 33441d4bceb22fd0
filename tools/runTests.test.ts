// The fast loop's split (tools/runTests.ts) and its guard (tools/fastTestGuard.ts): a real-engine
// test that is not named *.engine.test.ts fails `npm run test:fast` with the convention's name.
import assert from "node:assert/strict";
import childProcess from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { refuseRealEngine, REFUSAL } from "./fastTestGuard";
import { BUILD_SCRIPT, offlineRoot } from "./pulumiCli";
import { countsOf, engineFiles, engineLanes, fastGroups } from "./runTests";

const ROOT = path.resolve(__dirname, "..");

describe("npm test's engine lanes", () => {
  const { mocha } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

  it("finds every *.engine.test.ts the repository holds, and nothing else", () => {
    const tracked = childProcess
      .execFileSync("git", ["ls-files", "*.engine.test.ts"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "")
      .sort();
    assert.deepEqual(engineFiles(ROOT, mocha), tracked);
  });

  it("spreads the engine files over two lanes of about equal measured time, longest first", () => {
    const files = [
      "infra/index.engine.test.ts",
      "infra/planIsTheChange.engine.test.ts",
      "infra/refusedBeforeWrites.engine.test.ts",
      "infra/survivesFaults.engine.test.ts",
      "policy/index.engine.test.ts",
      "tools/commands/start.engine.test.ts",
      "tools/pulumiCli.engine.test.ts",
    ];
    assert.deepEqual(
      engineLanes(mocha, files).map((lane) => lane.spec),
      [
        ["infra/planIsTheChange.engine.test.ts", "tools/pulumiCli.engine.test.ts"],
        [
          "infra/index.engine.test.ts",
          "tools/commands/start.engine.test.ts",
          "infra/survivesFaults.engine.test.ts",
          "policy/index.engine.test.ts",
          "infra/refusedBeforeWrites.engine.test.ts",
        ],
      ],
    );
    assert.equal(engineLanes(mocha, files)[0].require, mocha.require);
  });

  it("adds up mocha's counts from each group's output", () => {
    const output = "  ✔ one\n\n  12 passing (3s)\n  1 pending\n  2 failing\n\n  1) x\n";
    assert.deepEqual(countsOf(output), { passing: 12, failing: 2, pending: 1 });
    assert.deepEqual(countsOf("crashed before any test"), { passing: 0, failing: 0, pending: 0 });
  });
});

describe("npm run test:fast", () => {
  it("runs package.json's mocha settings in two groups, the emulator's and the rest, without *.engine.test.ts", () => {
    const { mocha } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const common = {
      ...mocha,
      ignore: ["**/*.engine.test.ts"],
      require: [...mocha.require, path.join(__dirname, "fastTestGuard.ts")],
    };
    assert.deepEqual(fastGroups(mocha), [
      { ...common, spec: ["emulator/**/*.test.ts"] },
      { ...common, spec: ["infra/**/*.test.ts", "tools/**/*.test.ts", "policy/**/*.test.ts"] },
    ]);
  });

  describe("its guard", () => {
    let dir: string;
    let undo: () => void;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "fast-guard-"));
      undo = refuseRealEngine();
    });
    after(() => {
      undo();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("refuses to start the real Pulumi CLI or its build, naming the convention", async () => {
      const pulumi = path.join(offlineRoot(), "bin", "pulumi");
      const refusal = { message: `${pulumi} ${REFUSAL}` };
      assert.throws(() => childProcess.spawn(pulumi, ["version"]), refusal);
      assert.throws(() => childProcess.execFileSync(pulumi, ["version"]), refusal);
      await assert.rejects(promisify(childProcess.execFile)(pulumi, ["version"]), refusal);
      assert.throws(() => childProcess.spawnSync("bash", [BUILD_SCRIPT]), {
        message: `${BUILD_SCRIPT} ${REFUSAL}`,
      });
    });

    it("lets a stand-in pulumi run", () => {
      const standIn = path.join(dir, "pulumi");
      fs.writeFileSync(standIn, "#!/bin/sh\necho stand-in\n", { mode: 0o755 });
      assert.equal(childProcess.execFileSync(standIn, { encoding: "utf8" }), "stand-in\n");
    });
  });
});
