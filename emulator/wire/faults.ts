// Fault injection for tests: error statuses, latency and dropped connections, chosen by method/path
// pattern and/or a seeded pseudo-random rate (deterministic across runs), with an optional count.
import { internalError, serviceUnavailable, tooManyRequests, type TwilioError } from "../errors";

export type FaultKind = "429" | "500" | "503" | "latency" | "drop";

export interface FaultSpec {
  kind: FaultKind;
  /** Probability 0..1 that a matching request is hit; default 1. Drawn from a PRNG seeded by `seed`. */
  rate?: number;
  /** PRNG seed for `rate`; default 1. */
  seed?: number;
  /** HTTP method to match (case-insensitive); default any. */
  method?: string;
  /** Regular expression (JavaScript syntax) tested against the path without query; default any. */
  path?: string;
  /** How many requests to hit before the fault disarms; default unlimited. */
  count?: number;
  /** Delay for `latency` faults, in ms (0..60000). */
  latencyMs?: number;
}

export interface Fault extends Required<Pick<FaultSpec, "kind" | "rate" | "seed">> {
  id: number;
  method: string | null;
  path: string | null;
  count: number | null;
  latencyMs: number;
  /** Requests this fault has hit so far. */
  hits: number;
}

/** mulberry32: tiny, fast, good enough for test sampling. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultSpecError extends Error {}

export type FaultDecision = { latencyMs: number; action: "none" | "drop" | TwilioError };

export class Faults {
  private list: Array<{ fault: Fault; regex: RegExp | null; random: () => number }> = [];
  private nextId = 1;

  add(spec: unknown): Fault {
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      throw new FaultSpecError("fault must be a JSON object");
    }
    const s = spec as Record<string, unknown>;
    const known = ["kind", "rate", "seed", "method", "path", "count", "latencyMs"];
    for (const k of Object.keys(s))
      if (!known.includes(k)) throw new FaultSpecError(`unknown fault field ${k}`);
    const kinds: FaultKind[] = ["429", "500", "503", "latency", "drop"];
    const kind = String(s.kind) as FaultKind;
    if (!kinds.includes(kind)) throw new FaultSpecError(`kind must be one of ${kinds.join(", ")}`);
    const num = (name: string, min: number, max: number, int: boolean): number | undefined => {
      const v = s[name];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || v < min || v > max || (int && !Number.isInteger(v))) {
        throw new FaultSpecError(
          `${name} must be a${int ? "n integer" : " number"} in ${min}..${max}`,
        );
      }
      return v;
    };
    const rate = num("rate", 0, 1, false) ?? 1;
    const seed = num("seed", 0, 2 ** 32 - 1, true) ?? 1;
    const count = num("count", 1, Number.MAX_SAFE_INTEGER, true) ?? null;
    const latencyMs = num("latencyMs", 0, 60000, true) ?? 0;
    if (kind === "latency" && s.latencyMs === undefined)
      throw new FaultSpecError("latency faults need latencyMs");
    if (s.method !== undefined && typeof s.method !== "string")
      throw new FaultSpecError("method must be a string");
    if (s.path !== undefined && typeof s.path !== "string")
      throw new FaultSpecError("path must be a string");
    let regex: RegExp | null = null;
    if (typeof s.path === "string") {
      try {
        regex = new RegExp(s.path);
      } catch (err) {
        throw new FaultSpecError(
          `path is not a valid regular expression: ${(err as Error).message}`,
        );
      }
    }
    const fault: Fault = {
      id: this.nextId++,
      kind,
      rate,
      seed,
      method: typeof s.method === "string" ? s.method.toUpperCase() : null,
      path: typeof s.path === "string" ? s.path : null,
      count,
      latencyMs,
      hits: 0,
    };
    this.list.push({ fault, regex, random: prng(seed) });
    return fault;
  }

  all(): Fault[] {
    return this.list.map((x) => ({ ...x.fault }));
  }

  clear(): void {
    this.list = [];
  }

  /** Latency faults add up; the first matching error/drop fault decides the outcome. */
  decide(method: string, path: string): FaultDecision {
    const out: FaultDecision = { latencyMs: 0, action: "none" };
    for (const entry of this.list) {
      const f = entry.fault;
      if (f.count !== null && f.hits >= f.count) continue;
      if (f.method !== null && f.method !== method.toUpperCase()) continue;
      if (entry.regex && !entry.regex.test(path)) continue;
      if (f.rate < 1 && entry.random() >= f.rate) continue;
      f.hits++;
      if (f.kind === "latency") {
        out.latencyMs += f.latencyMs;
        continue;
      }
      out.action = f.kind === "drop" ? "drop" : faultError(f.kind);
      break;
    }
    return out;
  }
}

function faultError(kind: "429" | "500" | "503"): TwilioError {
  if (kind === "429") return tooManyRequests();
  if (kind === "500") return internalError();
  return serviceUnavailable();
}
