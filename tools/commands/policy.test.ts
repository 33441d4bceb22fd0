// `npm run policy`: arguments, the report, and one real run on the shipped prod routing (the
// engine tests of the pack itself are policy/engine.test.ts).
import assert from "node:assert/strict";
import { captureIo } from "../testIo";
import { formatViolations, run, stackPolicyConfig, USAGE, violationOf } from "./policy";

describe("npm run policy", function () {
  // One engine preview (CLI, language host, program, policy pack): about 10 s idle.
  this.timeout(180_000);

  it("refuses two stacks, an option and a stack without Pulumi.<stack>.yaml (exit 2)", async () => {
    for (const [argv, first] of [
      [["dev", "prod"], "one stack at most"],
      [["--json"], 'unknown option "--json"'],
      [["qa"], "no Pulumi.qa.yaml in "],
    ] as const) {
      const c = captureIo();
      assert.equal(await run([...argv], c.io), 2, argv.join(" "));
      assert.ok(c.err().startsWith(first), c.err());
      assert.ok(c.err().endsWith(`${USAGE}\n`));
      assert.equal(c.out(), "");
    }
  });

  it("reads the engine's policy event: advisory for warning, the description line dropped", () => {
    const event = {
      message: "Every queue is a target.\nstacks/dev.yaml queues.french: not reachable\n",
      color: "never",
      policyName: "queues-reachable",
      policyPackName: "contact-centre",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
    };
    assert.deepEqual(violationOf({ ...event, enforcementLevel: "warning" }), {
      level: "advisory",
      policy: "queues-reachable",
      message: "stacks/dev.yaml queues.french: not reachable",
    });
    assert.equal(violationOf({ ...event, enforcementLevel: "mandatory" }).level, "mandatory");
  });

  it("lists mandatory violations first and says whether the stack would be refused", () => {
    assert.deepEqual(formatViolations("dev", []), ["dev: no policy violations"]);
    assert.deepEqual(
      formatViolations("prod", [
        { level: "advisory", policy: "routing-bounds", message: "b" },
        { level: "mandatory", policy: "worker-contact-uri", message: "w" },
        { level: "mandatory", policy: "queues-reachable", message: "q" },
      ]),
      [
        "[mandatory] queues-reachable: q",
        "[mandatory] worker-contact-uri: w",
        "[advisory] routing-bounds: b",
        "prod: 3 violation(s), 2 mandatory: a preview or deploy of this stack is refused",
      ],
    );
  });

  it("takes each stack's levels from its committed Pulumi.<stack>.yaml", () => {
    assert.deepEqual(stackPolicyConfig("prod"), { enforcement: "mandatory" });
    assert.deepEqual(stackPolicyConfig("local"), { enforcement: "advisory" });
  });

  it("passes the shipped prod routing with prod's mandatory levels on the local centre", async function () {
    this.timeout(45 * 60_000); // a first build compiles the CLI from Go modules
    const c = captureIo();
    assert.equal(await run(["prod"], c.io), 0, c.err());
    assert.equal(
      c.out(),
      "Policy pack policy/ on stacks/prod.yaml with the levels of Pulumi.prod.yaml (local centre, emulator):\n" +
        "prod: no policy violations\n",
    );
  });
});
