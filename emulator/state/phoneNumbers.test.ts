import assert from "node:assert/strict";
import { phoneNumberSid } from "./store";
import { raw, TEST_ACCOUNT_SID, TEST_NUMBERS, useEmulator } from "../testing/fixture";

describe("emulator IncomingPhoneNumbers (API 2010)", () => {
  const fx = useEmulator();
  const sidOf = (n: string) => phoneNumberSid(TEST_ACCOUNT_SID, n);

  it("lists exactly the numbers the account owns, with empty voice configuration", async () => {
    const list = await fx.client.incomingPhoneNumbers.list();
    assert.deepEqual(
      list.map((n) => [n.phoneNumber, n.sid, n.voiceUrl, n.voiceMethod]),
      TEST_NUMBERS.map((n) => [n, sidOf(n), null, "POST"]),
    );
    assert.match(list[0].sid, /^PN[0-9a-f]{32}$/);
  });

  it("filters by PhoneNumber, exactly or with * wildcard digits", async () => {
    const exact = await fx.client.incomingPhoneNumbers.list({ phoneNumber: "+15555550101" });
    assert.deepEqual(
      exact.map((n) => n.phoneNumber),
      ["+15555550101"],
    );
    const wild = await fx.client.incomingPhoneNumbers.list({ phoneNumber: "+1555555010*" });
    assert.deepEqual(
      wild.map((n) => n.phoneNumber),
      ["+15555550100", "+15555550101"],
    );
    assert.deepEqual(
      await fx.client.incomingPhoneNumbers.list({ phoneNumber: "+19999999999" }),
      [],
    );
  });

  it("pages with the 2010 envelope and relative URIs", async () => {
    const all = await fx.client.incomingPhoneNumbers.list({ pageSize: 1 });
    assert.equal(all.length, 3);
    const first = fx.emu.records.find((r) => r.query.PageSize === "1")?.response as Record<
      string,
      unknown
    >;
    const path = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/IncomingPhoneNumbers.json`;
    assert.equal(first.uri, `${path}?PageSize=1&Page=0`);
    assert.equal(first.first_page_uri, `${path}?PageSize=1&Page=0`);
    assert.match(
      String(first.next_page_uri),
      new RegExp(`^${path.replace(/\./g, "\\.")}\\?PageSize=1&Page=1&PageToken=PT`),
    );
    assert.equal(first.start, 0);
    assert.equal(first.end, 0);
    assert.equal(first.previous_page_uri, null);
  });

  it("fetches and updates the voice configuration", async () => {
    const sid = sidOf(TEST_NUMBERS[0]);
    const u = await fx.client.incomingPhoneNumbers(sid).update({
      voiceUrl: "https://example.com/voice",
      voiceMethod: "GET",
      voiceFallbackUrl: "https://example.com/fallback",
      voiceFallbackMethod: "GET",
      statusCallback: "https://example.com/status",
    });
    assert.equal(u.voiceUrl, "https://example.com/voice");
    assert.equal(u.voiceMethod, "GET");
    const f = await fx.client.incomingPhoneNumbers(sid).fetch();
    assert.deepEqual(
      [f.voiceUrl, f.voiceMethod, f.voiceFallbackUrl, f.voiceFallbackMethod, f.statusCallback],
      [
        "https://example.com/voice",
        "GET",
        "https://example.com/fallback",
        "GET",
        "https://example.com/status",
      ],
    );
    const cleared = await fx.client.incomingPhoneNumbers(sid).update({ voiceUrl: "" });
    assert.equal(cleared.voiceUrl, null);
  });

  it("refuses a voice URL that is not an absolute http(s) URL", async () => {
    await assert.rejects(
      fx.client.incomingPhoneNumbers(sidOf(TEST_NUMBERS[0])).update({ voiceUrl: "/relative" }),
      {
        status: 400,
        code: 20001,
        message: 'Invalid VoiceUrl: "/relative" is not an absolute URL',
      },
    );
  });

  it("refuses settings it does not emulate instead of ignoring them", async () => {
    await assert.rejects(
      fx.client
        .incomingPhoneNumbers(sidOf(TEST_NUMBERS[0]))
        .update({ voiceApplicationSid: "AP" + "0".repeat(32) }),
      { status: 400, code: 20001, message: "VoiceApplicationSid is not supported by the emulator" },
    );
  });

  it("refuses buying (POST to the list) and releasing (DELETE) with 405 / 20004", async () => {
    await assert.rejects(fx.client.incomingPhoneNumbers.create({ phoneNumber: "+15555550199" }), {
      status: 405,
      code: 20004,
      message:
        "Method not allowed: the emulator does not buy phone numbers; start it with --number for each number the account owns",
    });
    await assert.rejects(fx.client.incomingPhoneNumbers(sidOf(TEST_NUMBERS[1])).remove(), {
      status: 405,
      code: 20004,
      message: "Method not allowed: the emulator does not release phone numbers",
    });
    assert.equal((await fx.client.incomingPhoneNumbers.list()).length, 3);
  });

  it("answers an unknown number and another account with 404 / 20404", async () => {
    const sid = "PN" + "0".repeat(32);
    await assert.rejects(fx.client.incomingPhoneNumbers(sid).fetch(), {
      status: 404,
      code: 20404,
      message: `The requested resource /2010-04-01/Accounts/${TEST_ACCOUNT_SID}/IncomingPhoneNumbers/${sid}.json was not found`,
    });
    const other = "AC" + "b".repeat(32);
    const res = await raw(fx.emu, "GET", `/2010-04-01/Accounts/${other}/IncomingPhoneNumbers.json`);
    assert.equal(res.status, 404);
  });
});
