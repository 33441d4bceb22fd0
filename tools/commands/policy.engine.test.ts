// `npm run policy` under the real engine: one run on the shipped prod routing (its arguments and
// report are policy.test.ts).
import assert from "node:assert/strict";
import { captureIo } from "../testIo";
import { run } from "./policy";

describe("npm run policy", function () {
  // One engine preview (CLI, language host, program, policy pack): about 10 s idle.
  this.timeout(180_000);

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
