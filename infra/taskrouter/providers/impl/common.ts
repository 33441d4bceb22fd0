// Helpers shared by the provider implementations: the preview unknown sentinel, canonical forms for
// diffs, input checks reported as failures, error wrapping, ownership (created, reused or adopted;
// docs/providers.md), the account guard, and one owner per object.
import { canonicalJson } from "../../canonicalJson";
import {
  DEFAULT_RETRY,
  describeTwilioError,
  isAmbiguousCreateFailure,
  isNotFound,
} from "../../twilioClient";
import {
  claim,
  claimed,
  configuredAccountSid,
  foundWorkspace,
  log,
  noteFoundWorkspace,
  stackCreatedWorkspace,
} from "./state";

/** What the engine sends in place of a value not known during preview (`unknownValue` in @pulumi/pulumi/runtime/rpc). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the sentinel appears anywhere in the value (nested objects and arrays included). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
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

/**
 * An error already carrying the action and resource; passed through unchanged by `attempt`. Its
 * message says everything, so it has no stack: Pulumi's dynamic-provider host logs
 * `${err}: ${err.stack}` for every error a provider throws, which for this error reads
 * `ProviderError: <message>` once, with no frames.
 */
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
    this.stack = message;
  }

  override toString(): string {
    return this.name;
  }
}

/**
 * `err` as a ProviderError: itself if it is one, else "<context>: <its message>" (with its name when
 * it is not a plain Error, e.g. `TypeError: …`). So no error leaves a provider with a stack trace,
 * whichever path it took.
 */
export function asProviderError(context: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const message =
    err instanceof Error
      ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}`
      : String(err);
  return new ProviderError(`${context}: ${message}`, { cause: err });
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

// ---------------------------------------------------------------------------------------------
// Ownership: created, reused (this stack's own object found by name) or adopted (someone else's,
// only with the stack file's `adopt:` setting). See docs/providers.md, Ownership.

/** The stack file's `adopt:` setting as each resource carries it: absent means "never adopt". */
export type AdoptSetting = "restore" | "delete";

/** How a resource came to hold its object. */
export type Origin = "created" | "reused" | "adopted";

export interface TakeOverPolicy {
  /** The stack file's kind (`workspace`, `activities`, …), for the refusal's advice. */
  kind: string;
  /** The parent workspace (absent for the workspace itself). */
  workspaceSid?: string;
  adopt?: AdoptSetting;
}

/** The refusal when an object this stack did not create has a declared name. */
export function refusal(resource: string, sid: string, kind: string): string {
  return (
    `${resource} already exists (${sid}) and this stack did not create it; nothing was changed. ` +
    `To manage it, add "adopt: { objects: [${kind}] }" (or "adopt: { objects: [all] }") to the ` +
    `stack file; otherwise give it another name in the stack file`
  );
}

/**
 * May an existing object found by name be taken over? Inside a workspace this stack created, every
 * object is the stack's own (an interrupted up, a renamed key, Twilio's seeded activities): reused.
 * Elsewhere only with `adopt`: adopted. Otherwise the refusal (a ProviderError).
 */
export function takeOver(resource: string, sid: string, policy: TakeOverPolicy): Origin {
  if (stackCreatedWorkspace(policy.workspaceSid ?? sid)) return "reused";
  if (policy.adopt) return "adopted";
  throw new ProviderError(refusal(resource, sid, policy.kind));
}

/** Input marks that say, in preview and state, which existing object a resource took over. */
export const TAKE_OVER_MARKS = ["adopts", "reuses"] as const;

/**
 * check's part of ownership. For a resource about to be created (no old inputs), looks its name up
 * (`list`, a read filtered by friendly name) so the preview names the object it adopts (`adopts: <SID>`) or reuses (`reuses: <SID>`),
 * and fails the check, before any write, when the stack may not adopt it. Later runs carry the
 * marks over from the old inputs, so they never read as changes.
 */
export async function markTakeOver(
  olds: Record<string, unknown> | undefined,
  inputs: Record<string, unknown>,
  c: Checker,
  resource: string,
  policy: TakeOverPolicy,
  list: (
    workspaceSid: string,
    friendlyName: string,
  ) => Promise<{ sid: string; friendlyName: string }[]>,
): Promise<void> {
  for (const mark of TAKE_OVER_MARKS) delete inputs[mark];
  if (olds && Object.keys(olds).length > 0) {
    for (const mark of TAKE_OVER_MARKS) if (olds[mark] !== undefined) inputs[mark] = olds[mark];
    return;
  }
  if (!configuredAccountSid() || c.failures.length > 0) return;
  if (containsUnknown(inputs.friendlyName)) return;
  // A child of a workspace that is itself being taken over (unknown in preview): look in that one.
  let workspaceSid = policy.workspaceSid;
  if (workspaceSid !== undefined && containsUnknown(workspaceSid)) workspaceSid = foundWorkspace();
  if (policy.workspaceSid !== undefined && workspaceSid === undefined) return;
  const name = String(inputs.friendlyName);
  const listed = await attempt("looking up", resource, () => list(workspaceSid ?? "", name));
  const found = single(resource, name, listed);
  if (!found) return;
  try {
    const how = takeOver(resource, found.sid, { ...policy, workspaceSid });
    inputs[how === "adopted" ? "adopts" : "reuses"] = found.sid;
    if (policy.workspaceSid === undefined) noteFoundWorkspace(found.sid);
  } catch (err) {
    c.fail("friendlyName", (err as Error).message);
  }
}

/**
 * Create, or take over the object with this name (see `takeOver`). A create that may have reached
 * Twilio without an answer (a dropped connection, a 500/502/504; twilioClient.ts
 * `isAmbiguousCreateFailure`) is followed by the lookup again before the next try, at most
 * DEFAULT_RETRY.attempts creates in all: an interrupted or retried `up` never leaves a second copy
 * (what it finds then is its own).
 * `adopt` brings a taken-over object to the declared settings; `snapshot` records an adopted
 * object's settings before that, to restore when the stack lets go of it.
 * `lookFirst: false` skips the look-up before the first create, for a kind whose names Twilio keeps
 * unique (the create is refused with a conflict, which the caller resolves) and whose check found
 * no object by that name in this run.
 */
export async function createOrAdopt<T extends { sid: string; friendlyName: string }, P>(
  resource: string,
  friendlyName: string,
  policy: TakeOverPolicy,
  ops: {
    list: () => Promise<T[]>;
    create: () => Promise<T>;
    adopt: (found: T) => Promise<T>;
    snapshot: (found: T) => P | Promise<P>;
  },
  lookFirst = true,
): Promise<{ instance: T; origin: Origin; previous?: P }> {
  const find = () =>
    attempt("looking up", resource, async () => single(resource, friendlyName, await ops.list()));
  const take = async (found: T, origin: Origin) => {
    const previous =
      origin === "adopted"
        ? await attempt("reading", resource, async () => ops.snapshot(found))
        : undefined;
    const instance = await attempt("adopting", resource, () => ops.adopt(found));
    return { instance, origin, previous };
  };
  const existing = lookFirst ? await find() : undefined;
  if (existing) return take(existing, takeOver(resource, existing.sid, policy));
  for (let tries = 1; ; tries++) {
    try {
      return { instance: await attempt("creating", resource, ops.create), origin: "created" };
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause ?? err;
      if (!isAmbiguousCreateFailure(cause) || tries >= DEFAULT_RETRY.attempts) throw err;
      const after = await find();
      if (after) return take(after, "reused");
    }
  }
}

/** The ownership outputs every kind records. */
export interface Ownership<P> {
  /** Someone else's object, taken over with the stack file's `adopt:` setting. */
  adopted: boolean;
  /** This stack's own object, found by name (an interrupted up, a renamed key, a seeded activity). */
  reused?: boolean;
  /** An adopted object's settings before adoption, restored when the stack lets go of it. */
  previous?: P;
}

/** Ownership outputs from how `createOrAdopt` came to hold the object. */
export function ownership<P>(origin: Origin, previous: P | undefined): Ownership<P> {
  if (origin === "adopted") return { adopted: true, previous };
  return origin === "reused" ? { adopted: false, reused: true } : { adopted: false };
}

/**
 * The delete of an adopted object: unless the stack opted in (`adopt: { onDestroy: delete }`), the
 * object stays, brought back to the settings it had before adoption. Returns true when it did so.
 */
export async function releaseAdopted<P>(
  resource: string,
  id: string,
  props: { adopted?: boolean; adopt?: AdoptSetting; previous?: P },
  restore: (previous: P) => Promise<unknown>,
): Promise<boolean> {
  if (props.adopted !== true || props.adopt === "delete") return false;
  const previous = props.previous;
  await attempt("restoring", resource, async () => {
    if (previous === undefined) return; // adopted before settings were recorded: leave as is
    try {
      await restore(previous);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  });
  log(`${resource} (${id}) was adopted: left in place with its settings from before adoption`);
  return true;
}

/** The declared fields of outputs, as `read` reports them for a refresh (drift field by field). */
export function declared<T extends object, K extends keyof T>(
  outs: T,
  keys: readonly K[],
): Pick<T, K> {
  const out: Partial<T> = {};
  for (const k of keys) if (outs[k] !== undefined) out[k] = outs[k];
  return out as Pick<T, K>;
}

// ---------------------------------------------------------------------------------------------
// One owner per object

/** The lifecycle methods `oneOwnerPerObject` wraps (inputs and outputs differ by kind). */
interface Lifecycle {
  create(inputs: never): Promise<{ id: string; outs: unknown }>;
  diff(id: string, olds: never, news: never): Promise<DiffOutcome>;
  read(id: string, props: never): Promise<{ id: string; props?: unknown; inputs?: unknown }>;
  update(id: string, olds: never, news: never): Promise<{ outs: unknown }>;
  delete(id: string, props: never): Promise<void>;
}

/** What the engine gets from `diff`: `changes` left undefined when there are changes (see below). */
export interface EngineDiff {
  changes?: false;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

/**
 * The account guard: every object's outputs record the account it lives in (`accountSid`); a run
 * configured for another account refuses before touching it, naming both.
 */
export function guardAccount(resource: string, props: { accountSid?: unknown }): void {
  const now = configuredAccountSid();
  const then = props.accountSid;
  if (typeof then !== "string" || !now || then === now) return;
  throw new ProviderError(
    `${resource} was deployed to Twilio account ${then}, but this run is configured for ` +
      `account ${now}; refusing before any change. Set twilio:accountSid back to ${then}, or ` +
      `deploy to ${now} with another stack`,
  );
}

/**
 * Every kind's lifecycle goes through here:
 * - the account guard on diff, read, update and delete, and `accountSid` in every object's outputs;
 * - the diff protocol: with changes, `changes` is left undefined, so the engine computes the
 *   field-level diff itself from the old and new inputs (a Node dynamic provider cannot report one,
 *   the Node SDK's dynamic provider drops `detailedDiff`) and marks exactly those fields in `--diff`, while the replace keys and
 *   delete-before-replace computed here decide the operation; without changes, `false`;
 * - the one delete path. Taking over by name makes a key rename (or `--replace`) hand the object
 *   to the new resource: its `create` reuses the old resource's object, then the engine deletes the
 *   old resource. That delete is skipped, with a log line, when a resource of this deployment
 *   claimed the object in this provider process: took it over in `create`, or kept it in a `diff`
 *   without replacement (an earlier run took it over and stopped before the delete). Skipping
 *   returns success, so the old resource leaves the state and the object stays with its new owner.
 */
export function oneOwnerPerObject<M extends Lifecycle>(
  kind: string,
  describe: (id: string, props: Record<string, unknown>) => string,
  impl: M,
  action = "deleting",
): M {
  type Props = Record<string, unknown>;
  type Loose = {
    create(inputs: unknown): Promise<{ id: string; outs: Props }>;
    diff(id: string, olds: Props, news: unknown): Promise<DiffOutcome>;
    read(id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: unknown }>;
    update(id: string, olds: Props, news: unknown): Promise<{ outs: Props }>;
    delete(id: string, props: Props): Promise<void>;
  };
  const inner = impl as unknown as Loose;
  const name = (id: string, props: Props | undefined) => describe(id, props ?? {});
  const stamp = (outs: Props, olds?: Props): Props => ({
    ...outs,
    accountSid: configuredAccountSid() ?? olds?.accountSid,
  });
  const wrapped = {
    create: async (inputs: unknown) => {
      const result = await inner.create(inputs);
      if (result.outs.adopted === true || result.outs.reused === true) {
        claim(kind, result.id, "adopted");
      }
      return { id: result.id, outs: stamp(result.outs) };
    },
    diff: async (id: string, olds: Props, news: unknown): Promise<EngineDiff> => {
      guardAccount(name(id, olds), olds ?? {});
      const outcome = await inner.diff(id, olds, news);
      if (outcome.replaces.length === 0) claim(kind, id, "declared");
      if (!outcome.changes) return { changes: false, replaces: [] };
      const { replaces, deleteBeforeReplace } = outcome;
      return deleteBeforeReplace ? { replaces, deleteBeforeReplace } : { replaces };
    },
    read: async (id: string, props: Props) => {
      guardAccount(name(id, props), props ?? {});
      const result = await inner.read(id, props);
      return result.props ? { ...result, props: stamp(result.props, props) } : result;
    },
    update: async (id: string, olds: Props, news: unknown) => {
      guardAccount(name(id, olds), olds ?? {});
      const result = await inner.update(id, olds, news);
      return { outs: stamp(result.outs, olds) };
    },
    delete: async (id: string, props: Props) => {
      guardAccount(name(id, props), props ?? {});
      const how = claimed(kind, id);
      if (!how) return inner.delete(id, props);
      log(
        how === "adopted"
          ? `not ${action} ${name(id, props)} (${id}): another resource of this deployment ` +
              `adopted it (a renamed key)`
          : `not ${action} ${name(id, props)} (${id}): another resource of this deployment holds ` +
              `it (a renamed key or a replacement took it over)`,
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
