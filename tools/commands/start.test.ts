import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LOCAL_DIR, REPO_ROOT } from "../localStack";
import { run, USAGE } from "./start";

// What `npm start` refuses before it starts anything; its runs under the real engine are
// start.engine.test.ts.
describe("npm start", () => {
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
      `start: unknown option "--yes"\n${USAGE}\n` +
        `start: --routing stacks/nope.yaml: no such file\n${USAGE}\n`,
    );
  });

  it("reads --routing=<file> as --routing <file>", async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => (written.push(text), true)) as typeof write;
    try {
      assert.equal(await run(["--preview", "--routing=stacks/nope.yaml"]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(written.join(""), `start: --routing stacks/nope.yaml: no such file\n${USAGE}\n`);
  });

  it("reports a stack file's validation errors by file, line and path, without a stack trace", async () => {
    fs.mkdirSync(LOCAL_DIR, { recursive: true });
    const dir = fs.mkdtempSync(path.join(LOCAL_DIR, "start-bad-"));
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(path.join(REPO_ROOT, "stacks/local.yaml"), "utf8")
        .replace("- queue: hindi\n", "- queue: hindu\n"),
    );
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => (written.push(text), true)) as typeof write;
    try {
      assert.equal(await run(["--preview", "--routing", bad]), 1);
    } finally {
      process.stderr.write = write;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(
      written.join(""),
      `start: failed: ${bad}: 1 error, 1 warning\n` +
        `  ${bad}:42:3 warning queues.hindi: no filter target or default target routes to this queue\n` +
        `  ${bad}:62:18 error workflow.filters[1].targets[0].queue: unknown queue "hindu" (known: english, everyone, hindi)\n`,
    );
  });
});
