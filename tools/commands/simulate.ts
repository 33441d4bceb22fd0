// `npm run routing:simulate -- <stack> --scenario <file> [--against <base>] [--seed <n>] [--json | --wallboard]`:
// a day of calls (stacks/scenarios/*.yaml) routed by the local Twilio's routing engine on a virtual
// clock. With --against, the same callers (same seed, same draws) run on the base too, and the report
// shows before → after with deltas. Stack and base are files or `<git-rev>:<path>`, as for diff.
// --wallboard: the run's per-queue statistics as a contact-centre wallboard (one stack, no --against).
// Exit 0 with the report, 1 when a stack or the scenario is invalid, 2 on usage.
import { readScenario, checkAgainstStack, ScenarioError } from "../simulate/scenario";
import { generateArrivals } from "../simulate/arrivals";
import { RoutingFailedError, simulate, type SimulationReport } from "../simulate/simulate";
import { renderSimulationMarkdown, renderWallboard } from "../simulate/report";
import { parseCommandArgs } from "../args";
import { loadSide, type Io } from "./diff";

const USAGE =
  "usage: npm run routing:simulate -- <stack> --scenario <file> [--against <base>] [--seed <n>] [--json | --wallboard]";

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const usage = (reason: string) => (io.stderr.write(`${reason}; ${USAGE}\n`), 2);
  let parsed;
  try {
    parsed = parseCommandArgs(
      argv,
      {
        scenario: { type: "string" },
        against: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean" },
        wallboard: { type: "boolean" },
      },
      { positionals: true },
    );
  } catch (err) {
    return usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usage(`expected one stack, got ${positionals.length}`);
  if (values.scenario === undefined) return usage("missing --scenario");
  if (values.wallboard && (values.json || values.against !== undefined))
    return usage("--wallboard shows one run: leave out --json and --against");
  const seedText = values.seed ?? "1";
  if (!/^\d{1,10}$/.test(seedText) || Number(seedText) > 0xffffffff) {
    return usage(`--seed ${seedText} is not a whole number from 0 to 4294967295`);
  }
  const seed = Number(seedText);

  const head = loadSide(positionals[0] as string, io);
  const base = values.against === undefined ? undefined : loadSide(values.against, io);
  if (head === undefined || (values.against !== undefined && base === undefined)) return 1;
  let scenario;
  try {
    scenario = readScenario(values.scenario);
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
  if (values.wallboard) io.stdout.write(renderWallboard(after));
  else if (values.json) {
    io.stdout.write(`${JSON.stringify(before ? { before, after } : after, null, 2)}\n`);
  } else io.stdout.write(renderSimulationMarkdown(after, before));
  return 0;
}
