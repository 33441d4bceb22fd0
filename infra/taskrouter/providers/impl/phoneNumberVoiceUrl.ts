import type { IncomingPhoneNumberInstance } from "twilio/lib/rest/api/v2010/account/incomingPhoneNumber";
import type { PhoneNumberVoiceUrlInputs, PhoneNumberVoiceUrlOutputs } from "../phoneNumberVoiceUrl";
import {
  attempt,
  Checker,
  declared,
  defined,
  diffProps,
  fetchOrGone,
  optional,
  ProviderError,
} from "./common";
import { twilioClient } from "./state";
import { isNotFound } from "../../twilioClient";
import { checkE164 } from "../../validate";

const label = (number: string) => `phone number ${number}`;

type Previous = Pick<
  PhoneNumberVoiceUrlOutputs,
  | "previousVoiceUrl"
  | "previousVoiceMethod"
  | "previousVoiceFallbackUrl"
  | "previousVoiceFallbackMethod"
>;

function outputs(
  pn: IncomingPhoneNumberInstance,
  declared: PhoneNumberVoiceUrlInputs,
  previous: Previous,
): PhoneNumberVoiceUrlOutputs {
  // An undeclared fallback is not managed, so it is not reported (and never reads as drift).
  const managesFallback = declared.voiceFallbackUrl !== undefined;
  return defined({
    phoneNumber: pn.phoneNumber,
    voiceUrl: pn.voiceUrl ?? "",
    voiceMethod: (pn.voiceMethod ?? "POST").toUpperCase() as "GET" | "POST",
    voiceFallbackUrl: managesFallback ? (pn.voiceFallbackUrl ?? "") : undefined,
    voiceFallbackMethod: managesFallback
      ? ((pn.voiceFallbackMethod ?? "POST").toUpperCase() as "GET" | "POST")
      : undefined,
    sid: pn.sid,
    previousVoiceUrl: previous.previousVoiceUrl,
    previousVoiceMethod: previous.previousVoiceMethod,
    previousVoiceFallbackUrl: previous.previousVoiceFallbackUrl,
    previousVoiceFallbackMethod: previous.previousVoiceFallbackMethod,
  });
}

function settable(inputs: PhoneNumberVoiceUrlInputs) {
  return {
    voiceUrl: inputs.voiceUrl,
    voiceMethod: inputs.voiceMethod,
    ...(inputs.voiceFallbackUrl !== undefined
      ? {
          voiceFallbackUrl: inputs.voiceFallbackUrl,
          voiceFallbackMethod: inputs.voiceFallbackMethod ?? "POST",
        }
      : {}),
  };
}

export async function check(_olds: unknown, news: Record<string, unknown>) {
  const inputs: Record<string, unknown> = { voiceMethod: "POST", ...news };
  if (inputs.voiceFallbackUrl !== undefined && inputs.voiceFallbackMethod === undefined) {
    inputs.voiceFallbackMethod = "POST";
  }
  const c = new Checker(inputs);
  c.rule("phoneNumber", () => {
    const r = checkE164(String(inputs.phoneNumber));
    return r ? [{ message: r }] : [];
  });
  if (inputs.phoneNumber === undefined) c.fail("phoneNumber", "is required");
  if (inputs.voiceUrl === undefined || inputs.voiceUrl === "") c.fail("voiceUrl", "is required");
  c.url("voiceUrl");
  c.url("voiceFallbackUrl");
  c.oneOf("voiceMethod", ["GET", "POST"]);
  c.oneOf("voiceFallbackMethod", ["GET", "POST"]);
  return { inputs: inputs as unknown as PhoneNumberVoiceUrlInputs, failures: c.failures };
}

export async function diff(
  _id: string,
  olds: PhoneNumberVoiceUrlOutputs,
  news: PhoneNumberVoiceUrlInputs,
) {
  return diffProps(olds, news, {
    compare: {
      phoneNumber: true,
      voiceUrl: true,
      voiceMethod: true,
      voiceFallbackUrl: optional,
      voiceFallbackMethod: true,
    },
    replaces: ["phoneNumber"],
  });
}

export async function create(inputs: PhoneNumberVoiceUrlInputs) {
  const numbers = twilioClient().api.v2010.account.incomingPhoneNumbers;
  const name = label(inputs.phoneNumber);
  const owned = await attempt("looking up", name, () =>
    numbers.list({ phoneNumber: inputs.phoneNumber }),
  );
  const found = owned.find((n) => n.phoneNumber === inputs.phoneNumber);
  if (!found) {
    throw new ProviderError(
      `configuring ${name}: the account does not own this number; ` +
        `buy or port it first (this resource never buys or releases numbers)`,
    );
  }
  const previous: Previous = {
    previousVoiceUrl: found.voiceUrl ?? "",
    previousVoiceMethod: found.voiceMethod ?? "",
    previousVoiceFallbackUrl: found.voiceFallbackUrl ?? "",
    previousVoiceFallbackMethod: found.voiceFallbackMethod ?? "",
  };
  const pn = await attempt("configuring", name, () => numbers(found.sid).update(settable(inputs)));
  return { id: pn.sid, outs: outputs(pn, inputs, previous) };
}

export async function read(id: string, props: PhoneNumberVoiceUrlOutputs) {
  const pn = await fetchOrGone(label(props.phoneNumber ?? id), () =>
    twilioClient().api.v2010.account.incomingPhoneNumbers(id).fetch(),
  );
  if (!pn) return { id: "" };
  const live = outputs(pn, props, props);
  return {
    id,
    props: live,
    inputs: declared(live, [
      "phoneNumber",
      "voiceUrl",
      "voiceMethod",
      "voiceFallbackUrl",
      "voiceFallbackMethod",
    ]),
  };
}

export async function update(
  id: string,
  olds: PhoneNumberVoiceUrlOutputs,
  news: PhoneNumberVoiceUrlInputs,
) {
  const pn = await attempt("configuring", label(news.phoneNumber), () =>
    twilioClient().api.v2010.account.incomingPhoneNumbers(id).update(settable(news)),
  );
  return { outs: outputs(pn, news, olds) };
}

/** Restores the settings found before; never releases the number. A number gone is success. */
async function remove(id: string, props: PhoneNumberVoiceUrlOutputs) {
  const restore: Record<string, string> = { voiceUrl: props.previousVoiceUrl ?? "" };
  if (props.previousVoiceMethod) restore.voiceMethod = props.previousVoiceMethod;
  if (props.voiceFallbackUrl !== undefined) {
    restore.voiceFallbackUrl = props.previousVoiceFallbackUrl ?? "";
    if (props.previousVoiceFallbackMethod) {
      restore.voiceFallbackMethod = props.previousVoiceFallbackMethod;
    }
  }
  await attempt("restoring", label(props.phoneNumber ?? id), async () => {
    try {
      await twilioClient().api.v2010.account.incomingPhoneNumbers(id).update(restore);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  });
}
export { remove as delete };
