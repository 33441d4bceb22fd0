// A call's own time (CallOptions.at, `npm run call --at`): not a Twilio feature. Twilio's requests
// carry no time; the emulator adds X-Emulator-Call-Time so the local webhook host can give the
// call-flow handlers the call's time as "now" (their hours logic).
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { placeCall } from "./phone";
import { CALL_TIME_HEADER } from "./call";
import { VIRTUAL_EPOCH } from "../taskrouter/clock";
import { admin, TEST_NUMBERS, useEmulator } from "../testing/fixture";

const NUMBER = TEST_NUMBERS[0];

describe("virtual calls: the call's own time", () => {
  const fx = useEmulator({ clock: "virtual" });
  let server: Server;
  let seen: Array<{ path: string; time: string | undefined }>;

  before(async () => {
    server = createServer((req, res) => {
      seen.push({
        path: (req.url ?? "").split("?")[0],
        time: req.headers[CALL_TIME_HEADER.toLowerCase()] as string | undefined,
      });
      res.setHeader("Content-Type", "text/xml");
      res.end(
        req.url === "/voice"
          ? '<Response><Say>Hello there</Say><Pause length="3"/><Redirect>/next</Redirect></Response>'
          : "<Response><Hangup/></Response>",
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  after(() => server.close());

  beforeEach(async () => {
    await admin(fx.emu, "POST", "/reset");
    seen = [];
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/voice`;
    const [number] = await fx.client.incomingPhoneNumbers.list({ phoneNumber: NUMBER });
    await fx.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: url });
  });

  it("sends the call's time, moving with the call, on every webhook", async () => {
    const result = await placeCall(fx.emu, {
      to: NUMBER,
      from: "+15555550123",
      at: "2026-12-25T10:00:00+01:00",
    });
    assert.deepEqual(seen, [
      { path: "/voice", time: "2026-12-25T09:00:00Z" },
      { path: "/next", time: "2026-12-25T09:00:04Z" }, // 1 s of speech, a 3 s pause
    ]);
    assert.deepEqual(
      [result.startedAt, result.endedAt],
      ["2026-12-25T09:00:00Z", "2026-12-25T09:00:04Z"],
    );
  });

  it("without `at` sends the emulator's clock", async () => {
    const now = fx.emu.clock.now();
    assert.ok(now >= VIRTUAL_EPOCH);
    await placeCall(fx.emu, { to: NUMBER, from: "+15555550123" });
    assert.equal(seen[0].time, new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"));
  });

  it("refuses a time without a zone (400 naming the field)", async () => {
    const res = await fetch(`${fx.emu.url}/__emulator/calls`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ to: NUMBER, from: "+15555550123", at: "2026-12-25T10:00:00" }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error:
        "at: 2026-12-25T10:00:00 is not an ISO 8601 time with Z or an offset (e.g. 2026-12-25T10:00:00Z, 2026-12-25T10:00:00+01:00)",
    });
  });
});
