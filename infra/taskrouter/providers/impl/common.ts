// Helpers shared by the provider implementations: the preview unknown sentinel, canonical forms for
// diffs, input checks reported as failures, error wrapping, adopt-or-create, and one owner per object.
import {
  DEFAULT_RETRY,
  describeTwilioError,
  isAmbiguousCreateFailure,
  isNotFound,
} from "../../twilioClient";
import { claim, claimed, log } from "./state";

/** What the engine sends in place of a value not known during preview (pulumi-engine.md §3.4.6). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the sentinel appears anywhere in the value (nested objects and arrays included). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** JSON with object keys sorted at every level, so formatting and key order never read as changes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** "", null and undefined all mean "not set" for optional strings (Twilio reports "" or null). */
export function optional(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

// ---------------------------------------------------------------------------------------------
// check

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Collects failures; every rule skips values that are unknown in preview. */
export class Checker {
  readonly failures: CheckFailure[] = [];

  constructor(private readonly inputs: Record<string, unknown>) {}

  private value(property: string): unknown {
    return this.inputs[property];
  }

  private skip(property: string): boolean {
    return containsUnknown(this.value(property));
  }

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  /** A rule from validate.ts (or elsewhere) that returns problems; they are attributed to `property`. */
  rule(property: string, problems: () => { message: string }[]): void {
    if (this.skip(property) || this.value(property) === undefined) return;
    for (const p of problems()) this.fail(property, p.message);
  }

  friendlyName(property = "friendlyName"): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (typeof v !== "string" || v.length < 1 || v.length > 64) {
      this.fail(property, `must be a string of 1 to 64 characters, got ${JSON.stringify(v)}`);
    }
  }

  sid(property: string, prefix: string, required = true): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (v === undefined && !required) return;
    if (typeof v !== "string" || !new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(v)) {
      this.fail(
        property,
        `must be a ${prefix}… SID (${prefix} and 32 hex digits), got ${JSON.stringify(v)}`,
      );
    }
  }

  boolean(property: string, required = true): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (v === undefined && !required) return;
    if (typeof v !== "boolean")
      this.fail(property, `must be true or false, got ${JSON.stringify(v)}`);
  }

  oneOf(property: string, allowed: readonly string[]): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (v === undefined) return;
    if (typeof v !== "string" || !allowed.includes(v)) {
      this.fail(property, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
    }
  }

  integer(property: string, min: number, max: number): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      this.fail(property, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    }
  }

  url(property: string): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (v === undefined || v === "") return;
    let ok = false;
    try {
      const u = new URL(String(v));
      ok = typeof v === "string" && (u.protocol === "http:" || u.protocol === "https:");
    } catch {
      ok = false;
    }
    if (!ok) this.fail(property, `must be an absolute http(s) URL, got ${JSON.stringify(v)}`);
  }

  jsonObject(property: string): void {
    if (this.skip(property)) return;
    const v = this.value(property);
    if (v === undefined) return;
    if (!v || typeof v !== "object" || Array.isArray(v)) {
      this.fail(property, `must be an object, got ${JSON.stringify(v)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// diff

export interface DiffSpec<T> {
  /** Fields compared, with an optional canonical form (default: canonical JSON). */
  compare: { [K in keyof T]?: true | ((value: T[K]) => unknown) };
  /** Fields whose change forces replacement. */
  replaces?: (keyof T & string)[];
  /** Delete the old object before creating the new one (Twilio enforces unique names). */
  deleteBeforeReplace?: boolean;
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

/**
 * Compares old outputs with new checked inputs in canonical form. `__provider` is never compared, so
 * provider code changes are not diffs. An unknown (preview) value counts as a change.
 */
export function diffProps<T>(olds: T, news: T, spec: DiffSpec<T>): DiffOutcome {
  const changed: string[] = [];
  for (const [key, canon] of Object.entries(spec.compare) as [keyof T & string, unknown][]) {
    const n = news[key];
    if (containsUnknown(n)) {
      changed.push(key);
      continue;
    }
    const form =
      typeof canon === "function" ? (canon as (v: unknown) => unknown) : (v: unknown) => v;
    if (canonicalJson(form(olds[key])) !== canonicalJson(form(n))) changed.push(key);
  }
  const replaces = (spec.replaces ?? []).filter((k) => changed.includes(k));
  const outcome: DiffOutcome = { changes: changed.length > 0, replaces };
  if (replaces.length > 0 && spec.deleteBeforeReplace) outcome.deleteBeforeReplace = true;
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Twilio calls

/** An error already carrying the action and resource; passed through unchanged by `attempt`. */
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
  }
}

/** Runs a Twilio call; any failure becomes "<action> <resource>: <Twilio message> [code, status]". */
export async function attempt<T>(
  action: string,
  resource: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw new ProviderError(describeTwilioError(action, resource, err).message, { cause: err });
  }
}

/** Fetch that maps 404 to undefined. */
export async function fetchOrGone<T>(
  resource: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  return attempt("reading", resource, async () => {
    try {
      return await fn();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  });
}

/** Delete that treats 404 (already gone) as success. */
export async function removeOrGone(resource: string, fn: () => Promise<unknown>): Promise<void> {
  await attempt("deleting", resource, async () => {
    try {
      await fn();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  });
}

/**
 * The single object named `name` among `items`, or undefined: an exact match first, else a match
 * ignoring case (Twilio treats worker names, and the emulator every name, as case-insensitive).
 * Several matches are an error rather than a guess (not every name is unique in Twilio).
 */
export function single<T extends { sid: string; friendlyName: string }>(
  resource: string,
  name: string,
  items: T[],
): T | undefined {
  let found = items.filter((i) => i.friendlyName === name);
  if (found.length === 0) {
    found = items.filter((i) => i.friendlyName.toLowerCase() === name.toLowerCase());
  }
  if (found.length > 1) {
    throw new ProviderError(
      `adopting ${resource}: ${found.length} objects have this name ` +
        `(${found.map((f) => f.sid).join(", ")}); delete or rename all but one`,
    );
  }
  return found[0];
}

/**
 * Adopt-or-create: look the object up by its natural key and adopt it, else create it. A create that
 * may have reached Twilio without an answer (a dropped connection, a 500/502/504; twilioClient.ts
 * `isAmbiguousCreateFailure`) is followed by the lookup again before the next try, at most
 * DEFAULT_RETRY.attempts creates in all: an interrupted or retried `up` never leaves a second copy.
 */
export async function adoptOrCreate<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<{ found: T; adopted: boolean }> {
  const existing = await find();
  if (existing) return { found: existing, adopted: true };
  for (let attempt = 1; ; attempt++) {
    try {
      return { found: await create(), adopted: false };
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause ?? err;
      if (!isAmbiguousCreateFailure(cause) || attempt >= DEFAULT_RETRY.attempts) throw err;
      const after = await find();
      if (after) return { found: after, adopted: true };
    }
  }
}

/**
 * The provider `create` for objects with a friendly name: adopt the one with this name (bringing it
 * to the declared settings with `adopt`) or create it. Errors name the step and the resource.
 */
export async function createOrAdopt<T extends { sid: string; friendlyName: string }>(
  resource: string,
  friendlyName: string,
  ops: { list: () => Promise<T[]>; create: () => Promise<T>; adopt: (found: T) => Promise<T> },
): Promise<{ instance: T; adopted: boolean }> {
  const { found, adopted } = await adoptOrCreate(
    () =>
      attempt("looking up", resource, async () => single(resource, friendlyName, await ops.list())),
    () => attempt("creating", resource, ops.create),
  );
  const instance = adopted ? await attempt("adopting", resource, () => ops.adopt(found)) : found;
  return { instance, adopted };
}

// ---------------------------------------------------------------------------------------------
// One owner per object

/** The lifecycle methods `oneOwnerPerObject` wraps (inputs and outputs differ by kind). */
interface Lifecycle {
  create(inputs: never): Promise<{ id: string; outs: unknown }>;
  diff(id: string, olds: never, news: never): Promise<DiffOutcome>;
  delete(id: string, props: never): Promise<void>;
}

/**
 * The one delete path of every kind. Adoption makes a key rename (or `--replace`) hand the object to
 * the new resource: its `create` adopts the old resource's object by name, then the engine deletes
 * the old resource. That delete is skipped, with a log line, when a resource of this deployment
 * claimed the object in this provider process: adopted it in `create`, or kept it in a `diff`
 * without replacement (an earlier run adopted it and stopped before the delete). Skipping returns
 * success, so the old resource leaves the state and the object stays with its new owner.
 */
export function oneOwnerPerObject<M extends Lifecycle>(
  kind: string,
  describe: (id: string, props: Record<string, unknown>) => string,
  impl: M,
  action = "deleting",
): M {
  type Loose = {
    create(inputs: unknown): Promise<{ id: string; outs: { adopted?: unknown } }>;
    diff(id: string, olds: unknown, news: unknown): Promise<DiffOutcome>;
    delete(id: string, props: unknown): Promise<void>;
  };
  const inner = impl as unknown as Loose;
  const wrapped: Loose = {
    create: async (inputs) => {
      const result = await inner.create(inputs);
      if (result.outs.adopted === true) claim(kind, result.id, "adopted");
      return result;
    },
    diff: async (id, olds, news) => {
      const outcome = await inner.diff(id, olds, news);
      if (outcome.replaces.length === 0) claim(kind, id, "declared");
      return outcome;
    },
    delete: async (id, props) => {
      const how = claimed(kind, id);
      if (!how) return inner.delete(id, props);
      const name = describe(id, (props ?? {}) as Record<string, unknown>);
      log(
        how === "adopted"
          ? `not ${action} ${name} (${id}): another resource of this deployment adopted it ` +
              `(a renamed key)`
          : `not ${action} ${name} (${id}): another resource of this deployment holds it ` +
              `(a renamed key or a replacement took it over)`,
      );
    },
  };
  return { ...impl, ...wrapped } as unknown as M;
}

/** Parses a JSON attributes string from Twilio; anything else is reported as-is under `_raw`. */
export function parseAttributes(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { _raw: text };
  } catch {
    return { _raw: text };
  }
}

/** Create parameters: "" (clear, in an update) means "omit" in a create. */
export function nonEmpty<T extends Record<string, unknown>>(params: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined) out[k] = v;
  return out as T;
}

/** Outputs carry only defined values (Pulumi drops undefined members anyway). */
export function defined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
