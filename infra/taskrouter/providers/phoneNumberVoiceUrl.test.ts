import assert from "node:assert/strict";
import * as impl from "./impl";
import type { PhoneNumberVoiceUrlInputs } from "./phoneNumberVoiceUrl";
import { message, TEST_ACCOUNT_SID, UNKNOWN, useProviders } from "./testing";

describe("PhoneNumberVoiceUrl provider", () => {
  const fx = useProviders();
  const declared: PhoneNumberVoiceUrlInputs = {
    phoneNumber: "+15555550100",
    voiceUrl: "https://api.example.com/incoming-call",
    voiceMethod: "POST",
  };
  const numbers = () => fx.client.api.v2010.account.incomingPhoneNumbers;
  const before = async () => {
    const [pn] = await numbers().list({ phoneNumber: "+15555550100" });
    return numbers()(pn.sid).update({
      voiceUrl: "https://old.example.com/voice",
      voiceMethod: "GET",
      voiceFallbackUrl: "https://old.example.com/fallback",
      voiceFallbackMethod: "GET",
    });
  };

  it("fills the method in check and reports a non-E.164 number and a bad URL", async () => {
    assert.deepEqual(
      await impl.phoneNumberVoiceUrl.check(
        {},
        { phoneNumber: "+15555550100", voiceUrl: declared.voiceUrl },
      ),
      { inputs: declared, failures: [] },
    );
    const { failures } = await impl.phoneNumberVoiceUrl.check(
      {},
      { phoneNumber: "5555550100", voiceUrl: "/incoming-call", voiceMethod: "PUT" },
    );
    assert.deepEqual(failures, [
      {
        property: "phoneNumber",
        reason: '"5555550100" is not an E.164 number (+, country code, up to 15 digits)',
      },
      { property: "voiceUrl", reason: 'must be an absolute http(s) URL, got "/incoming-call"' },
      { property: "voiceMethod", reason: 'must be one of GET, POST, got "PUT"' },
    ]);
    const preview = await impl.phoneNumberVoiceUrl.check(
      {},
      { phoneNumber: "+15555550100", voiceUrl: UNKNOWN },
    );
    assert.deepEqual(preview.failures, []);
  });

  it("configures an owned number found by E.164 and keeps its previous settings", async () => {
    const old = await before();
    const { id, outs } = await impl.phoneNumberVoiceUrl.create(declared);
    assert.equal(id, old.sid);
    assert.deepEqual(outs, {
      ...declared,
      sid: id,
      previousVoiceUrl: "https://old.example.com/voice",
      previousVoiceMethod: "GET",
      previousVoiceFallbackUrl: "https://old.example.com/fallback",
      previousVoiceFallbackMethod: "GET",
      accountSid: TEST_ACCOUNT_SID,
    });
    assert.deepEqual(fx.requests().slice(-2), [
      "GET /2010-04-01/Accounts/AC…/IncomingPhoneNumbers.json 200",
      "POST /2010-04-01/Accounts/AC…/IncomingPhoneNumbers/PN….json 200",
    ]);
    const now = await numbers()(id).fetch();
    assert.equal(now.voiceUrl, declared.voiceUrl);
    assert.equal(now.voiceFallbackUrl, "https://old.example.com/fallback");
  });

  it("never buys a number the account does not own", async () => {
    await assert.rejects(
      impl.phoneNumberVoiceUrl.create({ ...declared, phoneNumber: "+15555550199" }),
      message(
        "configuring phone number +15555550199: the account does not own this number; " +
          "buy or port it first (this resource never buys or releases numbers)",
      ),
    );
    assert.deepEqual(fx.requests(), ["GET /2010-04-01/Accounts/AC…/IncomingPhoneNumbers.json 200"]);
  });

  it("updates the URL and fallback in place, reads drift, and replaces for another number", async () => {
    await before();
    const { id, outs } = await impl.phoneNumberVoiceUrl.create(declared);
    const news: PhoneNumberVoiceUrlInputs = {
      ...declared,
      voiceUrl: "https://api.example.com/v2/incoming-call",
      voiceFallbackUrl: "https://api.example.com/fallback",
      voiceFallbackMethod: "POST",
    };
    assert.deepEqual(await impl.phoneNumberVoiceUrl.diff(id, outs, news), {
      replaces: [],
    });
    const { outs: updated } = await impl.phoneNumberVoiceUrl.update(id, outs, news);
    assert.deepEqual(updated, { ...outs, ...news });
    await numbers()(id).update({ voiceUrl: "https://elsewhere.example.com/" });
    const read = await impl.phoneNumberVoiceUrl.read(id, updated);
    assert.equal((read.props as typeof updated).voiceUrl, "https://elsewhere.example.com/");
    assert.deepEqual(await impl.phoneNumberVoiceUrl.diff(id, read.props as typeof updated, news), {
      replaces: [],
    });
    assert.deepEqual(
      await impl.phoneNumberVoiceUrl.diff(id, updated, { ...news, phoneNumber: "+15555550101" }),
      { replaces: ["phoneNumber"] },
    );
  });

  it("restores the previous settings on delete and never releases the number", async () => {
    await before();
    const { id, outs } = await impl.phoneNumberVoiceUrl.create({
      ...declared,
      voiceFallbackUrl: "https://api.example.com/fallback",
      voiceFallbackMethod: "POST",
    });
    await impl.phoneNumberVoiceUrl.delete(id, outs);
    const after = await numbers()(id).fetch();
    assert.deepEqual(
      [after.voiceUrl, after.voiceMethod, after.voiceFallbackUrl, after.voiceFallbackMethod],
      ["https://old.example.com/voice", "GET", "https://old.example.com/fallback", "GET"],
    );
    assert.equal(
      fx.emu.records.some((r) => r.method === "DELETE"),
      false,
    );
  });

  it("reads a number no longer on the account as gone and treats its delete as success", async () => {
    const { outs } = await impl.phoneNumberVoiceUrl.create(declared);
    const missing = "PN" + "0".repeat(32);
    assert.deepEqual(await impl.phoneNumberVoiceUrl.read(missing, { ...outs, sid: missing }), {
      id: "",
    });
    await impl.phoneNumberVoiceUrl.delete(missing, outs);
    assert.deepEqual(fx.requests().slice(-2), [
      "GET /2010-04-01/Accounts/AC…/IncomingPhoneNumbers/PN….json 404",
      "POST /2010-04-01/Accounts/AC…/IncomingPhoneNumbers/PN….json 404",
    ]);
  });
});
