// Test support for the provider suites: a fresh emulator per suite (emulator/testing), the
// provider implementation configured against it with instant, recorded retries, and helpers to
// read the emulator's recorded requests with SIDs abbreviated (WS…) so assertions are exact.
import assert from "node:assert/strict";
import {
  admin,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  useEmulator,
  type EmulatorFixture,
} from "../../../emulator/testing";
import * as impl from "./impl";
import { noteWorkspace } from "./impl/state";

export { UNKNOWN } from "./impl/common";
export { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, admin, noteWorkspace };

export interface ProviderFixture extends EmulatorFixture {
  /** Provider log lines since the test started. */
  logs: string[];
  /** Backoff delays chosen since the test started (random() is fixed at 0.5). */
  delays: number[];
  /** Recorded requests since the test started, as "METHOD /path STATUS" with SIDs as "XX…". */
  requests(): string[];
  /** Injects a fault (emulator admin API). */
  fault(spec: Record<string, unknown>): Promise<void>;
  /**
   * Starts afresh as a new provider process (a new deployment: `up` then `destroy`), so nothing is
   * claimed yet (impl/state.ts); configuration, logs and recorded requests are kept.
   */
  newProcess(): void;
}

/** Stack config as the engine passes it to `configure`. */
export function stackConfig(values: Record<string, string>): {
  get(key: string): string | undefined;
} {
  return { get: (key) => values[key] };
}

export const abbreviate = (text: string): string =>
  text.replace(/\b(WS|WA|WK|WQ|WW|PN|AC)[0-9a-fA-F]{32}\b/g, "$1…");

/**
 * A workspace (seeded with Offline, Unavailable and Available) that this provider process knows as
 * the stack's own, as when the stack's Workspace resource created it or its diff ran in this
 * process: objects found by name inside it are reused. `foreign`: someone else's workspace.
 */
export async function newWorkspace(
  fx: EmulatorFixture,
  friendlyName = "Contact Centre",
  opts: { foreign?: boolean } = {},
) {
  const ws = await fx.client.taskrouter.v1.workspaces.create({
    friendlyName,
    multiTaskEnabled: false,
  });
  if (!opts.foreign) noteWorkspace(ws.sid, true);
  return ws;
}

/** Asserts a rejection's message with SIDs abbreviated (they are random). */
export function message(expected: string): (err: unknown) => boolean {
  return (err) => {
    if (!(err instanceof Error)) throw err;
    if (abbreviate(err.message) !== expected) {
      throw new Error(
        `message ${JSON.stringify(abbreviate(err.message))} ≠ ${JSON.stringify(expected)}`,
      );
    }
    return true;
  };
}

interface Deletable<O> {
  read(id: string, props: O): Promise<{ id: string }>;
  delete(id: string, props: O): Promise<void>;
}

/**
 * Deletes, reads the object as gone (404 → blank id) and deletes again (404 → success), asserting
 * the three requests; `path` is the object's path with SIDs abbreviated.
 */
export async function deleteReadDelete<O>(
  fx: ProviderFixture,
  provider: Deletable<O>,
  id: string,
  outs: O,
  path: string,
): Promise<void> {
  await provider.delete(id, outs);
  assert.deepEqual(await provider.read(id, outs), { id: "" });
  await provider.delete(id, outs);
  assert.deepEqual(fx.requests().slice(-3), [
    `DELETE ${path} 204`,
    `GET ${path} 404`,
    `DELETE ${path} 404`,
  ]);
}

/**
 * `emulator`: the local Twilio's options (e.g. its rate limits); `config`: more stack config for
 * `configure` (e.g. `twilio:rateLimits`).
 */
export function useProviders(
  opts: { emulator?: Parameters<typeof useEmulator>[0]; config?: Record<string, string> } = {},
): ProviderFixture {
  const fx = useEmulator(opts.emulator) as ProviderFixture;
  fx.logs = [];
  fx.delays = [];
  fx.requests = () =>
    fx.emu.records.map((r) => abbreviate(`${r.method} ${r.path} ${r.status ?? "dropped"}`));
  fx.fault = async (spec) => {
    await admin(fx.emu, "POST", "/faults", spec);
  };
  fx.newProcess = () => {
    impl.resetForTests();
    impl.configure(
      stackConfig({
        "twilio:accountSid": TEST_ACCOUNT_SID,
        "twilio:authToken": TEST_AUTH_TOKEN,
        "twilio:apiBaseUrl": fx.emu.url,
        ...opts.config,
      }),
      {
        log: (line) => fx.logs.push(line),
        retry: {
          sleep: async (ms) => {
            fx.delays.push(ms);
          },
          random: () => 0.5,
        },
      },
    );
  };
  beforeEach(() => {
    fx.emu.reset();
    fx.logs.length = 0;
    fx.delays.length = 0;
    fx.newProcess(); // each test starts as a new provider process
  });
  after(() => impl.resetForTests());
  return fx;
}
