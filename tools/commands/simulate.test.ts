import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { captureIo } from "../testIo";
import { run } from "./simulate";

const PEAK = "stacks/scenarios/dev-peak-hour.yaml";

describe("routing:simulate command", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "routing-simulate-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints the same JSON for the same seed and exits 0", async () => {
    const a = captureIo();
    const b = captureIo();
    assert.equal(
      await run(["stacks/dev.yaml", "--scenario", PEAK, "--seed", "5", "--json"], a.io),
      0,
    );
    assert.equal(
      await run(["stacks/dev.yaml", "--scenario", PEAK, "--seed", "5", "--json"], b.io),
      0,
    );
    assert.equal(a.out(), b.out());
    const report = JSON.parse(a.out()) as { seed: number; stack: string; scenario: string };
    assert.deepEqual([report.seed, report.stack, report.scenario], [5, "stacks/dev.yaml", PEAK]);
  });

  it("reads --flag=value as --flag value", async () => {
    const spaced = captureIo();
    const joined = captureIo();
    await run(["stacks/dev.yaml", "--scenario", PEAK, "--seed", "5", "--json"], spaced.io);
    assert.equal(
      await run(["stacks/dev.yaml", `--scenario=${PEAK}`, "--seed=5", "--json"], joined.io),
      0,
    );
    assert.equal(joined.out(), spaced.out());
  });

  it("compares against a base with the same callers and shows only changed cells as deltas", async () => {
    // One target timeout doubled: the same callers, routed differently.
    const head = path.join(dir, "dev-longer-timeout.yaml");
    fs.writeFileSync(
      head,
      fs.readFileSync("stacks/dev.yaml", "utf8").replace(/timeout: 30/g, "timeout: 60"),
    );
    const c = captureIo();
    assert.equal(await run([head, "--scenario", PEAK, "--against", "stacks/dev.yaml"], c.io), 0);
    const lines = c.out().split("\n");
    assert.equal(lines[0], "## Simulation: Dev centre, peak hour");
    assert.equal(
      lines[2],
      `Before \`stacks/dev.yaml\` → after \`${head}\`; \`${PEAK}\`, 2026-12-07 10:00–11:00 (Europe/London), seed 1, 46 callers, the same callers on both sides.`,
    );
    const total = lines.find((l) => l.startsWith("| **all queues** |")) as string;
    assert.match(total, /^\| \*\*all queues\*\* \| 46 \| /);
    assert.match(total, / → .* \(([+−])/);

    const json = captureIo();
    await run([head, "--scenario", PEAK, "--against", "stacks/dev.yaml", "--json"], json.io);
    const { before, after } = JSON.parse(json.out()) as Record<
      string,
      { totals: { arrivals: number } }
    >;
    assert.equal(before!.totals.arrivals, after!.totals.arrivals);
  });

  it("exits 1 with the scenario's problems", async () => {
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(
      bad,
      'name: x\ndate: 2026-12-07\nhandleTime: 60\narrivals:\n  - { caller: { ivr: "9" }, at: ["10:00"] }\n',
    );
    const c = captureIo();
    assert.equal(await run(["stacks/dev.yaml", "--scenario", bad], c.io), 1);
    assert.equal(
      c.err(),
      `${bad}:5:22 error arrivals[0].caller.ivr: stacks/dev.yaml has no IVR option "9" (options: 1, 2)\n`,
    );
  });

  it("exits 1 naming the file, line and value of an order_by the routing engine could not run", async () => {
    const head = path.join(dir, "dev-bad-order.yaml");
    const text = fs.readFileSync("stacks/dev.yaml", "utf8");
    const at = text.indexOf("timeout: 30");
    fs.writeFileSync(
      head,
      `${text.slice(0, at)}orderBy: worker.level SIDEWAYS; DROP TABLE\n          ${text.slice(at)}`,
    );
    const line = text.slice(0, at).split("\n").length;
    const column = at - text.lastIndexOf("\n", at - 1);
    const c = captureIo();
    assert.equal(await run([head, "--scenario", PEAK], c.io), 1);
    assert.match(
      c.err(),
      new RegExp(
        `${head.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line}:${column + 9} error workflow\\.filters\\[0\\]\\.targets\\[0\\]\\.orderBy: order_by "worker\\.level SIDEWAYS; DROP TABLE": cannot read`,
      ),
    );
    assert.equal(c.out(), "");
  });

  it("exits 2 on usage errors", async () => {
    const c = captureIo();
    assert.equal(await run(["stacks/dev.yaml"], c.io), 2);
    assert.equal(await run(["stacks/dev.yaml", "--scenario", PEAK, "--seed", "-1"], c.io), 2);
    assert.equal(await run([], c.io), 2);
    const usage =
      "usage: npm run routing:simulate -- <stack> --scenario <file> [--against <base>] [--seed <n>] [--json | --wallboard]";
    assert.equal(
      c.err(),
      `missing --scenario; ${usage}\n` +
        `--seed -1 is not a whole number from 0 to 4294967295; ${usage}\n` +
        `expected one stack, got 0; ${usage}\n`,
    );
  });
});
