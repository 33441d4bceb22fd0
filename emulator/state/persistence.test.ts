import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { twilioClientFor } from "../wire/client";
import { createEmulator } from "../wire/server";
import { openApi, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_NUMBERS } from "../testing/fixture";

const ROOT = path.resolve(__dirname, "../..");

/** Starts `tools/cli.ts emulator` in a child process and resolves with its URL. */
function startChild(statePath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(ROOT, "tools/cli.ts"),
      "emulator",
      "--port",
      "0",
      "--account-sid",
      TEST_ACCOUNT_SID,
      "--auth-token",
      TEST_AUTH_TOKEN,
      "--number",
      TEST_NUMBERS[0],
      "--state",
      statePath,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${err}`)));
  });
}

describe("emulator persistence", () => {
  let dir: string;
  const problems: string[] = [];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-state-"));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (problems.length > 0)
      throw new Error(`responses that do not match Twilio's OpenAPI:\n${problems.join("\n")}`);
  });
  const check = {
    onResponse: (r: { method: string; path: string; status: number | null; response: unknown }) => {
      if (r.status !== null)
        problems.push(...openApi().check(r.method, r.path, r.status, r.response));
    },
  };

  it("keeps every acknowledged change across a restart", async () => {
    const statePath = path.join(dir, "restart.json");
    const opts = {
      port: 0,
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      numbers: TEST_NUMBERS,
      statePath,
      ...check,
    };
    const first = await createEmulator(opts);
    const c1 = twilioClientFor(first.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
    const ws = await c1.taskrouter.v1.workspaces.create({
      friendlyName: "Durable",
      template: "FIFO",
    });
    const w = await c1.taskrouter.v1
      .workspaces(ws.sid)
      .workers.create({ friendlyName: "kept", attributes: '{"a":1}' });
    const t = await c1.taskrouter.v1.workspaces(ws.sid).tasks.create({ attributes: '{"b":2}' });
    const pn = (await c1.incomingPhoneNumbers.list({ phoneNumber: TEST_NUMBERS[1] }))[0];
    await c1.incomingPhoneNumbers(pn.sid).update({ voiceUrl: "https://example.com/v" });
    await first.close();

    const second = await createEmulator(opts);
    const c2 = twilioClientFor(second.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
    try {
      assert.equal((await c2.taskrouter.v1.workspaces(ws.sid).fetch()).friendlyName, "Durable");
      const w2 = await c2.taskrouter.v1.workspaces(ws.sid).workers(w.sid).fetch();
      assert.equal(w2.attributes, '{"a":1}');
      assert.equal(w2.url, `${second.url}/v1/Workspaces/${ws.sid}/Workers/${w.sid}`);
      assert.equal(
        (await c2.taskrouter.v1.workspaces(ws.sid).tasks(t.sid).fetch()).taskQueueFriendlyName,
        "Sample Queue",
      );
      assert.equal(
        (await c2.incomingPhoneNumbers(pn.sid).fetch()).voiceUrl,
        "https://example.com/v",
      );
      await c2.taskrouter.v1.workspaces(ws.sid).workers(w.sid).remove();
    } finally {
      await second.close();
    }
    const third = await createEmulator(opts);
    try {
      assert.equal(third.store.workers.has(w.sid), false);
    } finally {
      await third.close();
    }
  });

  it("keeps what was acknowledged right before a SIGKILL", async () => {
    const statePath = path.join(dir, "killed.json");
    const { child, url } = await startChild(statePath);
    let ws: string;
    let last: string;
    try {
      const c = twilioClientFor(url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
      ws = (await c.taskrouter.v1.workspaces.create({ friendlyName: "Killed" })).sid;
      for (let i = 0; i < 5; i++)
        await c.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: `k${i}` });
      last = (
        await c.taskrouter.v1.workspaces(ws).activities.create({ friendlyName: "JustBeforeKill" })
      ).sid;
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((r) => child.once("exit", r));
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith("killed")),
      ["killed.json"],
    );
    const again = await createEmulator({
      port: 0,
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      numbers: [TEST_NUMBERS[0]],
      statePath,
      ...check,
    });
    try {
      const c = twilioClientFor(again.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
      const workers = await c.taskrouter.v1.workspaces(ws).workers.list();
      assert.deepEqual(
        workers.map((w) => w.friendlyName),
        ["k0", "k1", "k2", "k3", "k4"],
      );
      assert.equal(
        (await c.taskrouter.v1.workspaces(ws).activities(last).fetch()).friendlyName,
        "JustBeforeKill",
      );
    } finally {
      await again.close();
    }
  });

  it("refuses a state file of another account", async () => {
    const statePath = path.join(dir, "restart.json");
    await assert.rejects(
      createEmulator({ accountSid: "AC" + "c".repeat(32), authToken: "x", numbers: [], statePath }),
      {
        message: `emulator: state belongs to account ${TEST_ACCOUNT_SID}, not AC${"c".repeat(32)}`,
      },
    );
  });
});
