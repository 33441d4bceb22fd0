// Value formats shared by the stack validator (validate.ts) and the call handlers' config
// (infra/functions/config.ts), so a stack that validates never fails the handlers at cold start.
// No imports: the handler bundles include this file.

/** E.164: +, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{1,14}$/;

/** One keypad key, as an IVR option key. */
export const KEYPAD_KEY = /^[0-9*#]$/;

/** An absolute http(s) URL without whitespace (what <Play> and the wait URL accept). */
export const HTTP_URL = /^https?:\/\/\S+$/;
