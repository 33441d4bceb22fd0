// Incoming phone numbers: the account owns the numbers it was started with (stable SIDs, seeded
// unconfigured); only the friendly name and the voice/status callback settings change.
import { checkName } from "./checks";
import { clone, phoneNumberSid, type PhoneNumberRec } from "./records";
import type { Store } from "./store";

type Method = "GET" | "POST";

export interface PhoneNumberUpdate {
  /** "" resets it to the number. */
  friendlyName?: string;
  /** null clears a URL. */
  voiceUrl?: string | null;
  voiceMethod?: Method;
  voiceFallbackUrl?: string | null;
  voiceFallbackMethod?: Method;
  statusCallback?: string | null;
  statusCallbackMethod?: Method;
}

/** The owned numbers with empty voice configuration. */
export function seedNumbers(s: Store): void {
  const now = s.stamp();
  for (const n of s.numbers) {
    if (!/^\+[1-9]\d{1,14}$/.test(n)) throw new Error(`emulator: number ${n} is not E.164`);
    const sid = phoneNumberSid(s.accountSid, n);
    s.phoneNumbers.set(sid, {
      sid,
      phoneNumber: n,
      friendlyName: n,
      voiceUrl: null,
      voiceMethod: "POST",
      voiceFallbackUrl: null,
      voiceFallbackMethod: "POST",
      statusCallback: null,
      statusCallbackMethod: "POST",
      dateCreated: now,
      dateUpdated: now,
    });
  }
}

export function updatePhoneNumber(s: Store, sid: string, input: PhoneNumberUpdate): PhoneNumberRec {
  const n = s.phoneNumber(sid);
  const { friendlyName } = input;
  if (friendlyName !== undefined) checkName(friendlyName);
  const previous = clone(n);
  if (friendlyName !== undefined)
    n.friendlyName = friendlyName === "" ? n.phoneNumber : friendlyName;
  const fields = [
    "voiceUrl",
    "voiceMethod",
    "voiceFallbackUrl",
    "voiceFallbackMethod",
    "statusCallback",
    "statusCallbackMethod",
  ] as const;
  for (const f of fields) {
    const v = input[f];
    if (v !== undefined) (n as unknown as Record<string, unknown>)[f] = v;
  }
  n.dateUpdated = s.stamp();
  s.emit("phonenumber.updated", { phoneNumber: clone(n), previous });
  return n;
}
