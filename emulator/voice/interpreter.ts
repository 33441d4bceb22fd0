/**
 * The one TwiML interpreter: runs a document's verbs in order for a call. Where a verb means
 * something different depending on the document (the call's own document or a queue's wait URL
 * document, https://www.twilio.com/docs/voice/twiml/enqueue#attributes-wait-url), the `Leg` decides;
 * prompts and <Gather> behave the same in both and live here.
 */
import { resolveUrl } from "../taskrouter/deliver";
import {
  collectDigits,
  promptSeconds,
  type Dial,
  type Enqueue,
  type Gather,
  type RecordVerb,
  type Verb,
} from "./twiml";

export interface Doc {
  verbs: Verb[];
  url: string;
}

/** What the interpreter needs of a call: its trace, virtual time and scripted digits. */
export interface CallLine {
  step(kind: string, detail?: Record<string, unknown>): void;
  wait(seconds: number): Promise<boolean>;
  nextDigits(): string | undefined;
  readonly hungUp: boolean;
}

/** After a verb: go on with the next verb, stop this document, or play another document. */
export type Outcome = "next" | "stop" | Doc;

/** The behaviour that differs between the call's own document and a wait document. */
export interface Leg {
  call: CallLine;
  playSeconds: number;
  /** Fetches a TwiML document for this call (action and redirect URLs). */
  fetch(url: string, method: "GET" | "POST", extra?: Record<string, string>): Promise<Doc>;
  /** True when the call can no longer play this document. */
  over(): boolean;
  /** A <Gather> with no action posts to the document's own URL in a wait document too. */
  gather(verb: Gather, docUrl: string): Promise<Outcome>;
  redirect(url: string, method: "GET" | "POST"): Promise<Outcome>;
  hangup(): Outcome;
  leave(): Outcome;
  enqueue(verb: Enqueue, docUrl: string): Promise<Outcome>;
  record(verb: RecordVerb, docUrl: string): Promise<Outcome>;
  dial(verb: Dial, docUrl: string): Promise<Outcome>;
}

/** Runs `verbs`; returns the next document to play, or `"stop"` / `null` when the leg is done. */
export async function interpret(leg: Leg, verbs: Verb[], docUrl: string): Promise<Outcome | null> {
  for (const verb of verbs) {
    if (leg.over()) return null;
    let outcome: Outcome;
    switch (verb.verb) {
      case "Say":
      case "Play":
      case "Pause":
        await prompt(leg, verb);
        outcome = "next";
        break;
      case "Gather":
        outcome = await leg.gather(verb, docUrl);
        break;
      case "Redirect":
        outcome = await leg.redirect(resolveUrl(verb.url, docUrl), verb.method);
        break;
      case "Hangup":
        outcome = leg.hangup();
        break;
      case "Leave":
        outcome = leg.leave();
        break;
      case "Enqueue":
        outcome = await leg.enqueue(verb, docUrl);
        break;
      case "Record":
        outcome = await leg.record(verb, docUrl);
        break;
      case "Dial":
        outcome = await leg.dial(verb, docUrl);
        break;
    }
    if (outcome !== "next") return outcome;
  }
  return null;
}

export async function prompt(
  leg: Pick<Leg, "call" | "playSeconds">,
  verb: Extract<Verb, { verb: "Say" | "Play" | "Pause" }>,
): Promise<boolean> {
  const { call } = leg;
  const seconds = promptSeconds(verb, leg.playSeconds);
  if (verb.verb === "Say")
    call.step("say", { text: verb.text, voice: verb.voice, language: verb.language });
  else if (verb.verb === "Play") call.step("play", { url: verb.url, loop: verb.loop });
  else call.step("pause", { length: verb.length });
  return call.wait(seconds);
}

/** Plays the prompts, then posts the digits (or an empty result) to the action URL. */
export async function gather(leg: Leg, verb: Gather, docUrl: string): Promise<Doc | null> {
  const { call } = leg;
  call.step("gather", {
    numDigits: verb.numDigits ?? null,
    timeout: verb.timeout,
    finishOnKey: verb.finishOnKey,
  });
  const typed = call.nextDigits();
  for (const p of verb.prompts) {
    // A caller with keys to press barges in after the first prompt has started.
    if (typed !== undefined) {
      const seconds = Math.min(promptSeconds(p, leg.playSeconds), 1);
      call.step(
        p.verb.toLowerCase(),
        p.verb === "Say"
          ? { text: p.text }
          : p.verb === "Play"
            ? { url: p.url }
            : { length: p.length },
      );
      await call.wait(seconds);
      break;
    }
    if (!(await prompt(leg, p))) return null;
  }
  if (call.hungUp) return null;
  const action = resolveUrl(verb.action ?? docUrl, docUrl);
  if (typed !== undefined) {
    const { digits, finishedOnKey } = collectDigits(verb, typed);
    call.step("digits", { digits, finishedOnKey });
    return leg.fetch(action, verb.method, { Digits: digits, FinishedOnKey: finishedOnKey });
  }
  if (!(await call.wait(verb.timeout))) return null;
  call.step("gather.timeout", { seconds: verb.timeout });
  if (verb.actionOnEmptyResult)
    return leg.fetch(action, verb.method, { Digits: "", FinishedOnKey: "" });
  return null;
}
