// Typed access to Twilio's form-encoded (PascalCase) parameters. Every getter validates and throws
// a 400/20001 TwilioError naming the parameter, so bad input never reaches the state.
import { invalidParameter } from "../errors";

export type RawParams = Record<string, string | string[] | undefined>;

export class Params {
  private readonly values = new Map<string, string[]>();

  constructor(source?: URLSearchParams | RawParams) {
    if (source instanceof URLSearchParams) {
      for (const [k, v] of source) this.push(k, v);
    } else if (source) {
      for (const [k, v] of Object.entries(source)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) this.push(k, one);
      }
    }
  }

  private push(key: string, value: string): void {
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** Plain object for recording: single values as strings, repeated keys as arrays. */
  toJSON(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of this.values) out[k] = v.length === 1 ? v[0] : [...v];
    return out;
  }

  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  str(name: string): string | undefined {
    const v = this.values.get(name);
    if (!v) return undefined;
    if (v.length > 1) throw invalidParameter(`Parameter ${name} was given more than once`);
    return v[0];
  }

  required(name: string, where = "the post body"): string {
    const v = this.str(name);
    if (v === undefined || v === "")
      throw invalidParameter(`Missing required parameter ${name} in ${where}`);
    return v;
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v.trim()))
      throw invalidParameter(`Invalid ${name}: ${JSON.stringify(v)} is not an integer`);
    const n = Number(v.trim());
    if (n < min || n > max) {
      throw invalidParameter(`Invalid ${name}: ${n} is outside ${min}..${max}`);
    }
    return n;
  }

  /** Twilio counts only true/1/yes as true; anything but their opposites is rejected (strict). */
  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const lower = v.trim().toLowerCase();
    if (["true", "1", "yes"].includes(lower)) return true;
    if (["false", "0", "no"].includes(lower)) return false;
    throw invalidParameter(`Invalid ${name}: ${JSON.stringify(v)} is not a boolean`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!found)
      throw invalidParameter(
        `Invalid ${name}: ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`,
      );
    return found;
  }

  /** Absolute http(s) URL, or "" meaning "clear" (returned as null). */
  url(name: string): string | null | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (v === "") return null;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      throw invalidParameter(`Invalid ${name}: ${JSON.stringify(v)} is not an absolute URL`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw invalidParameter(`Invalid ${name}: ${JSON.stringify(v)} is not an http or https URL`);
    }
    return v;
  }

  /** JSON object text (returned as given), at most `maxLength` characters. */
  jsonObject(name: string, maxLength = Infinity): string | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    parseJsonObject(v, name, maxLength);
    return v;
  }

  /** An ISO 8601 date-time (date and time, e.g. 2030-01-01T00:00:00Z). */
  date(name: string): Date | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (!/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(d.getTime())) {
      throw invalidParameter(`Invalid ${name}: ${JSON.stringify(v)} is not an ISO 8601 date`);
    }
    return d;
  }

  /** Refuse parameters the operation does not take (used where a silent ignore would mislead). */
  refuse(names: readonly string[], reason: string): void {
    for (const n of names) if (this.has(n)) throw invalidParameter(`${n} ${reason}`);
  }
}

/** Parses a JSON object parameter; 400 naming the parameter when it is too long, not JSON or not an object. */
export function parseJsonObject(
  text: string,
  name: string,
  maxLength = Infinity,
): Record<string, unknown> {
  if (text.length > maxLength) {
    throw invalidParameter(
      `Invalid ${name}: ${text.length} characters exceeds the limit of ${maxLength}`,
    );
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParameter(`Invalid ${name}: not valid JSON`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw invalidParameter(`Invalid ${name}: must be a JSON object`);
  return v as Record<string, unknown>;
}
