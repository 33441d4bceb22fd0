// The callers of a scenario, drawn up front from the seed: when each calls, on which line, and
// the draws that decide their call (handle, wrap-up, patience, the exit they take if offered one).
// Pure and deterministic: the same scenario and seed give the same callers on every stack.
import { prng } from "../../emulator";
import type { Distribution, ExitWeights, Scenario } from "./scenario";

export function draw(d: Distribution, random: () => number): number {
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "exponential":
      return -d.mean * Math.log(1 - random());
    case "uniform":
      return d.min + (d.max - d.min) * random();
    case "normal": {
      // Box–Muller; negative draws are cut at zero (a call cannot take less than no time).
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.max(0, d.mean + d.sd * z);
    }
  }
}

/** One caller: when they call, who they are, and the draws that decide their call. */
export interface Arrival {
  /** Seconds since midnight. */
  at: number;
  stream: number;
  caller: Scenario["arrivals"][number]["caller"];
  handle: number;
  wrapUp: number;
  /** Seconds the caller waits before hanging up; Infinity = never. */
  patience: number;
  /** The line's key; absent: the main line. */
  line?: string;
  exits?: ExitWeights;
  /** Uniform in [0, 1): decides the exit this caller takes if offered one (calls.ts chooseExit). */
  exitDraw: number;
}

/** The scenario's arrivals in time order, every draw made up front from the seed. */
export function generateArrivals(scenario: Scenario, seed: number): Arrival[] {
  const random = prng(seed);
  // A second stream for the exit draws, so adding them left every other draw as it was.
  const exitRandom = prng((seed ^ 0x85ebca6b) >>> 0);
  const out: Arrival[] = [];
  scenario.arrivals.forEach((stream, index) => {
    const times: number[] = [];
    const { pattern } = stream;
    if (pattern.kind === "at") times.push(...pattern.times);
    else if (pattern.kind === "every") {
      for (let t = stream.from; t < stream.to; t += pattern.seconds) times.push(t);
    } else {
      const mean = 3600 / pattern.perHour;
      for (
        let t = stream.from - mean * Math.log(1 - random());
        t < stream.to;
        t -= mean * Math.log(1 - random())
      ) {
        times.push(t);
      }
    }
    for (const at of times) {
      if (at < scenario.start || at >= scenario.end) continue;
      const patience = stream.patience ?? scenario.patience;
      const exits = stream.exits ?? scenario.exits;
      out.push({
        at,
        stream: index,
        caller: stream.caller,
        handle: draw(stream.handleTime ?? scenario.handleTime, random),
        wrapUp: draw(stream.wrapUpTime ?? scenario.wrapUpTime, random),
        patience: patience === undefined ? Infinity : draw(patience, random),
        ...(stream.line !== undefined && { line: stream.line }),
        ...(exits && { exits }),
        exitDraw: 0,
      });
    }
  });
  // Stable: equal times keep stream order, so simultaneous arrivals are created in a fixed order.
  out.sort((a, b) => a.at - b.at || a.stream - b.stream);
  for (const a of out) a.exitDraw = exitRandom();
  return out;
}
