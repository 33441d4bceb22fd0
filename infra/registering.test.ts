import { strict as assert } from "node:assert";
import { registerResources } from "./registering";

describe("registerResources: no stack per output promise, from a fresh stack", () => {
  const saved = { limit: Error.stackTraceLimit, leaks: process.env.PULUMI_DEBUG_PROMISE_LEAKS };
  afterEach(() => {
    Error.stackTraceLimit = saved.limit;
    if (saved.leaks === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved.leaks;
  });

  it("registers with Error.stackTraceLimit 0 (an Error's stack is its message alone) and restores it", async () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    Error.stackTraceLimit = 10;
    const inside = await registerResources(() => [Error.stackTraceLimit, new Error("x").stack]);
    assert.deepEqual(inside, [0, "Error: x"]);
    assert.equal(Error.stackTraceLimit, 10);
  });

  it("rejects with what register throws, and restores the limit", async () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    Error.stackTraceLimit = 10;
    await assert.rejects(
      registerResources(() => {
        throw new Error("no SID for activity Wrap-Up");
      }),
      { message: "no SID for activity Wrap-Up" },
    );
    assert.equal(Error.stackTraceLimit, 10);
  });

  it("leaves the limit alone with PULUMI_DEBUG_PROMISE_LEAKS, whose report prints those stacks; the stack holds no frame of the awaiting caller", async () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    Error.stackTraceLimit = 10;
    function constructing() {
      return new Error("here").stack ?? "";
    }
    async function awaitingCaller() {
      return registerResources(function register() {
        return [Error.stackTraceLimit, constructing()];
      });
    }
    const [limit, stack] = await awaitingCaller();
    assert.equal(limit, 10);
    // What register calls, and nothing from register down (the same for every resource).
    const frames = String(stack)
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(" ")[1]);
    assert.deepEqual(frames, ["constructing"]);
    assert.match(String(stack), /registering\.test\.ts:\d+:\d+\)$/);
  });

  it("leaves out the constructor frames of TaskRouterResource, the base class between CustomResource and each TaskRouter class", async () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    Error.stackTraceLimit = 10;
    // Named as the real base class is: the frames are told apart by their constructor's name.
    class TaskRouterResource {
      readonly stack: string;
      constructor() {
        this.stack = new Error("here").stack ?? "";
      }
    }
    class Worker extends TaskRouterResource {
      constructor() {
        super();
      }
    }
    function declareWorkers() {
      return new Worker().stack;
    }
    const stack = await registerResources(function register() {
      return declareWorkers();
    });
    const frames = stack
      .split("\n")
      .slice(1)
      .map((line) => /^\s*at (?:new )?(\S+)/.exec(line)?.[1]);
    assert.deepEqual(frames, ["Worker", "declareWorkers"]);
  });

  it("restores the stack formatting it found, and formats as V8 does when there was none", async () => {
    const before = Error.prepareStackTrace;
    Error.stackTraceLimit = 10;
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    try {
      (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
      function constructing() {
        return new Error("bare").stack ?? "";
      }
      const stack = await registerResources(function register() {
        return constructing();
      });
      assert.equal(Error.prepareStackTrace, undefined);
      assert.match(stack, /^Error: bare\n {4}at constructing \(.*registering\.test\.ts:\d+:\d+\)$/);
    } finally {
      Error.prepareStackTrace = before;
    }
    await registerResources(() => undefined);
    assert.equal(Error.prepareStackTrace, before);
  });
});
