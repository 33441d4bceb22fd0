import { strict as assert } from "node:assert";
import { Store } from "../state/store";
import { VIRTUAL_EPOCH, VirtualClock } from "./clock";
import { RECORD_LIMIT } from "./context";
import { Engine } from "./engine";
import { record } from "./events";

describe("the engine's callback records", () => {
  it("keeps exactly the newest RECORD_LIMIT, however many were recorded, and none after a reset", () => {
    const store = new Store({ accountSid: "AC" + "0".repeat(32), numbers: [] });
    const engine = new Engine(store, { clock: new VirtualClock(VIRTUAL_EPOCH), authToken: "t" });
    const entry = (n: number) => ({
      at: String(n),
      kind: "event" as const,
      url: "http://x.invalid/",
      params: {},
      status: 200,
    });
    for (let n = 0; n < 5; n++) record(engine, entry(n));
    assert.deepEqual(
      engine.callbacks.map((c) => c.at),
      ["0", "1", "2", "3", "4"],
    );
    for (let n = 5; n < 2 * RECORD_LIMIT + 7; n++) {
      record(engine, entry(n));
      if (n === RECORD_LIMIT + 2) {
        assert.equal(engine.callbacks.length, RECORD_LIMIT);
        assert.equal(engine.callbacks[0].at, "3");
      }
    }
    assert.equal(engine.callbacks.length, RECORD_LIMIT);
    assert.equal(engine.callbacks[0].at, String(RECORD_LIMIT + 7));
    assert.equal(engine.callbacks[RECORD_LIMIT - 1].at, String(2 * RECORD_LIMIT + 6));
    store.reset();
    assert.deepEqual(engine.callbacks, []);
    engine.stop();
  });
});
