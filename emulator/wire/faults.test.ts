import assert from "node:assert/strict";
import { prng } from "./faults";
import { admin, useEmulator } from "../testing/fixture";

describe("emulator fault injection", () => {
  const fx = useEmulator();
  const list = () => fx.client.taskrouter.v1.workspaces.list();
  afterEach(async () => {
    await admin(fx.emu, "DELETE", "/faults");
  });

  for (const [kind, code, message] of [
    ["429", 20429, "Too Many Requests"],
    ["500", 20500, "Internal Server Error"],
    ["503", 20503, "Service Unavailable"],
  ] as const) {
    it(`fails the twilio call with ${kind} / ${code}, then succeeds once the count is used up`, async () => {
      await admin(fx.emu, "POST", "/faults", { kind, path: "^/v1/Workspaces$", count: 2 });
      for (let i = 0; i < 2; i++) {
        await assert.rejects(list(), { status: Number(kind), code, message });
      }
      assert.deepEqual(await list(), []);
    });
  }

  it("drops the connection so the twilio call rejects", async () => {
    await admin(fx.emu, "POST", "/faults", { kind: "drop", method: "GET", count: 1 });
    await assert.rejects(list(), (err: Error & { code?: string }) => {
      assert.ok(
        ["ECONNRESET", "ERR_BAD_RESPONSE", "ERR_NETWORK"].includes(String(err.code)) ||
          /socket hang up/.test(err.message),
        `${err.code}: ${err.message}`,
      );
      return true;
    });
    assert.deepEqual(await list(), []);
    const dropped = fx.emu.records.filter((r) => r.fault === "drop");
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0].status, null);
  });

  it("adds latency and still answers", async () => {
    await admin(fx.emu, "POST", "/faults", { kind: "latency", latencyMs: 50, count: 1 });
    assert.deepEqual(await list(), []);
    const faults = (await admin(fx.emu, "GET", "/faults")) as { faults: Array<{ hits: number }> };
    assert.equal(faults.faults[0].hits, 1);
  });

  it("matches only the given method and path", async () => {
    await admin(fx.emu, "POST", "/faults", { kind: "503", method: "POST", path: "/Workers$" });
    assert.deepEqual(await list(), []);
    const ws = await fx.client.taskrouter.v1.workspaces.create({ friendlyName: "Faulty" });
    await assert.rejects(
      fx.client.taskrouter.v1.workspaces(ws.sid).workers.create({ friendlyName: "x" }),
      {
        status: 503,
        code: 20503,
      },
    );
    assert.deepEqual(await fx.client.taskrouter.v1.workspaces(ws.sid).workers.list(), []);
  });

  it("hits a seeded, repeatable share of requests at a given rate", async () => {
    await admin(fx.emu, "POST", "/faults", { kind: "429", rate: 0.5, seed: 42 });
    const random = prng(42);
    const expected = Array.from({ length: 20 }, () => (random() < 0.5 ? "429" : "ok"));
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(
        await list().then(
          () => "ok",
          (e: { status: number }) => String(e.status),
        ),
      );
    }
    assert.deepEqual(outcomes, expected);
    assert.ok(outcomes.includes("429") && outcomes.includes("ok"));
  });

  it("lets twilio's autoRetry ride over an injected 429", async () => {
    const { twilioClientFor } = await import("./client");
    const retrying = twilioClientFor(fx.emu.url, fx.emu.accountSid, fx.emu.authToken, {
      autoRetry: true,
      maxRetryDelay: 20,
    });
    await admin(fx.emu, "POST", "/faults", { kind: "429", count: 1 });
    const before = fx.emu.records.length;
    await retrying.taskrouter.v1.workspaces.list();
    assert.deepEqual(
      fx.emu.records.slice(before).map((r) => r.status),
      [429, 200],
    );
  });

  it("refuses a malformed fault specification", async () => {
    await assert.rejects(admin(fx.emu, "POST", "/faults", { kind: "418" }), {
      message:
        'admin POST /faults: 400 {"error":"kind must be one of 429, 500, 503, latency, drop"}',
    });
  });

  it("records requests and resets state, records and faults", async () => {
    await fx.client.taskrouter.v1.workspaces.create({ friendlyName: "ToReset" });
    const rec = (await admin(fx.emu, "GET", "/requests")) as {
      requests: Array<{
        method: string;
        path: string;
        params: Record<string, string>;
        status: number;
      }>;
    };
    const last = rec.requests.at(-1);
    assert.deepEqual(
      [last?.method, last?.path, last?.params, last?.status],
      ["POST", "/v1/Workspaces", { FriendlyName: "ToReset" }, 201],
    );
    await admin(fx.emu, "POST", "/faults", { kind: "500" });
    await admin(fx.emu, "POST", "/reset");
    assert.deepEqual(await list(), []);
    const after = (await admin(fx.emu, "GET", "/requests")) as { requests: unknown[] };
    assert.equal(after.requests.length, 1);
    const numbers = await fx.client.incomingPhoneNumbers.list();
    assert.ok(numbers.every((n) => n.voiceUrl === null));
  });
});
