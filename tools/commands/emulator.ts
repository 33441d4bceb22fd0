// `npm run emulator -- --port <p> --account-sid <AC…> --auth-token <token> --number <+E164>
// [--number …] [--state <file>] [--clock real|virtual] [--rate-limits on|off]`: runs the local Twilio
// until SIGINT/SIGTERM.
import {
  createEmulator,
  DEV_ACCOUNT_SID,
  DEV_AUTH_TOKEN,
  DEV_NUMBER,
  type EmulatorOptions,
} from "../../emulator";
import { parseCommandArgs } from "../args";

export const USAGE =
  "usage: npm run emulator -- [--port <p>] [--account-sid <AC…>] [--auth-token <token>] " +
  "[--number <+E164>]… [--state <file>] [--clock real|virtual] [--rate-limits on|off]";

export function parseArgs(argv: string[]): EmulatorOptions {
  let values;
  try {
    ({ values } = parseCommandArgs(argv, {
      port: { type: "string" },
      "account-sid": { type: "string" },
      "auth-token": { type: "string" },
      number: { type: "string", multiple: true },
      state: { type: "string" },
      clock: { type: "string" },
      "rate-limits": { type: "string" },
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  const { port = "0", number: numbers = [DEV_NUMBER], clock, "rate-limits": rateLimits } = values;
  if (!/^\d+$/.test(port) || Number(port) > 65535)
    throw new Error(`--port ${port}: not a port number`);
  const badNumber = numbers.find((n) => !/^\+[1-9]\d{1,14}$/.test(n));
  if (badNumber !== undefined) throw new Error(`--number ${badNumber}: not an E.164 number`);
  if (clock !== undefined && clock !== "real" && clock !== "virtual")
    throw new Error(`--clock ${clock}: must be real or virtual`);
  if (rateLimits !== undefined && rateLimits !== "on" && rateLimits !== "off")
    throw new Error(`--rate-limits ${rateLimits}: must be on or off`);
  return {
    port: Number(port),
    accountSid: values["account-sid"] ?? DEV_ACCOUNT_SID,
    authToken: values["auth-token"] ?? DEV_AUTH_TOKEN,
    numbers,
    ...(values.state !== undefined && { statePath: values.state }),
    ...(clock !== undefined && { clock }),
    // On (the default) leaves the option out, so createEmulator enforces TaskRouter's limits.
    ...(rateLimits === "off" && { rateLimits: false }),
  };
}

export async function run(argv: string[]): Promise<number> {
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`emulator: ${(err as Error).message}\n`);
    return 2;
  }
  const emu = await createEmulator(opts);
  process.stdout.write(
    [
      `Twilio emulator listening on ${emu.url}`,
      `  account SID: ${emu.accountSid}`,
      `  auth token:  ${emu.authToken}`,
      `  numbers:     ${opts.numbers.join(", ")}`,
      `  state:       ${opts.statePath ?? "(in memory)"}`,
      `  clock:       ${emu.clock.kind}`,
      `  rate limits: ${opts.rateLimits === false ? "off" : "TaskRouter's (emulator/README.md)"}`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await emu.close();
  return 0;
}
