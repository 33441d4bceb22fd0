import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "./validate";

/** The 1-based line of the first line of `text` that starts with `start`. */
const lineOf = (text: string, start: string): number =>
  text.split("\n").findIndex((line) => line.startsWith(start)) + 1;

async function runCaptured(argv: string[]): Promise<{ code: number; output: string }> {
  let output = "";
  const code = await run(argv, { write: (text: string) => (output += text) });
  return { code, output };
}

describe("routing:validate", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "routing-validate-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("passes every shipped stack with one summary line each", async () => {
    assert.deepEqual(await runCaptured([]), {
      code: 0,
      output: [
        "stacks/dev.yaml: ok (4 activities, 3 workers, 3 queues, 2 filters) — 0 warnings",
        "stacks/local.yaml: ok (4 activities, 3 workers, 3 queues, 2 filters) — 0 warnings",
        "stacks/prod.yaml: ok (4 activities, 4 workers, 3 queues, 2 filters) — 0 warnings",
        "stacks/staging.yaml: ok (4 activities, 4 workers, 3 queues, 2 filters) — 0 warnings",
        "",
      ].join("\n"),
    });
  });

  it("fails on a copy of dev.yaml whose workflow names an unknown queue, naming file, line and queue", async () => {
    const text = fs.readFileSync("stacks/dev.yaml", "utf8");
    const broken = text.replace("        - queue: hindi\n", "        - queue: hindii\n");
    assert.notEqual(broken, text);
    const file = path.join(dir, "dev.yaml");
    fs.writeFileSync(file, broken);
    const queueLine = lineOf(broken, "  hindi:");
    const targetLine = lineOf(broken, "        - queue: hindii");
    assert.deepEqual(await runCaptured([file]), {
      code: 1,
      output:
        `${file}:${queueLine}:3 warning queues.hindi: no filter target or default target routes to this queue\n` +
        `${file}:${targetLine}:18 error workflow.filters[1].targets[0].queue: unknown queue "hindii" (known: english, everyone, hindi)\n` +
        `${file}: failed — 1 error, 1 warning\n`,
    });
  });

  it("prints warnings and still passes when there is no error", async () => {
    const text = fs.readFileSync("stacks/dev.yaml", "utf8");
    const file = path.join(dir, "dev.yaml");
    const changed = text.replace(
      'targetWorkers: languages HAS "hindi"',
      'targetWorkers: languages HAS "tamil"',
    );
    fs.writeFileSync(file, changed);
    const line = lineOf(changed, '    targetWorkers: languages HAS "tamil"');
    assert.deepEqual(await runCaptured([file]), {
      code: 0,
      output:
        `${file}:${line}:20 warning queues.hindi.targetWorkers: no worker matches "languages HAS \\"tamil\\""\n` +
        `${file}: ok (4 activities, 3 workers, 3 queues, 2 filters) — 1 warning\n`,
    });
  });

  it("checks every file given and fails when any fails", async () => {
    const missing = path.join(dir, "missing.yaml");
    assert.deepEqual(await runCaptured(["stacks/dev.yaml", missing]), {
      code: 1,
      output:
        "stacks/dev.yaml: ok (4 activities, 3 workers, 3 queues, 2 filters) — 0 warnings\n" +
        `${missing}:1:1 error cannot read: no such file\n` +
        `${missing}: failed — 1 error, 0 warnings\n`,
    });
  });

  it("rejects an unknown option with usage", async () => {
    assert.deepEqual(await runCaptured(["--fix"]), {
      code: 2,
      output: 'unknown option "--fix"; usage: npm run routing:validate [-- <stack files>]\n',
    });
  });
});
