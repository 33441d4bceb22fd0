import { strict as assert } from "node:assert";
import { promiseStacksOff } from "./registering";

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
