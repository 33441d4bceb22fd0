// TaskRouter's per-endpoint rate limits in the local Twilio. Twilio's changelog
// (https://twilio.com/en-us/changelog/taskrouter-endpoint-rate-limit-correction): "/Workers?
// TargetWorkersExpression=… Resource key: Worker-List-TargetWorkersExpression, Limit: 3 RPS … Any
// requests that exceed the specified rate limits will be throttled, and you may receive error code
// 429". Error 20429 (https://www.twilio.com/docs/errors/20429): "An API Request that receives an
// error 429 response is never processed and is always safe to retry."
import assert from "node:assert/strict";
import { twilioClientFor } from "./client";
import { RateLimiter } from "./rateLimits";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useEmulator } from "../testing/fixture";
import { DEFAULT_RATE_LIMITS } from "../../infra/taskrouter/rateLimits";

const WS = `WS${"a".repeat(32)}`;
const OTHER = `WS${"b".repeat(32)}`;

describe("emulator rate limits", () => {
  describe("RateLimiter", () => {
    let now = 0;
    const limiter = () => new RateLimiter(DEFAULT_RATE_LIMITS, () => now);
    const filtered = { TargetWorkersExpression: "1==1" };

    it("admits 3 filtered worker lists per second per workspace, then refuses with the headers", () => {
      now = 0;
      const rl = limiter();
      const decisions = [0, 100, 200, 300].map((t) => {
        now = t;
        return rl.admit("GET", `/v1/Workspaces/${WS}/Workers`, filtered);
      });
      assert.deepEqual(
        decisions.map((d) => [d?.admitted, d?.headers["X-Rate-Limit-Remaining"]]),
        [
          [true, "2"],
          [true, "1"],
          [true, "0"],
          [false, "0"],
        ],
      );
      assert.deepEqual(decisions[3]?.headers, {
        "X-Rate-Limit-Limit": "3",
        "X-Rate-Limit-Remaining": "0",
        "X-Rate-Limit-Config": "Worker-List-TargetWorkersExpression",
      });
      // Another workspace and the unfiltered list count separately.
      assert.equal(rl.admit("GET", `/v1/Workspaces/${OTHER}/Workers`, filtered)?.admitted, true);
      assert.equal(rl.admit("GET", `/v1/Workspaces/${WS}/Workers`)?.admitted, true);
      // A second after the first request, one slot is free again (a sliding window).
      now = 1000;
      assert.equal(rl.admit("GET", `/v1/Workspaces/${WS}/Workers`, filtered)?.admitted, true);
      assert.equal(rl.admit("GET", `/v1/Workspaces/${WS}/Workers`, filtered)?.admitted, false);
    });

    it("admits 50 of any other key per second, and never limits the Voice API", () => {
      now = 0;
      const rl = limiter();
      const creates = Array.from(
        { length: 51 },
        () => rl.admit("POST", `/v1/Workspaces/${WS}/Workers`)?.admitted,
      );
      assert.equal(creates.filter(Boolean).length, 50);
      assert.equal(creates[50], false);
      assert.equal(
        rl.admit("GET", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json"),
        undefined,
      );
    });
  });

  describe("over HTTP", () => {
    const fx = useEmulator();

    it("answers the 4th filtered list within a second 429 with Twilio's error body, the others 200", async () => {
      const unpaced = twilioClientFor(fx.emu.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, {
        pace: false,
      });
      const ws = await unpaced.taskrouter.v1.workspaces.create({ friendlyName: "Limits" });
      fx.emu.records.length = 0;
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map(() =>
          unpaced.taskrouter.v1
            .workspaces(ws.sid)
            .workers.list({ targetWorkersExpression: "1==1" }),
        ),
      );
      assert.deepEqual(fx.emu.records.map((r) => r.status).sort(), [200, 200, 200, 429]);
      const refused = fx.emu.records.find((r) => r.status === 429);
      assert.deepEqual(refused?.response, {
        code: 20429,
        message: "Too Many Requests",
        more_info: "https://www.twilio.com/docs/errors/20429",
        status: 429,
      });
      const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.equal((failure.reason as { status: number }).status, 429);
    });

    it("is never hit by a paced client: 7 filtered lists take over 2 s and all succeed", async () => {
      const paced = twilioClientFor(fx.emu.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
      const ws = await paced.taskrouter.v1.workspaces.create({ friendlyName: "Paced" });
      fx.emu.records.length = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 7 }, () =>
          paced.taskrouter.v1.workspaces(ws.sid).workers.list({ targetWorkersExpression: "1==1" }),
        ),
      );
      const elapsed = performance.now() - started;
      assert.deepEqual(
        fx.emu.records.map((r) => r.status),
        [200, 200, 200, 200, 200, 200, 200],
      );
      // 3 per second: the 4th to 6th wait one window, the 7th two.
      assert.ok(elapsed >= 2000 && elapsed < 4000, `${Math.round(elapsed)} ms`);
    });
  });
});
