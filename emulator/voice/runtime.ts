/**
 * Wires the routing engine, the clock and the virtual phone onto a store, and serves their admin
 * endpoints under /__emulator/ (the server forwards admin requests it does not know itself):
 *
 *   GET  /__emulator/clock                 → { kind, now }
 *   POST /__emulator/clock/advance         { seconds } → { kind, now }   (virtual clock only)
 *   POST /__emulator/calls                 { to, from, digits?, messages?, at?, hangupAfterSeconds?, talkSeconds? } → call result
 *   GET  /__emulator/calls                 → { calls: [call result…] }
 *   GET  /__emulator/calls/{CallSid}       → call result
 *   GET  /__emulator/answering             → { answering: { [uri]: { answerAfterSeconds, talkSeconds? } } }
 *   POST /__emulator/answering             { uri, answerAfterSeconds: number | null, talkSeconds? } → same
 *   GET  /__emulator/engine/failures       → { failures: [{ at, reservationSid, taskSid, workerSid, url, fallback, code, message }] }
 *   GET  /__emulator/engine/callbacks      → { callbacks: [{ at, kind, url, eventType?, params, status, error? }] }
 */
import { createClock, VirtualClock, type Clock } from "../taskrouter/clock";
import { Phone, type CallOptions } from "./phone";
import { callTimeProblem, type Answering } from "./call";
import { Engine } from "../taskrouter/engine";
import { fetchDeliver, serialized, type Deliver } from "../taskrouter/deliver";
import type { Store } from "../state/store";

export interface RuntimeOptions {
  /** Default "real". */
  clock?: "real" | "virtual" | Clock;
  authToken: string;
  deliver?: Deliver;
  /** Virtual seconds a bridged caller talks before the worker hangs up (default 30). */
  talkSeconds?: number;
  /** Virtual seconds a <Play> lasts (default 30). */
  playSeconds?: number;
  /** How the phones the emulator dials answer, by contact URI or number (default: at once). */
  answering?: Record<string, Answering>;
  /** Called after changes made by timers and callbacks (the server persists). */
  onChange?: () => void;
}

export interface Runtime {
  clock: Clock;
  engine: Engine;
  phone: Phone;
  /** Serves an admin request; undefined when the path is not one of the runtime's. */
  admin(
    method: string,
    path: string,
    body: Buffer,
  ): Promise<{ status: number; body: unknown } | undefined>;
  stop(): void;
}

export function attachRuntime(store: Store, opts: RuntimeOptions): Runtime {
  const clock = typeof opts.clock === "object" ? opts.clock : createClock(opts.clock ?? "real");
  // Engine and phone share one deliverer; on the virtual clock it runs one request at a time.
  const base = opts.deliver ?? fetchDeliver;
  const deliver = clock.kind === "virtual" ? serialized(base) : base;
  const engine = new Engine(store, {
    clock,
    authToken: opts.authToken,
    deliver,
    onChange: opts.onChange,
  });
  const phone = new Phone({
    store,
    engine,
    clock,
    authToken: opts.authToken,
    deliver,
    talkSeconds: opts.talkSeconds,
    playSeconds: opts.playSeconds,
    answering: opts.answering,
    onChange: opts.onChange,
  });
  const answeringState = () => ({ answering: Object.fromEntries(phone.answering) });
  const clockState = () => ({ kind: clock.kind, now: new Date(clock.now()).toISOString() });

  async function admin(method: string, path: string, body: Buffer) {
    const json = (): Record<string, unknown> | string => {
      if (body.length === 0) return {};
      try {
        const v = JSON.parse(body.toString("utf8")) as unknown;
        if (v !== null && typeof v === "object" && !Array.isArray(v))
          return v as Record<string, unknown>;
        return "body must be a JSON object";
      } catch {
        return "body must be JSON";
      }
    };
    const bad = (message: string) => ({ status: 400, body: { error: message } });
    const key = `${method} ${path}`;
    if (key === "GET /clock") return { status: 200, body: clockState() };
    if (key === "POST /clock/advance") {
      const b = json();
      if (typeof b === "string") return bad(b);
      if (!(clock instanceof VirtualClock))
        return bad("the emulator runs on the real clock; start it with --clock virtual");
      const seconds = b.seconds;
      if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
        return bad("seconds must be a non-negative number");
      }
      await clock.advance(seconds * 1000);
      return { status: 200, body: clockState() };
    }
    if (key === "POST /calls") {
      const b = json();
      if (typeof b === "string") return bad(b);
      const problem = callOptionsProblem(b);
      if (problem) return bad(problem);
      return { status: 200, body: await phone.place(b as unknown as CallOptions) };
    }
    if (key === "GET /calls") return { status: 200, body: { calls: phone.list() } };
    const call = /^GET \/calls\/(CA[0-9a-fA-F]{32})$/.exec(key);
    if (call) {
      const found = phone.get(call[1]);
      return found
        ? { status: 200, body: found }
        : { status: 404, body: { error: `no call ${call[1]}` } };
    }
    if (key === "GET /answering") return { status: 200, body: answeringState() };
    if (key === "POST /answering") {
      const b = json();
      if (typeof b === "string") return bad(b);
      const problem = answeringProblem(b);
      if (problem) return bad(problem);
      const a: Answering = { answerAfterSeconds: b.answerAfterSeconds as number | null };
      if (b.talkSeconds !== undefined) a.talkSeconds = b.talkSeconds as number;
      phone.answering.set(b.uri as string, a);
      return { status: 200, body: answeringState() };
    }
    if (key === "GET /engine/failures") return { status: 200, body: { failures: engine.failures } };
    if (key === "GET /engine/callbacks")
      return { status: 200, body: { callbacks: engine.callbacks } };
    return undefined;
  }

  return {
    clock,
    engine,
    phone,
    admin,
    stop: () => {
      phone.stop();
      engine.stop();
    },
  };
}

/** Checks the JSON of POST /__emulator/answering; returns the problem or null. */
export function answeringProblem(b: Record<string, unknown>): string | null {
  if (typeof b.uri !== "string" || b.uri === "") return "uri must be a contact URI or number";
  const after = b.answerAfterSeconds;
  if (after !== null && (typeof after !== "number" || !Number.isFinite(after) || after < 0))
    return "answerAfterSeconds must be a non-negative number, or null for a phone nobody answers";
  const talk = b.talkSeconds;
  if (talk !== undefined && (typeof talk !== "number" || !Number.isFinite(talk) || talk < 0))
    return "talkSeconds must be a non-negative number";
  const unknown = Object.keys(b).find(
    (k) => !["uri", "answerAfterSeconds", "talkSeconds"].includes(k),
  );
  return unknown ? `unknown field ${unknown}` : null;
}

/** Checks the JSON of POST /__emulator/calls; returns the problem or null. */
export function callOptionsProblem(b: Record<string, unknown>): string | null {
  const e164 = /^\+[1-9]\d{1,14}$/;
  if (typeof b.to !== "string" || !e164.test(b.to)) return "to must be an E.164 number";
  if (typeof b.from !== "string" || !e164.test(b.from)) return "from must be an E.164 number";
  const digits = b.digits;
  const okDigits = (d: unknown) => typeof d === "string" && /^[0-9*#]*$/.test(d);
  if (
    digits !== undefined &&
    !(okDigits(digits) || (Array.isArray(digits) && digits.every(okDigits)))
  ) {
    return "digits must be keypad keys (0-9, *, #), a string or a list of strings";
  }
  for (const k of ["hangupAfterSeconds", "talkSeconds"]) {
    const v = b[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
      return `${k} must be a non-negative number`;
    }
  }
  const messages = b.messages;
  const okMessage = (m: unknown) => {
    const r = m as Record<string, unknown> | null;
    return (
      r !== null &&
      typeof r === "object" &&
      typeof r.seconds === "number" &&
      Number.isFinite(r.seconds) &&
      r.seconds >= 0 &&
      (r.key === undefined || (typeof r.key === "string" && /^[0-9*#]$/.test(r.key))) &&
      Object.keys(r).every((k) => k === "seconds" || k === "key")
    );
  };
  if (messages !== undefined && !(Array.isArray(messages) && messages.every(okMessage))) {
    return "messages must be a list of { seconds: non-negative number, key?: one keypad key }";
  }
  if (b.at !== undefined) {
    if (typeof b.at !== "string") return "at must be a string";
    const problem = callTimeProblem(b.at);
    if (problem) return `at: ${problem}`;
  }
  const known = new Set([
    "to",
    "from",
    "digits",
    "messages",
    "at",
    "hangupAfterSeconds",
    "talkSeconds",
  ]);
  const unknown = Object.keys(b).find((k) => !known.has(k));
  return unknown ? `unknown field ${unknown}` : null;
}
