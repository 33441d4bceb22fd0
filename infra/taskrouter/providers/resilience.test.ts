// Retries under injected 429, 500, 503 and dropped connections, against the emulator: the operation
// succeeds and every attempt is visible in the emulator's recorded requests.
import assert from "node:assert/strict";
import { DEFAULT_RATE_LIMITS } from "../rateLimits";
import * as impl from "./impl";
import { message, newWorkspace, useProviders } from "./testing";

describe("Provider resilience", () => {
  const fx = useProviders();
  let ws: string;
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    fx.emu.records.length = 0;
  });
  const queue = () => ({
    workspaceSid: ws,
    friendlyName: "English",
    targetWorkers: "1==1",
    taskOrder: "FIFO" as const,
    maxReservedWorkers: 1,
  });

  it("retries a create answered 429 twice, with exponential backoff, and creates one queue", async () => {
    await fx.fault({ kind: "429", method: "POST", path: "/TaskQueues$", count: 2 });
    const { id } = await impl.taskQueue.create(queue());
    assert.match(id, /^WQ/);
    assert.deepEqual(fx.requests(), [
      "GET /v1/Workspaces/WS…/TaskQueues 200",
      "POST /v1/Workspaces/WS…/TaskQueues 429",
      "POST /v1/Workspaces/WS…/TaskQueues 429",
      "POST /v1/Workspaces/WS…/TaskQueues 201",
    ]);
    // Full jitter with random() = 0.5: half of 200 ms, then half of 400 ms.
    assert.deepEqual(fx.delays, [100, 200]);
    assert.equal((await fx.client.taskrouter.v1.workspaces(ws).taskQueues.list()).length, 1);
  });

  it("retries reads answered 503 and succeeds", async () => {
    const { id, outs } = await impl.taskQueue.create(queue());
    fx.emu.records.length = 0;
    await fx.fault({ kind: "503", method: "GET", count: 3 });
    const read = await impl.taskQueue.read(id, outs);
    assert.equal(read.id, id);
    assert.deepEqual(fx.requests(), [
      "GET /v1/Workspaces/WS…/TaskQueues/WQ… 503",
      "GET /v1/Workspaces/WS…/TaskQueues/WQ… 503",
      "GET /v1/Workspaces/WS…/TaskQueues/WQ… 503",
      "GET /v1/Workspaces/WS…/TaskQueues/WQ… 200",
    ]);
    assert.deepEqual(fx.delays, [100, 200, 400]);
  });

  it("retries an update whose connection was dropped", async () => {
    const { id, outs } = await impl.taskQueue.create(queue());
    fx.emu.records.length = 0;
    await fx.fault({ kind: "drop", method: "POST", count: 1 });
    const { outs: updated } = await impl.taskQueue.update(id, outs, {
      ...queue(),
      taskOrder: "LIFO",
    });
    assert.equal(updated.taskOrder, "LIFO");
    assert.deepEqual(fx.requests(), [
      "POST /v1/Workspaces/WS…/TaskQueues/WQ… dropped",
      "POST /v1/Workspaces/WS…/TaskQueues/WQ… 200",
    ]);
  });

  it("looks up again before retrying a create whose connection was dropped, so there is never a second copy", async () => {
    await fx.fault({ kind: "drop", method: "POST", path: "/TaskQueues$", count: 1 });
    const { id, outs } = await impl.taskQueue.create(queue());
    assert.equal(outs.adopted, false);
    assert.deepEqual(fx.requests(), [
      "GET /v1/Workspaces/WS…/TaskQueues 200",
      "POST /v1/Workspaces/WS…/TaskQueues dropped",
      "GET /v1/Workspaces/WS…/TaskQueues 200",
      "POST /v1/Workspaces/WS…/TaskQueues 201",
    ]);
    const all = await fx.client.taskrouter.v1.workspaces(ws).taskQueues.list();
    assert.deepEqual(
      all.map((q) => q.sid),
      [id],
    );
  });

  it("looks up again before retrying a create answered 500, and retries reads answered 500", async () => {
    await fx.fault({ kind: "500", method: "POST", path: "/TaskQueues$", count: 2 });
    await fx.fault({ kind: "500", method: "GET", path: "/TaskQueues$", count: 1 });
    const { id, outs } = await impl.taskQueue.create(queue());
    assert.equal(outs.adopted, false);
    assert.deepEqual(fx.requests(), [
      "GET /v1/Workspaces/WS…/TaskQueues 500",
      "GET /v1/Workspaces/WS…/TaskQueues 200",
      "POST /v1/Workspaces/WS…/TaskQueues 500",
      "GET /v1/Workspaces/WS…/TaskQueues 200",
      "POST /v1/Workspaces/WS…/TaskQueues 500",
      "GET /v1/Workspaces/WS…/TaskQueues 200",
      "POST /v1/Workspaces/WS…/TaskQueues 201",
    ]);
    const all = await fx.client.taskrouter.v1.workspaces(ws).taskQueues.list();
    assert.deepEqual(
      all.map((q) => q.sid),
      [id],
    );
  });

  it("gives up after eight attempts with a message naming the action, the resource and Twilio's code", async () => {
    await fx.fault({ kind: "429", method: "DELETE" });
    const { id, outs } = await impl.taskQueue.create(queue());
    await assert.rejects(
      impl.taskQueue.delete(id, outs),
      message(
        'deleting TaskRouter TaskQueue "English": Too Many Requests [code 20429, status 429]',
      ),
    );
    assert.equal(fx.emu.records.filter((r) => r.method === "DELETE").length, 8);
    // Full jitter with random() = 0.5 of 200 ms × 2^n, capped at 5000 ms.
    assert.deepEqual(fx.delays, [100, 200, 400, 800, 1600, 2500, 2500]);
  });
});

describe("Provider pacing to the account's own rate limits (twilio:rateLimits)", () => {
  // An account whose Worker-Create limit is 2 per second, and a stack that says so.
  const fx = useProviders({
    emulator: {
      rateLimits: { ...DEFAULT_RATE_LIMITS, perKey: { "Worker-Create": 2 } },
    },
    config: { "twilio:rateLimits": '{"Worker-Create": 2}' },
  });

  it("creates 5 workers within the account's limit without drawing a single 429", async () => {
    const ws = (await newWorkspace(fx)).sid;
    fx.emu.records.length = 0;
    for (const name of ["A", "B", "C", "D", "E"].map((n) => `Agent ${n}`)) {
      const checked = await impl.worker.check({}, { workspaceSid: ws, friendlyName: name });
      await impl.worker.create(checked.inputs as Parameters<typeof impl.worker.create>[0]);
    }
    const creates = fx.requests().filter((r) => r.startsWith("POST"));
    assert.deepEqual(creates, Array(5).fill("POST /v1/Workspaces/WS…/Workers 201"));
    assert.deepEqual(fx.delays, []);
  });
});
