import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import {
  createTwilioClient,
  describeTwilioError,
  isAmbiguousCreateFailure,
  isDroppedConnection,
  isNotFound,
  pacedHttpClient,
  retryingHttpClient,
} from "./twilioClient";

type Reply = { statusCode: number } | Error;

/** A stand-in for twilio's RequestClient answering from a script. */
function scripted(replies: Reply[]) {
  const seen: string[] = [];
  return {
    seen,
    request: async (req: { method: string; uri: string }) => {
      seen.push(`${req.method} ${req.uri}`);
      const reply = replies.shift();
      if (!reply) throw new Error("no reply scripted");
      if (reply instanceof Error) throw reply;
      return { statusCode: reply.statusCode, body: {}, headers: {} };
    },
  };
}
const dropped = (code: string, message = "socket hang up") =>
  Object.assign(new Error(message), { code });
const WS = "https://taskrouter.twilio.com/v1/Workspaces";

describe("twilioClient", () => {
  it("backs off exponentially with full jitter, capped, and logs each retry", async () => {
    const inner = scripted([
      { statusCode: 429 },
      { statusCode: 503 },
      { statusCode: 429 },
      { statusCode: 429 },
      { statusCode: 200 },
    ]);
    const delays: number[] = [];
    const lines: string[] = [];
    const client = retryingHttpClient(inner, {
      retry: {
        attempts: 5,
        baseDelayMs: 1000,
        maxDelayMs: 3000,
        sleep: async (ms) => void delays.push(ms),
        random: () => 0.999,
      },
      log: (l) => lines.push(l),
    });
    const res = await client.request({ method: "get", uri: WS });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(delays, [999, 1998, 2997, 2997]);
    assert.deepEqual(lines, [
      "twilio: GET /v1/Workspaces failed (status 429); retry 1 of 4 in 999 ms",
      "twilio: GET /v1/Workspaces failed (status 503); retry 2 of 4 in 1998 ms",
      "twilio: GET /v1/Workspaces failed (status 429); retry 3 of 4 in 2997 ms",
      "twilio: GET /v1/Workspaces failed (status 429); retry 4 of 4 in 2997 ms",
    ]);
  });

  it("returns the last 429 after the configured attempts, for the caller to report", async () => {
    const inner = scripted([{ statusCode: 429 }, { statusCode: 429 }]);
    const client = retryingHttpClient(inner, { retry: { attempts: 2, sleep: async () => {} } });
    assert.equal((await client.request({ method: "get", uri: WS })).statusCode, 429);
    assert.equal(inner.seen.length, 2);
  });

  it("retries dropped connections, except a create that may have reached Twilio", async () => {
    const sleep = async () => {};
    const update = scripted([dropped("ECONNRESET"), { statusCode: 200 }]);
    await retryingHttpClient(update, { retry: { sleep } }).request({
      method: "post",
      uri: `${WS}/WS${"a".repeat(32)}`,
    });
    assert.equal(update.seen.length, 2);
    const create = scripted([dropped("ECONNRESET"), { statusCode: 201 }]);
    await assert.rejects(
      retryingHttpClient(create, { retry: { sleep } }).request({ method: "post", uri: WS }),
      { message: "socket hang up" },
    );
    assert.equal(create.seen.length, 1);
    const refused = scripted([
      dropped("ECONNREFUSED", "connect ECONNREFUSED"),
      { statusCode: 201 },
    ]);
    await retryingHttpClient(refused, { retry: { sleep } }).request({ method: "post", uri: WS });
    assert.equal(refused.seen.length, 2);
  });

  it("retries 500, 502 and 504 on reads, updates and deletes", async () => {
    const sleep = async () => {};
    for (const [method, uri] of [
      ["get", WS],
      ["post", `${WS}/WS${"a".repeat(32)}`],
      ["delete", `${WS}/WS${"a".repeat(32)}`],
    ]) {
      const inner = scripted([
        { statusCode: 500 },
        { statusCode: 502 },
        { statusCode: 504 },
        { statusCode: 200 },
      ]);
      const res = await retryingHttpClient(inner, { retry: { sleep } }).request({ method, uri });
      assert.equal(res.statusCode, 200);
      assert.equal(inner.seen.length, 4, `${method} ${uri}`);
    }
  });

  it("hands a create answered 500, 502 or 504 back at once (it may have happened), but retries its 429 and 503", async () => {
    const sleep = async () => {};
    for (const status of [500, 502, 504]) {
      const create = scripted([{ statusCode: status }, { statusCode: 201 }]);
      const res = await retryingHttpClient(create, { retry: { sleep } }).request({
        method: "post",
        uri: WS,
      });
      assert.equal(res.statusCode, status);
      assert.equal(create.seen.length, 1);
    }
    const create = scripted([{ statusCode: 429 }, { statusCode: 503 }, { statusCode: 201 }]);
    const res = await retryingHttpClient(create, { retry: { sleep } }).request({
      method: "post",
      uri: WS,
    });
    assert.equal(res.statusCode, 201);
    assert.equal(create.seen.length, 3);
  });

  it("does not retry other failures", async () => {
    const inner = scripted([{ statusCode: 400 }, new Error("certificate has expired")]);
    const client = retryingHttpClient(inner, { retry: { sleep: async () => {} } });
    assert.equal((await client.request({ method: "get", uri: WS })).statusCode, 400);
    await assert.rejects(client.request({ method: "get", uri: WS }), {
      message: "certificate has expired",
    });
    assert.equal(inner.seen.length, 2);
  });

  it("keeps the process alive while it waits to retry, so a command that gives up says so", () => {
    // A command-line tool (routing:drift, routing:export) whose only pending work is the wait
    // before a retry: with an unref'd timer Node exited there with code 0 and no output, which
    // routing:drift reports as "no drift".
    const script = `
      const { retryingHttpClient } = require("./infra/taskrouter/twilioClient");
      const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      retryingHttpClient(
        { request: () => Promise.reject(refused) },
        { retry: { attempts: 2, baseDelayMs: 50, random: () => 0.5 } },
      )
        .request({ method: "GET", uri: "${WS}" })
        .then(
          () => console.log("answered"),
          (err) => { console.log("gave up: " + err.code); process.exitCode = 1; },
        );`;
    const child = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", script],
      { encoding: "utf8", cwd: path.join(__dirname, "..", "..") },
    );
    assert.equal(child.stdout, "gave up: ECONNREFUSED\n");
    assert.equal(child.status, 1);
  });

  it("classifies dropped connections", () => {
    assert.equal(isDroppedConnection(dropped("ECONNRESET")), true);
    assert.equal(isDroppedConnection(new Error("socket hang up")), true);
    assert.equal(isDroppedConnection(dropped("ECONNREFUSED", "connect")), true);
    assert.equal(isDroppedConnection(new Error("Not Found")), false);
    assert.equal(isAmbiguousCreateFailure(dropped("ECONNREFUSED", "connect")), false);
    assert.equal(isAmbiguousCreateFailure(dropped("ECONNRESET")), true);
    const answered = (status: number) => Object.assign(new Error("x"), { status });
    assert.deepEqual(
      [500, 502, 504, 429, 503, 400].map((s) => isAmbiguousCreateFailure(answered(s))),
      [true, true, true, false, false, false],
    );
  });

  it("describes errors with the action, the resource, Twilio's message, code and status", () => {
    const rest = Object.assign(new Error("Invalid workflow configuration"), {
      code: 20001,
      status: 400,
    });
    assert.equal(
      describeTwilioError("creating", 'TaskRouter Workflow "Inbound calls"', rest).message,
      'creating TaskRouter Workflow "Inbound calls": Invalid workflow configuration [code 20001, status 400]',
    );
    assert.equal(
      describeTwilioError("reading", "phone number +15555550100", dropped("ECONNRESET")).message,
      "reading phone number +15555550100: socket hang up [ECONNRESET]",
    );
    assert.equal(isNotFound({ status: 404, code: 20404 }), true);
    assert.equal(isNotFound(rest), false);
  });

  it("points both domains at a local Twilio and leaves real Twilio alone otherwise", () => {
    const local = createTwilioClient({
      accountSid: "AC" + "0".repeat(32),
      authToken: "t",
      baseUrl: "http://127.0.0.1:4010/",
    });
    assert.equal(local.taskrouter.baseUrl, "http://127.0.0.1:4010");
    assert.equal(local.api.baseUrl, "http://127.0.0.1:4010");
    const real = createTwilioClient({ accountSid: "AC" + "0".repeat(32), authToken: "t" });
    assert.equal(real.taskrouter.baseUrl, "https://taskrouter.twilio.com");
    assert.equal(real.api.baseUrl, "https://api.twilio.com");
  });

  it("paces each (workspace, resource key) to its limit per second; other keys, workspaces and APIs do not wait", async () => {
    const sent: { what: string; at: number }[] = [];
    const start = performance.now();
    const inner = {
      request: async (req: { method: string; uri: string }) => {
        sent.push({ what: `${req.method} ${req.uri}`, at: performance.now() - start });
        return { statusCode: 201, body: {}, headers: {} };
      },
    };
    const paced = pacedHttpClient(inner, { perKey: { "Worker-Create": 3 }, defaultPerSecond: 50 });
    const ws = (n: number) => `${WS}/WS${String(n).repeat(32)}`;
    const request = (method: string, uri: string) => paced.request({ method, uri } as never);
    await Promise.all([
      ...Array.from({ length: 7 }, () => request("POST", `${ws(1)}/Workers`)),
      request("POST", `${ws(2)}/Workers`),
      request("GET", `${ws(1)}/Workers`),
      request(
        "POST",
        "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/PN1.json",
      ),
    ]);
    const creates = sent.filter((s) => s.what === `POST ${ws(1)}/Workers`).map((s) => s.at);
    assert.equal(creates.length, 7);
    // At most 3 in any window of the limit's second (plus the pacing's slack of 50 ms).
    for (let i = 3; i < creates.length; i++) {
      assert.ok(creates[i] - creates[i - 3] >= 1050 - 5, `create ${i + 1} at ${creates[i]} ms`);
    }
    // The other workspace's create, the list and the phone number went out before the 4th create.
    const others = sent.filter((s) => s.what !== `POST ${ws(1)}/Workers`);
    assert.equal(others.length, 3);
    for (const other of others) assert.ok(other.at < creates[3], `${other.what} waited`);
  });
});
