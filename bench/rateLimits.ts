// Creating many workers under TaskRouter's rate limits: how close the providers' pacing comes to
// what the limits themselves allow.
//
// Method: a local Twilio with its default rate limits on (emulator/wire/rateLimits.ts), one workspace,
// and the Worker provider implementation (infra/taskrouter/providers/impl, the code `pulumi up`
// runs, in-process: no engine) creating WORKERS workers all at once, as the engine does with its
// default unbounded parallelism. Each create is one Worker-Create (worker names are unique in
// Twilio, so a create no check found a worker for writes first). With L requests per second per
// key, the last of WORKERS requests on a key cannot be admitted before ceil(WORKERS / L) − 1 full
// one-second windows have passed: the floor for the whole run. Reported: wall time,
// that floor, their ratio (issue 19's target: within 1.2×), requests answered 429 (target 0), and
// the load average.
import * as os from "node:os";
import { createEmulator } from "../emulator";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from "../emulator/testing";
import { twilioClientFor } from "../emulator";
import * as impl from "../infra/taskrouter/providers/impl";
import { DEFAULT_RATE_LIMITS, limitOf } from "../infra/taskrouter/rateLimits";

export const WORKERS = 500;

export interface RateLimitBench {
  workers: number;
  limitPerSecond: number;
  wallMs: number;
  floorMs: number;
  ratio: number;
  throttled: number;
  requests: number;
  loadAverage1m: number;
}

export async function benchRateLimits(workers = WORKERS): Promise<RateLimitBench> {
  const emu = await createEmulator({
    port: 0,
    accountSid: TEST_ACCOUNT_SID,
    authToken: TEST_AUTH_TOKEN,
    numbers: [],
    clock: "virtual",
  });
  try {
    const client = twilioClientFor(emu.url, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
    const ws = await client.taskrouter.v1.workspaces.create({ friendlyName: "Bench" });
    impl.configure({
      get: (key) =>
        ({
          "twilio:accountSid": TEST_ACCOUNT_SID,
          "twilio:authToken": TEST_AUTH_TOKEN,
          "twilio:apiBaseUrl": emu.url,
        })[key],
    });
    emu.records.length = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        impl.worker.create({
          workspaceSid: ws.sid,
          friendlyName: `Agent ${i}`,
          attributes: { languages: ["english"] },
        }),
      ),
    );
    const wallMs = Math.round(performance.now() - started);
    const limit = limitOf(DEFAULT_RATE_LIMITS, "Worker-Create");
    const floorMs = (Math.ceil(workers / limit) - 1) * 1000;
    return {
      workers,
      limitPerSecond: limit,
      wallMs,
      floorMs,
      ratio: Math.round((wallMs / floorMs) * 100) / 100,
      throttled: emu.records.filter((r) => r.status === 429).length,
      requests: emu.records.length,
      loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    };
  } finally {
    await emu.close();
  }
}
