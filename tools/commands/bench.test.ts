import assert from "node:assert/strict";
import { captureIo } from "../testIo";
import type { RecordedRequest } from "../../emulator";
import { requestStats } from "../../bench/scale";
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

describe("bench scale: the requests of an up and the floor the rate limits set", () => {
  const WS = `WS${"0".repeat(32)}`;
  const request = (method: string, path: string, status: number | null) =>
    ({ method, path, query: {}, status }) as RecordedRequest;

  it("counts 429s apart from other failures and takes the slowest key's floor, of the requests admitted", () => {
    const records = [
      ...Array.from({ length: 120 }, () => request("GET", `/v1/Workspaces/${WS}/Workers`, 200)),
      ...Array.from({ length: 60 }, () => request("POST", `/v1/Workspaces/${WS}/Workers`, 201)),
      // Not admitted: 150 Worker-Create requests would make the floor 2 s.
      ...Array.from({ length: 90 }, () => request("POST", `/v1/Workspaces/${WS}/Workers`, 429)),
      request("POST", `/v1/Workspaces/${WS}/TaskQueues`, 500),
      request("POST", `/v1/Workspaces/${WS}/TaskQueues`, null),
      request("POST", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/PN1.json", 404),
    ];
    // Worker-List: 120 at 50/s → 2 full seconds before the last; Worker-Create: 60 → 1.
    assert.deepEqual(requestStats(records), {
      total: 273,
      throttled: 90,
      failed: 3,
      floorMs: 2000,
    });
    // With Worker-Create alone the 429s do not raise its floor.
    const creates = records.filter((r) => r.method === "POST" && r.path.endsWith("/Workers"));
    assert.equal(requestStats(creates).floorMs, 1000);
  });
});
