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

  it("carries the voicemail, callback and out-of-hours counts in --json, before and after a change to hours and maximum wait", async () => {
    // Head: no maximum wait, and both lines open around the clock. Nobody then leaves a queue at a
    // maximum wait or finds a line closed; the callers are the same, so only those counts move.
    const dev = fs.readFileSync("stacks/dev.yaml", "utf8");
    const head = path.join(dir, "dev-always-open.yaml");
    fs.writeFileSync(
      head,
      dev.replace(/\n {4}maxWait: 120/g, "").replace(/\n {4}hours:\n(?: {6}.*\n)+/g, "\n"),
    );
    const day = "stacks/scenarios/dev-normal-day.yaml";
    const c = captureIo();
    assert.equal(
      await run([head, "--scenario", day, "--against", "stacks/dev.yaml", "--json"], c.io),
      0,
      c.err(),
    );
    type Counts = Record<string, number>;
    const { before, after } = JSON.parse(c.out()) as Record<
      string,
      {
        totals: Counts;
        lines: Record<string, Counts>;
        hours: Record<string, Counts>;
        queues: Record<string, Counts>;
      }
    >;
    const b = before!;
    const a = after!;
    assert.equal(a.totals.arrivals, b.totals.arrivals);
    assert.ok(b.totals.outOfHours > 0 && b.totals.leftAtMaxWait > 0, JSON.stringify(b.totals));
    assert.deepEqual(
      [
        a.totals.outOfHours,
        a.totals.leftAtMaxWait,
        a.lines.main!.outOfHours,
        a.hours["08:00"]!.outOfHours,
      ],
      [0, 0, 0, 0],
    );
    // Before, the lines' and hours' counts add up to the totals, and the early callers found the lines closed.
    const sum = (rows: Record<string, Counts>, f: string) =>
      Object.values(rows).reduce((n, r) => n + r[f]!, 0);
    for (const f of ["voicemails", "callbacks", "outOfHours"]) {
      assert.equal(sum(b.lines, f), b.totals[f], f);
      assert.equal(sum(b.hours, f), b.totals[f], f);
    }
    assert.ok(b.hours["08:00"]!.outOfHours > 0 && b.hours["17:00"]!.outOfHours > 0);
    assert.equal(
      sum(b.hours, "outOfHours"),
      b.hours["08:00"]!.outOfHours + b.hours["17:00"]!.outOfHours,
    );
    // Without a maximum wait, nobody in a queue is offered the exits (the workflow never ends a call).
    assert.equal(sum(a.queues, "voicemails") + sum(a.queues, "callbacks"), 0);
    assert.equal(a.totals.voicemails + a.totals.callbacks + a.totals.noExit, 0);
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
