import assert from "node:assert/strict";
import { parseArgs, run } from "./emulator";

describe("npm run emulator", () => {
  it("uses the documented development defaults when flags are omitted", () => {
    assert.deepEqual(parseArgs([]), {
      port: 0,
      accountSid: "AC00000000000000000000000000000000",
      authToken: "emulator-dev-auth-token",
      numbers: ["+15555550100"],
    });
  });

  it("reads every flag, with --number repeatable", () => {
    assert.deepEqual(
      parseArgs([
        "--port",
        "4010",
        "--account-sid",
        "AC" + "1".repeat(32),
        "--auth-token",
        "tok",
        "--number",
        "+15550001111",
        "--number",
        "+15550002222",
        "--state",
        "s.json",
        "--rate-limits",
        "off",
      ]),
      {
        port: 4010,
        accountSid: "AC" + "1".repeat(32),
        authToken: "tok",
        numbers: ["+15550001111", "+15550002222"],
        statePath: "s.json",
        rateLimits: false,
      },
    );
    // On (the default) leaves the option out, so createEmulator enforces TaskRouter's limits.
    assert.equal("rateLimits" in parseArgs(["--rate-limits", "on"]), false);
  });

  it("reads --flag=value as --flag value", () => {
    assert.deepEqual(parseArgs(["--port=4010", "--number=+15550001111", "--clock=virtual"]), {
      port: 4010,
      accountSid: "AC00000000000000000000000000000000",
      authToken: "emulator-dev-auth-token",
      numbers: ["+15550001111"],
      clock: "virtual",
    });
  });

  it("refuses unknown flags, missing values and malformed numbers", () => {
    assert.throws(() => parseArgs(["--colour", "red"]), {
      message: /^unknown option "--colour"\nusage: /,
    });
    assert.throws(() => parseArgs(["--port"]), { message: /^--port needs a value\nusage: / });
    assert.throws(() => parseArgs(["--number", "555"]), {
      message: "--number 555: not an E.164 number",
    });
    assert.throws(() => parseArgs(["--rate-limits", "maybe"]), {
      message: "--rate-limits maybe: must be on or off",
    });
  });

  it("exits 2 on bad arguments", async () => {
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      assert.equal(await run(["--port", "x"]), 2);
    } finally {
      process.stderr.write = write;
    }
  });
});
