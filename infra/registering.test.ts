import { strict as assert } from "node:assert";
import { onFreshStack, promiseStacksOff } from "./registering";

describe("promiseStacksOff: resources registered without a stack per output promise", () => {
  const saved = { limit: Error.stackTraceLimit, leaks: process.env.PULUMI_DEBUG_PROMISE_LEAKS };
  afterEach(() => {
    Error.stackTraceLimit = saved.limit;
    if (saved.leaks === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved.leaks;
  });

  it("sets Error.stackTraceLimit to 0 (an Error's stack is its message alone) until restored", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    Error.stackTraceLimit = 10;
    const restore = promiseStacksOff();
    assert.deepEqual([Error.stackTraceLimit, new Error("x").stack], [0, "Error: x"]);
    restore();
    assert.equal(Error.stackTraceLimit, 10);
  });

  it("leaves the limit alone with PULUMI_DEBUG_PROMISE_LEAKS, whose report prints those stacks", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    Error.stackTraceLimit = 10;
    const restore = promiseStacksOff();
    assert.equal(Error.stackTraceLimit, 10);
    restore();
    assert.equal(Error.stackTraceLimit, 10);
  });
});

describe("onFreshStack: resources registered from a stack without the program's callers", () => {
  it("resolves to what register returns, and its stack holds no frame of the awaiting caller", async () => {
    async function awaitingCaller() {
      return onFreshStack(() => ({ value: 42, stack: new Error("here").stack ?? "" }));
    }
    const { value, stack } = await awaitingCaller();
    assert.equal(value, 42);
    assert.match(stack, /registering\.ts/);
    assert.doesNotMatch(stack, /awaitingCaller/);
  });

  it("rejects with what register throws", async () => {
    await assert.rejects(
      onFreshStack(() => {
        throw new Error("no SID for activity Wrap-Up");
      }),
      { message: "no SID for activity Wrap-Up" },
    );
  });
});
