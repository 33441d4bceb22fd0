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

export const USAGE =
  "usage: npm run emulator -- [--port <p>] [--account-sid <AC…>] [--auth-token <token>] " +
  "[--number <+E164>]… [--state <file>] [--clock real|virtual] [--rate-limits on|off]";

export function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = {
    port: 0,
    accountSid: DEV_ACCOUNT_SID,
    authToken: DEV_AUTH_TOKEN,
    numbers: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--"))
      throw new Error(`${flag} needs a value\n${USAGE}`);
    i++;
    switch (flag) {
      case "--port": {
        if (!/^\d+$/.test(value) || Number(value) > 65535)
          throw new Error(`--port ${value}: not a port number`);
        opts.port = Number(value);
        break;
      }
      case "--account-sid":
        opts.accountSid = value;
        break;
      case "--auth-token":
        opts.authToken = value;
        break;
      case "--number":
        if (!/^\+[1-9]\d{1,14}$/.test(value))
          throw new Error(`--number ${value}: not an E.164 number`);
        opts.numbers.push(value);
        break;
      case "--state":
        opts.statePath = value;
        break;
      case "--clock":
        if (value !== "real" && value !== "virtual")
          throw new Error(`--clock ${value}: must be real or virtual`);
        opts.clock = value;
        break;
      case "--rate-limits":
        if (value !== "on" && value !== "off")
          throw new Error(`--rate-limits ${value}: must be on or off`);
        if (value === "off") opts.rateLimits = false;
        break;
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (opts.numbers.length === 0) opts.numbers.push(DEV_NUMBER);
  return opts;
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
