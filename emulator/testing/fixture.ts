// Test support: a fresh emulator per mocha suite, an official twilio client for it, and an
// OpenAPI check of every response the emulator sends; any violation fails the suite's `after` hook.
import { twilioClientFor, type TwilioClient } from "../wire/client";
import { OpenApi } from "../wire/openapi";
import { createEmulator, type Emulator, type EmulatorOptions } from "../wire/server";

export const TEST_ACCOUNT_SID = "AC" + "a1".repeat(16);
export const TEST_AUTH_TOKEN = "test-token-0123456789";
export const TEST_NUMBERS = ["+15555550100", "+15555550101", "+442071838750"];

let shared: OpenApi | undefined;
export function openApi(): OpenApi {
  shared ??= new OpenApi();
  return shared;
}

export interface EmulatorFixture {
  emu: Emulator;
  client: TwilioClient;
  /** OpenAPI problems seen so far in this suite. */
  problems: string[];
}

/** Registers before/after hooks; the returned object is filled in by `before`. */
export function useEmulator(opts: Partial<EmulatorOptions> = {}): EmulatorFixture {
  const fx = { problems: [] } as unknown as EmulatorFixture;
  before(async () => {
    const api = openApi();
    fx.emu = await createEmulator({
      port: 0,
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      numbers: TEST_NUMBERS,
      ...opts,
      onResponse: (r) => {
        if (r.status !== null)
          fx.problems.push(...api.check(r.method, r.path, r.status, r.response));
      },
    });
    fx.client = twilioClientFor(fx.emu.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  });
  after(async () => {
    await fx.emu?.close();
    if (fx.problems.length > 0) {
      throw new Error(
        `responses that do not match Twilio's OpenAPI:\n${[...new Set(fx.problems)].join("\n")}`,
      );
    }
  });
  return fx;
}

/** POST/GET/DELETE to the admin API (no auth). */
export async function admin(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${emu.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return text === "" ? null : (JSON.parse(text) as unknown);
}

/** Raw request to the emulator with the test credentials (for what the twilio client cannot send). */
export async function raw(
  emu: Emulator,
  method: string,
  path: string,
  init: { body?: string | Buffer; contentType?: string; auth?: string | null } = {},
): Promise<{ status: number; body: unknown }> {
  const auth =
    init.auth === null
      ? undefined
      : `Basic ${Buffer.from(init.auth ?? `${emu.accountSid}:${emu.authToken}`).toString("base64")}`;
  const headers: Record<string, string> = {};
  if (auth) headers.Authorization = auth;
  if (init.contentType) headers["Content-Type"] = init.contentType;
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: init.body });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}
