// The dynamic provider process exits once the engine that started it is gone (engineWatch.ts).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { engineAddressOf } from "./impl/engineWatch";

const SCRIPT = "/repo/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";

describe("the dynamic provider exits with its engine", () => {
  it("finds the engine address only in the dynamic provider's command line", () => {
    assert.deepEqual(engineAddressOf(["node", SCRIPT, "127.0.0.1:40123"]), {
      host: "127.0.0.1",
      port: 40123,
    });
    assert.deepEqual(engineAddressOf(["node", SCRIPT, "[::1]:40123"]), {
      host: "::1",
      port: 40123,
    });
    assert.equal(
      engineAddressOf(["node", "/repo/node_modules/.bin/mocha", "127.0.0.1:1"]),
      undefined,
    );
    assert.equal(engineAddressOf(["node", SCRIPT]), undefined);
  });

  it("exits within seconds once the engine's address refuses connections, not before", async function () {
    this.timeout(20_000);
    const engine = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
    const { port } = engine.address() as net.AddressInfo;
    // A process that looks like the dynamic provider: it serves nothing and would live forever.
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        `require(${JSON.stringify(path.join(__dirname, "impl", "engineWatch"))}).exitWithEngine(` +
          `["node", ${JSON.stringify(SCRIPT)}, "127.0.0.1:${port}"], 200);` +
          "setInterval(() => {}, 1000);",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    try {
      // Alive while the engine listens.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(child.exitCode, null, stderr);
      const closedAt = Date.now();
      await new Promise<void>((resolve) => engine.close(() => resolve()));
      assert.equal(await exited, 1);
      assert.ok(Date.now() - closedAt < 5000, `took ${Date.now() - closedAt} ms`);
      assert.equal(stderr, `engine at 127.0.0.1:${port} is gone; provider exiting\n`);
    } finally {
      child.kill("SIGKILL");
      engine.close();
    }
  });
});
