import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LOCAL_DIR, REPO_ROOT } from "../localStack";
import { parse, stringify } from "yaml";
import { run, startLocal, startPaths, USAGE, type PreviewResult, type StartResult } from "./start";

describe("npm start", function () {
  // Each run: the engine (several processes) and a demo call on the real clock (about 8 s).
  this.timeout(180_000);

  it("refuses an unknown argument with the usage and exit code 2", async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => (written.push(text), true)) as typeof write;
    try {
      assert.equal(await run(["--yes"]), 2);
      assert.equal(await run(["--routing", "stacks/nope.yaml"]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(
      written.join(""),
      `start: Unknown option '--yes'\n${USAGE}\n` +
        `start: --routing stacks/nope.yaml: no such file\n${USAGE}\n`,
    );
  });

  describe("run twice in a fresh directory", () => {
    let dir: string;
    const runs: { result: StartResult; output: string }[] = [];
    let preview: { result: PreviewResult; output: string };
    let applied: StartResult;
    let variant: string;
    const committed = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.local.yaml"), "utf8");

    before(async function () {
      this.timeout(45 * 60_000); // may build the CLI first (CI builds it before the tests)
      fs.mkdirSync(LOCAL_DIR, { recursive: true });
      dir = fs.mkdtempSync(path.join(LOCAL_DIR, "start-test-"));
      for (let i = 0; i < 2; i++) {
        let output = "";
        const result = await startLocal({
          dir,
          out: { write: (text: string) => (output += text) },
        });
        runs.push({ result, output });
      }
      // Then another stack file: previewed (nothing applied), then applied with --routing.
      const spec = parse(fs.readFileSync(path.join(REPO_ROOT, "stacks/local.yaml"), "utf8"));
      spec.workspace.queueOrder = "LIFO";
      variant = path.join(dir, "lifo.yaml");
      fs.writeFileSync(variant, stringify(spec));
      let output = "";
      const out = { write: (text: string) => (output += text) };
      preview = {
        result: await startLocal({ dir, out, routingFile: variant, preview: true }),
        output,
      };
      applied = await startLocal({ dir, out: { write: () => true }, routingFile: variant });
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("creates the stack on the first run and routes the demo call to Shyam", () => {
      assert.deepEqual(runs[0].result, {
        stack: "local",
        changes: { create: 16, update: 0, replace: 0, delete: 0, same: 0 },
        demoCall: { outcome: "bridged", assignedWorker: "Shyam", bridgedTo: "client:shyam" },
      });
      assert.match(runs[0].output, /^Stack local: 16 created, 0 unchanged$/m);
      assert.match(
        runs[0].output,
        /^Outcome: bridged; queue Hindi; worker Shyam; bridged to client:shyam$/m,
      );
    });

    it("shows no changes on the second run and routes the demo call again", () => {
      assert.deepEqual(runs[1].result, {
        stack: "local",
        changes: { create: 0, update: 0, replace: 0, delete: 0, same: 16 },
        demoCall: { outcome: "bridged", assignedWorker: "Shyam", bridgedTo: "client:shyam" },
      });
      assert.match(runs[1].output, /^Stack local: no changes \(16 unchanged\)$/m);
      assert.match(
        runs[1].output,
        /^Shyam finishes Wrap-Up from the previous demo call: now Available\.$/m,
      );
    });

    it("previews another stack file with per-operation counts and each resource's operation, applying nothing", () => {
      const { result, output } = preview;
      assert.deepEqual(result.counts, {
        same: 14,
        update: 1,
        replace: 0,
        create: 0,
        delete: 0,
        adopt: 0,
      });
      // The ContactCentre component and its 14 Twilio objects (the stack itself is not listed).
      assert.equal(result.resources.length, 15);
      assert.deepEqual(
        result.resources.filter((r) => r.op !== "same"),
        [
          {
            name: "contact-centre-workspace",
            type: "Workspace",
            op: "update",
            fields: ["prioritizeQueueOrder"],
          },
        ],
      );
      assert.match(
        output,
        /^ {2}update +Workspace +contact-centre-workspace +prioritizeQueueOrder$/m,
      );
      // Nothing was applied: the up that follows still has that one update to make.
      assert.deepEqual(applied, {
        stack: "local",
        changes: { create: 0, update: 1, replace: 0, delete: 0, same: 15 },
      });
    });

    it("keeps its files in its own directory and never rewrites the committed Pulumi.local.yaml", () => {
      const paths = startPaths(dir);
      for (const file of [paths.emulatorState, paths.ports, paths.projectDir, paths.stateDir]) {
        assert.equal(fs.existsSync(file), true, file);
      }
      assert.equal(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.local.yaml"), "utf8"), committed);
    });
  });
});
