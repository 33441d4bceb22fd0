import assert from "node:assert/strict";
import { captureIo } from "../testIo";
import { run } from "./bench";

describe("npm run bench (arguments)", () => {
  it("runs only the section --only=<name> names, as JSON with --json", async () => {
    const c = captureIo();
    assert.equal(await run(["--only=providers", "--json"], c.io), 0, c.err());
    const result = JSON.parse(c.out()) as { providers: { budgetBytes: number; sizes: object } };
    assert.deepEqual(Object.keys(result), ["providers"]);
    assert.equal(result.providers.budgetBytes, 1024);
    // One measured size per provider type (the types themselves: providers/index.test.ts).
    assert.equal(Object.keys(result.providers.sizes).length, 9);
  });

  it("refuses an unknown section, given either way, naming the sections (exit 2)", async () => {
    const c = captureIo();
    assert.equal(await run(["--only=nope"], c.io), 2);
    assert.equal(await run(["--only", "nope"], c.io), 2);
    const refusal =
      'takes one of handlers, engine, engine-day, rate-limits, scale, providers (got "nope")\n';
    assert.equal(c.err(), `--only ${refusal}--only ${refusal}`);
    assert.equal(c.out(), "");
  });
});
