import { strict as assert } from "node:assert";
import { startWebhookServer, xml, type WebhookServer } from "../../emulator/testing";
import { TEST_NUMBERS, useEmulator } from "../../emulator/testing";
import { parseArgs, run } from "./call";

/** Runs the command, capturing what it writes. */
async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    const code = await run(argv);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe("npm run call", () => {
  const fx = useEmulator({ clock: "virtual" });
  let twiml: WebhookServer;
  before(async () => {
    twiml = await startWebhookServer(() =>
      xml("<Response><Say>Hello there</Say><Hangup/></Response>"),
    );
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: TEST_NUMBERS[0] });
    await fx.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${twiml.url}/voice` });
  });
  after(() => twiml.close());

  const base = () => ["--emulator", fx.emu.url, "--to", TEST_NUMBERS[0], "--from", "+15555550123"];

  it("prints one JSON object with the call's outcome and steps", async () => {
    const { code, out } = await capture([...base(), "--json"]);
    assert.equal(code, 0);
    const result = JSON.parse(out) as Record<string, unknown> & {
      steps: Array<{ at: number; kind: string }>;
    };
    assert.deepEqual(
      [result.outcome, result.taskSid, result.queue, result.assignedWorker, result.bridgedTo],
      ["hung-up", null, null, null, null],
    );
    assert.deepEqual(
      result.steps.map((s) => `${s.at} ${s.kind}`),
      ["0 call.started", "0 webhook", "0 say", "1 hangup", "1 call.ended"],
    );
  });

  it("prints a transcript without --json", async () => {
    const { code, out } = await capture(base());
    assert.equal(code, 0);
    assert.equal(out.split("\n").at(-2), "Outcome: hung-up");
  });

  it("reads digits, hang-up and talk times", () => {
    assert.deepEqual(
      parseArgs([
        ...base(),
        "--digits",
        "2",
        "--digits",
        "1#",
        "--hangup-after",
        "45",
        "--talk",
        "10",
      ]).body,
      {
        to: TEST_NUMBERS[0],
        from: "+15555550123",
        digits: ["2", "1#"],
        hangupAfterSeconds: 45,
        talkSeconds: 10,
      },
    );
  });

  it("reads --message <seconds>[:<key>] as what the caller says at each <Record>", () => {
    assert.deepEqual(
      parseArgs([...base(), "--message", "12:#", "--message", "4.5"]).body.messages,
      [{ seconds: 12, key: "#" }, { seconds: 4.5 }],
    );
    assert.throws(() => parseArgs([...base(), "--message", "12:##"]), {
      message: "--message 12:##: not <seconds> or <seconds>:<key>",
    });
  });

  it("refuses a call whose messages are not seconds and one key (400 naming the field)", async () => {
    const res = await fetch(`${fx.emu.url}/__emulator/calls`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        to: TEST_NUMBERS[0],
        from: "+15555550123",
        messages: [{ seconds: 3, key: "12" }],
      }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: "messages must be a list of { seconds: non-negative number, key?: one keypad key }",
    });
  });

  it("reads --at as the call's own time and refuses one without a zone", () => {
    assert.equal(
      parseArgs([...base(), "--at", "2026-12-25T10:00:00Z"]).body.at,
      "2026-12-25T10:00:00Z",
    );
    assert.throws(() => parseArgs([...base(), "--at", "25/12/2026 10:00"]), {
      message:
        "--at 25/12/2026 10:00 is not an ISO 8601 time with Z or an offset (e.g. 2026-12-25T10:00:00Z, 2026-12-25T10:00:00+01:00)",
    });
  });

  it("reads --flag=value as --flag value", () => {
    assert.deepEqual(
      parseArgs([
        "--emulator=http://127.0.0.1:4010/",
        "--to=+15555550100",
        "--from=+15555550123",
        "--digits=2",
        "--talk=3",
        "--json",
      ]),
      {
        emulator: "http://127.0.0.1:4010",
        body: { to: "+15555550100", from: "+15555550123", digits: "2", talkSeconds: 3 },
        json: true,
      },
    );
  });

  it("exits 2 naming the bad argument", async () => {
    const { code, err } = await capture([
      "--emulator",
      fx.emu.url,
      "--to",
      "5550100",
      "--from",
      "+15555550123",
    ]);
    assert.equal(code, 2);
    assert.equal(err.split("\n")[0], "call: --to 5550100: not an E.164 number");
  });

  it("reports a call to a number the account does not own as failed", async () => {
    const { code, out } = await capture([
      ...base().slice(0, 2),
      "--to",
      "+15555550999",
      "--from",
      "+15555550123",
      "--json",
    ]);
    assert.equal(code, 0);
    const result = JSON.parse(out) as { outcome: string; error: unknown };
    assert.deepEqual(
      [result.outcome, result.error],
      ["failed", { code: 20404, message: "The number +15555550999 is not one the account owns" }],
    );
  });

  it("exits 1 when the emulator cannot be reached", async () => {
    const unreachable = await capture([
      "--emulator",
      "http://127.0.0.1:1",
      "--to",
      TEST_NUMBERS[0],
      "--from",
      "+15555550123",
    ]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.err, /^call: cannot reach the emulator at http:\/\/127\.0\.0\.1:1: /);
  });
});
