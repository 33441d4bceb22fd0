// API 2010 IncomingPhoneNumbers: list, fetch, update; buying and releasing are refused (405).
import { methodNotAllowed, notFound } from "../../errors";
import { api2010List, readPage } from "../paging";
import { renderPhoneNumber } from "../render";
import { ok, type Route, type RouteContext } from "../route";

const LIST = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json";
const ONE = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json";
const METHODS = ["GET", "POST"] as const;
const UNSUPPORTED = [
  "VoiceApplicationSid",
  "TrunkSid",
  "SmsUrl",
  "SmsMethod",
  "SmsFallbackUrl",
  "SmsFallbackMethod",
  "SmsApplicationSid",
  "VoiceReceiveMode",
  "EmergencyStatus",
  "EmergencyAddressSid",
  "IdentitySid",
  "AddressSid",
  "BundleSid",
  "AccountSid",
  "ApiVersion",
  "VoiceCallerIdLookup",
];

/** API 2010 paths name the account; any other account is not found (strict). */
function own(c: RouteContext): void {
  if (c.pathParams.AccountSid !== c.store.accountSid) throw notFound(c.path);
}

export const phoneNumberRoutes: Route[] = [
  {
    method: "GET",
    template: LIST,
    handler: (c) => {
      own(c);
      const spec = readPage(c.query, ["PhoneNumber", "FriendlyName", "Beta", "Origin"], false);
      let list = [...c.store.phoneNumbers.values()];
      const pn = c.query.str("PhoneNumber");
      if (pn !== undefined) {
        // `*` is a wildcard digit; a partial number matches anywhere in the number.
        const re = new RegExp(pn.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "\\d"));
        list = list.filter((n) => re.test(n.phoneNumber));
      }
      const fn = c.query.str("FriendlyName");
      if (fn !== undefined) list = list.filter((n) => n.friendlyName === fn);
      const beta = c.query.bool("Beta");
      if (beta === true) list = [];
      const origin = c.query.str("Origin");
      if (origin !== undefined && origin !== "twilio") list = [];
      return api2010List(c, "incoming_phone_numbers", spec, list, (n) =>
        renderPhoneNumber(c.store, n),
      );
    },
  },
  {
    method: "POST",
    template: LIST,
    handler: (c) => {
      own(c);
      throw methodNotAllowed(
        "Method not allowed: the emulator does not buy phone numbers; start it with --number for each number the account owns",
      );
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (c) => (own(c), ok(renderPhoneNumber(c.store, c.store.phoneNumber(c.pathParams.Sid)))),
  },
  {
    method: "POST",
    template: ONE,
    handler: (c) => {
      own(c);
      c.store.phoneNumber(c.pathParams.Sid);
      const p = c.form;
      p.refuse(UNSUPPORTED, "is not supported by the emulator");
      const n = c.store.updatePhoneNumber(c.pathParams.Sid, {
        friendlyName: p.str("FriendlyName"),
        voiceUrl: p.url("VoiceUrl"),
        voiceMethod: p.oneOf("VoiceMethod", METHODS),
        voiceFallbackUrl: p.url("VoiceFallbackUrl"),
        voiceFallbackMethod: p.oneOf("VoiceFallbackMethod", METHODS),
        statusCallback: p.url("StatusCallback"),
        statusCallbackMethod: p.oneOf("StatusCallbackMethod", METHODS),
      });
      return ok(renderPhoneNumber(c.store, n));
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (c) => {
      own(c);
      c.store.phoneNumber(c.pathParams.Sid);
      throw methodNotAllowed("Method not allowed: the emulator does not release phone numbers");
    },
  },
];
