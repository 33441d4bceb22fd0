import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadStackRef, run } from "./diff";
import { captureIo } from "../testIo";
import { editStackYaml } from "../../infra/taskrouter/testFixtures";

/** The fixture stack with the Hindi target's timeout and Alice's languages set per test. */
const stack = (timeout: number, aliceLanguages = "[english]"): string =>
  editStackYaml("timeout: 60", `timeout: ${timeout}`).replace(
    'languages: [english], contact_uri: "client:alice"',
    `languages: ${aliceLanguages}, contact_uri: "client:alice"`,
  );

describe("routing:diff command", () => {
  let dir: string;
  let cwd: string;
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "routing-diff-"));
    fs.mkdirSync(path.join(dir, "stacks"));
    git("init", "-q", "-b", "main");
    git("config", "user.email", "test@example.invalid");
    git("config", "user.name", "Test");
    fs.writeFileSync(path.join(dir, "stacks/base.yaml"), stack(60));
    // An overlay: at a revision, `extends` must be read from the same revision.
    fs.writeFileSync(
      path.join(dir, "stacks/prod.yaml"),
      "extends: base.yaml\nworkspace:\n  friendlyName: Prod centre\n",
    );
    git("add", "stacks");
    git("commit", "-q", "-m", "base");
    fs.writeFileSync(path.join(dir, "stacks/base.yaml"), stack(90, "[english, hindi]"));
    cwd = process.cwd();
    process.chdir(dir);
  });

  after(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints the no-change message and exits 0 when both sides route the same", async () => {
    const c = captureIo();
    assert.equal(await run(["HEAD:stacks/base.yaml", "HEAD:stacks/base.yaml"], c.io), 0);
    assert.equal(
      c.out(),
      "## Routing diff\n\nBase `HEAD:stacks/base.yaml` → head `HEAD:stacks/base.yaml`\n\nNo routing changes.\n",
    );
    assert.equal(c.err(), "");
  });

  it("compares a git revision with the working file and exits 0", async () => {
    const c = captureIo();
    assert.equal(await run(["HEAD:stacks/base.yaml", "stacks/base.yaml"], c.io), 0);
    const text = c.out();
    assert.equal(
      text.split("### Workers")[0],
      [
        "## Routing diff",
        "",
        "Base `HEAD:stacks/base.yaml` → head `stacks/base.yaml`",
        "",
        "### Who is affected",
        "",
        "| worker | queue | change |",
        "|---|---|---|",
        "| Alice | hindi | starts matching |",
        "",
        "1 of 3 kinds of caller route differently.",
        "",
        "| caller | task attributes | route before | route after |",
        "|---|---|---|---|",
        '| IVR 2 "Hindi" | `{"lang":"hindi"}` | `Hindi: hindi (60 s) → english` | `Hindi: hindi (90 s) → english` |',
        "",
        "",
      ].join("\n"),
    );
  });

  it("reads what a stack extends from the same revision", () => {
    const { spec } = loadStackRef("HEAD:stacks/prod.yaml");
    assert.equal(spec.source, "HEAD:stacks/prod.yaml");
    assert.equal(spec.workspace.friendlyName, "Prod centre");
    assert.deepEqual(spec.workflow.filters[0]?.targets[0], { queue: "hindi", timeout: 60 });
  });

  it("reads --out=<file> as --out <file>", async () => {
    const c = captureIo();
    const out = path.join(dir, "diff.md");
    assert.equal(await run(["HEAD:stacks/base.yaml", "stacks/base.yaml", `--out=${out}`], c.io), 0);
    assert.match(fs.readFileSync(out, "utf8"), /^## Routing diff\n/);
    assert.equal(c.out(), "");
  });

  it("writes JSON to a file with --json --out", async () => {
    const c = captureIo();
    const out = path.join(dir, "diff.json");
    assert.equal(
      await run(["HEAD:stacks/base.yaml", "stacks/base.yaml", "--json", "--out", out], c.io),
      0,
    );
    const diff = JSON.parse(fs.readFileSync(out, "utf8")) as { targets: unknown[] };
    assert.deepEqual(diff.targets, [
      {
        kind: "changed",
        subject: "Hindi",
        target: "hindi",
        field: "timeout",
        before: 60,
        after: 90,
      },
    ]);
    assert.equal(c.out(), "");
  });

  it("exits 1 naming the revision when a side cannot be read", async () => {
    const c = captureIo();
    assert.equal(await run(["HEAD:stacks/missing.yaml", "stacks/base.yaml"], c.io), 1);
    assert.equal(
      c.err(),
      "cannot read HEAD:stacks/missing.yaml: fatal: path 'stacks/missing.yaml' does not exist in 'HEAD'\n",
    );
  });

  it("exits 1 with the loader's problems labelled by revision when a side is invalid", async () => {
    fs.writeFileSync(
      path.join(dir, "bad.yaml"),
      stack(60).replace("- queue: english", "- queue: englsh"),
    );
    git("add", "bad.yaml");
    git("commit", "-q", "-m", "typo");
    const c = captureIo();
    assert.equal(await run(["HEAD:bad.yaml", "stacks/base.yaml"], c.io), 1);
    assert.equal(
      c.err(),
      'HEAD:bad.yaml:31:18 error workflow.filters[0].targets[1].queue: unknown queue "englsh" (known: english, hindi)\n' +
        "HEAD:bad.yaml: invalid routing definition\n",
    );
  });

  it("exits 2 on a wrong number of arguments or an unknown option", async () => {
    const c = captureIo();
    assert.equal(await run(["stacks/base.yaml"], c.io), 2);
    assert.equal(await run(["a", "b", "--fast"], c.io), 2);
    assert.equal(
      c.err(),
      "expected a base and a head, got 1; usage: npm run routing:diff -- <base> <head> [--out <file>] [--json]\n" +
        'unknown option "--fast"; usage: npm run routing:diff -- <base> <head> [--out <file>] [--json]\n',
    );
  });
});
