// The IVR's shared rules. Flow (all URLs absolute, from PUBLIC_BASE_URL):
//   /incoming-call            greeting, Gather(1 digit → /enqueue-call), else Redirect /incoming-call?attempt=2
//   /incoming-call?attempt=2  menu again (no greeting), Gather(→ /enqueue-call?attempt=2),
//                             else Redirect /enqueue-call?attempt=2 (no Digits: the default route)
//   /enqueue-call             a known digit → Enqueue with that option's attributes; an unknown or
//                             missing digit → on attempt 1 Redirect /incoming-call?attempt=2,
//                             on attempt 2 Enqueue with defaultAttributes.
// So the caller is re-prompted exactly once, whether they pressed nothing or a wrong key.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import type { IvrMenu } from "./config";

export const LAST_ATTEMPT = 2;

/** `attempt` from our own redirect URLs; anything else is the first attempt. */
export const attemptOf = (query: URLSearchParams): number =>
  query.get("attempt") === String(LAST_ATTEMPT) ? LAST_ATTEMPT : 1;

type Say = VoiceResponse.SayAttributes;
// The stack's voice and language are free strings (Twilio adds voices faster than the typings).
export const sayAttributes = (ivr: IvrMenu): Say => ({
  voice: ivr.voice as NonNullable<Say["voice"]>,
  language: ivr.language as NonNullable<Say["language"]>,
});

const KEYPAD_ORDER = "1234567890*#";
const SPOKEN: Record<string, string> = { "*": "star", "#": "pound" };

/** Options in keypad order, with how the key is said. */
export function menuOptions(ivr: IvrMenu): { digit: string; spoken: string; label: string }[] {
  return Object.keys(ivr.options)
    .sort((a, b) => KEYPAD_ORDER.indexOf(a) - KEYPAD_ORDER.indexOf(b))
    .map((digit) => ({ digit, spoken: SPOKEN[digit] ?? digit, label: ivr.options[digit].label }));
}
