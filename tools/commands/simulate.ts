// `npm run routing:simulate -- <stack> --scenario <file> [--against <base>] [--seed <n>] [--json]`:
// a day of calls (stacks/scenarios/*.yaml) routed by the local Twilio's routing engine on a virtual
// clock. With --against, the same callers (same seed, same draws) run on the base too, and the report
// shows before → after with deltas. Stack and base are files or `<git-rev>:<path>`, as for diff.
// Exit 0 with the report, 1 when a stack or the scenario is invalid, 2 on usage.
import { readScenario, checkAgainstStack, ScenarioError } from "../simulate/scenario";
import {
  generateArrivals,
  RoutingFailedError,
  simulate,
  type SimulationReport,
} from "../simulate/simulate";
import { renderSimulationMarkdown } from "../simulate/report";
import { loadSide, type Io } from "./diff";

const USAGE =
  "usage: npm run routing:simulate -- <stack> --scenario <file> [--against <base>] [--seed <n>] [--json]";

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--scenario" || arg === "--against" || arg === "--seed") {
      const value = argv[++i];
      if (value === undefined) {
        io.stderr.write(`${arg} needs a value; ${USAGE}\n`);
        return 2;
      }
      options[arg] = value;
    } else if (arg.startsWith("-")) {
      io.stderr.write(`unknown option ${JSON.stringify(arg)}; ${USAGE}\n`);
      return 2;
    } else positional.push(arg);
  }
  if (positional.length !== 1) {
    io.stderr.write(`expected one stack, got ${positional.length}; ${USAGE}\n`);
    return 2;
  }
  if (options["--scenario"] === undefined) {
    io.stderr.write(`missing --scenario; ${USAGE}\n`);
    return 2;
  }
  const seedText = options["--seed"] ?? "1";
  if (!/^\d{1,10}$/.test(seedText) || Number(seedText) > 0xffffffff) {
    io.stderr.write(`--seed ${seedText} is not a whole number from 0 to 4294967295; ${USAGE}\n`);
    return 2;
  }
  const seed = Number(seedText);

  const head = loadSide(positional[0] as string, io);
  const base = options["--against"] === undefined ? undefined : loadSide(options["--against"], io);
  if (head === undefined || (options["--against"] !== undefined && base === undefined)) return 1;
  let scenario;
  try {
    scenario = readScenario(options["--scenario"]);
    checkAgainstStack(scenario, head.spec);
    if (base) checkAgainstStack(scenario, base.spec);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 1;
  }
  const arrivals = generateArrivals(scenario, seed);
  let after: SimulationReport;
  let before: SimulationReport | undefined;
  try {
    after = await simulate(head.spec, scenario, seed, arrivals);
    before = base && (await simulate(base.spec, scenario, seed, arrivals));
  } catch (err) {
    if (!(err instanceof RoutingFailedError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(before ? { before, after } : after, null, 2)}\n`);
  } else io.stdout.write(renderSimulationMarkdown(after, before));
  return 0;
}
