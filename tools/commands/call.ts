// `npm run call -- --emulator <url> --to <+E164> --from <+E164> [--digits 2] [--message <s>[:<key>]]
// [--at <ISO time with Z or offset>] [--hangup-after <s>] [--talk <s>] [--json]`: places a virtual call on a running emulator (POST /__emulator/calls) and
// prints its trace: a readable transcript, or with --json one JSON object (callSid, outcome, taskSid,
// queue, assignedWorker, bridgedTo, steps, …). Exit code 0 when the call was placed (whatever its
// outcome), 1 when the emulator refused or could not be reached, 2 on bad arguments.
import { callTimeProblem, transcript, type CallerMessage, type CallResult } from "../../emulator";
import { parseCommandArgs } from "../args";

export const USAGE =
  "usage: npm run call -- --emulator <url> --to <+E164> --from <+E164> [--digits <keys>]… " +
  "[--message <seconds>[:<key>]]… [--at <time>] " +
  "[--hangup-after <seconds>] [--talk <seconds>] [--json]";

export interface CallArgs {
  emulator: string;
  body: {
    to: string;
    from: string;
    digits?: string | string[];
    messages?: CallerMessage[];
    at?: string;
    hangupAfterSeconds?: number;
    talkSeconds?: number;
  };
  json: boolean;
}

export function parseArgs(argv: string[]): CallArgs {
  const { values } = parseCommandArgs(argv, {
    emulator: { type: "string" },
    to: { type: "string" },
    from: { type: "string" },
    digits: { type: "string", multiple: true },
    message: { type: "string", multiple: true },
    at: { type: "string" },
    "hangup-after": { type: "string" },
    talk: { type: "string" },
    json: { type: "boolean" },
  });
  const seconds = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`${flag} ${value}: not a number of seconds`);
    return Number(value);
  };
  const { emulator, to, from, digits = [] } = values;
  if (emulator !== undefined && !/^https?:\/\/[^\s/]+/.test(emulator))
    throw new Error(`--emulator ${emulator}: not an http URL`);
  for (const [flag, number] of [
    ["--to", to],
    ["--from", from],
  ] as const) {
    if (number !== undefined && !/^\+[1-9]\d{1,14}$/.test(number))
      throw new Error(`${flag} ${number}: not an E.164 number`);
  }
  const badDigits = digits.find((d) => !/^[0-9*#]+$/.test(d));
  if (badDigits !== undefined) throw new Error(`--digits ${badDigits}: only 0-9, * and #`);
  // --message 12:# = speak 12 s at the next <Record>, then press #.
  const messages = (values.message ?? []).map((m): CallerMessage => {
    const match = /^(\d+(?:\.\d+)?)(?::([0-9*#]))?$/.exec(m);
    if (!match) throw new Error(`--message ${m}: not <seconds> or <seconds>:<key>`);
    return match[2] === undefined
      ? { seconds: Number(match[1]) }
      : { seconds: Number(match[1]), key: match[2] };
  });
  const at = values.at;
  const atProblem = at === undefined ? null : callTimeProblem(at);
  if (atProblem) throw new Error(`--at ${atProblem}`);
  const hangupAfterSeconds = seconds("--hangup-after", values["hangup-after"]);
  const talkSeconds = seconds("--talk", values.talk);
  if (!emulator) throw new Error("--emulator is required");
  if (!to) throw new Error("--to is required");
  if (!from) throw new Error("--from is required");
  const body: CallArgs["body"] = { to, from };
  if (digits.length === 1) body.digits = digits[0];
  else if (digits.length > 1) body.digits = digits;
  if (messages.length > 0) body.messages = messages;
  if (at !== undefined) body.at = at;
  if (hangupAfterSeconds !== undefined) body.hangupAfterSeconds = hangupAfterSeconds;
  if (talkSeconds !== undefined) body.talkSeconds = talkSeconds;
  return { emulator: emulator.replace(/\/+$/, ""), body, json: values.json === true };
}

export async function run(argv: string[]): Promise<number> {
  let args: CallArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`call: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let status: number;
  let text: string;
  try {
    const res = await fetch(`${args.emulator}/__emulator/calls`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(args.body),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    process.stderr.write(
      `call: cannot reach the emulator at ${args.emulator}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  if (status !== 200) {
    process.stderr.write(`call: the emulator answered ${status}: ${text}\n`);
    return 1;
  }
  const result = JSON.parse(text) as CallResult;
  process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${transcript(result)}\n`);
  return 0;
}
