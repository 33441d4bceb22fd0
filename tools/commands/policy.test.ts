// `npm run policy`: arguments and the report (one real run on the shipped prod routing is
// policy.engine.test.ts; the engine tests of the pack itself are policy/index.engine.test.ts).
import assert from "node:assert/strict";
import { captureIo } from "../testIo";
import { formatViolations, run, stackPolicyConfig, USAGE, violationOf } from "./policy";

describe("npm run policy", () => {
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
});
