/**
 * TwiML for the virtual caller: parse a voice document (https://www.twilio.com/docs/voice/twiml) into typed verbs with Twilio's
 * defaults filled in. Pure. Only the verbs the contact centre's call flow uses are understood; any
 * other verb is refused with Twilio's schema-validation error (12200), as a strict stand-in should.
 */
import { twimlContentType, twimlParseFailure, twimlSchema, twimlTooLarge } from "../errors";
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** A TwiML problem is a WebhookError with Twilio's code (12100 parse, 12200 schema, 12300 content type, 11750 size). */
export { WebhookError as TwimlError } from "../errors";

export interface Say {
  verb: "Say";
  text: string;
  voice: string;
  language: string;
  loop: number;
}
export interface Play {
  verb: "Play";
  url: string;
  loop: number;
}
export interface Pause {
  verb: "Pause";
  length: number;
}
export interface Gather {
  verb: "Gather";
  /** Undefined = the current document's URL. */
  action?: string;
  method: "GET" | "POST";
  timeout: number;
  finishOnKey: string;
  numDigits?: number;
  actionOnEmptyResult: boolean;
  input: string;
  prompts: Array<Say | Play | Pause>;
}
export interface Redirect {
  verb: "Redirect";
  url: string;
  method: "GET" | "POST";
}
export interface Hangup {
  verb: "Hangup";
}
export interface Leave {
  verb: "Leave";
}
export interface EnqueueTask {
  /** The JSON object text inside <Task>. */
  attributes: Record<string, unknown>;
  priority?: number;
  timeout?: number;
}
export interface Enqueue {
  verb: "Enqueue";
  name?: string;
  workflowSid?: string;
  action?: string;
  method: "GET" | "POST";
  /** Undefined = Twilio's default hold music; "" = silence. */
  waitUrl?: string;
  waitUrlMethod: "GET" | "POST";
  task?: EnqueueTask;
}

/** <Record> (https://www.twilio.com/docs/voice/twiml/record) with Twilio's defaults. */
export interface RecordVerb {
  verb: "Record";
  /** Undefined = the current document's URL. */
  action?: string;
  method: "GET" | "POST";
  /** Seconds of silence that end the recording; 0 = never. */
  timeout: number;
  finishOnKey: string;
  maxLength: number;
  playBeep: boolean;
  trim: "trim-silence" | "do-not-trim";
  recordingStatusCallback?: string;
  recordingStatusCallbackMethod: "GET" | "POST";
  recordingStatusCallbackEvent: Array<"in-progress" | "completed" | "absent">;
}

/**
 * <Dial> with one <Number> (or a bare number) (https://www.twilio.com/docs/voice/twiml/dial):
 * the attributes the emulator plays; any other attribute or noun is refused (12200).
 */
export interface Dial {
  verb: "Dial";
  /** E.164. */
  number: string;
  /** Undefined = the calling call's number. */
  callerId?: string;
  /** Undefined = go on with the next verb when the dialled call ends. */
  action?: string;
  method: "GET" | "POST";
  /** Seconds the dialled phone rings; default 30. */
  timeout: number;
  /** Longest conversation in seconds; default 14400. */
  timeLimit: number;
}

export type Verb =
  Say | Play | Pause | Gather | Redirect | Hangup | Leave | Enqueue | RecordVerb | Dial;

/** Twilio's limit on a TwiML response body. */
export const TWIML_MAX_BYTES = 64 * 1024;
/** Content types Twilio reads as TwiML. */
const TWIML_TYPES = ["text/xml", "application/xml", "text/html"];

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

function nameOf(node: Node): string {
  return Object.keys(node).find((k) => k !== ":@") as string;
}

function attrsOf(node: Node): Record<string, string> {
  return (node[":@"] as Record<string, string> | undefined) ?? {};
}

function childrenOf(node: Node): Node[] {
  return (node[nameOf(node)] as Node[]) ?? [];
}

function textOf(node: Node, where: string): string {
  let text = "";
  for (const child of childrenOf(node)) {
    if (nameOf(child) !== "#text") {
      throw twimlSchema(`<${where}> may not contain <${nameOf(child)}>`);
    }
    text += String(child["#text"]);
  }
  return text;
}

function int(attrs: Record<string, string>, name: string, verb: string, fallback: number): number;
function int(attrs: Record<string, string>, name: string, verb: string): number | undefined;
function int(attrs: Record<string, string>, name: string, verb: string, fallback?: number) {
  const v = attrs[name];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim())) {
    throw twimlSchema(`<${verb}> ${name}="${v}" is not a non-negative integer`);
  }
  return Number(v.trim());
}

function method(attrs: Record<string, string>, name: string, verb: string): "GET" | "POST" {
  const v = (attrs[name] ?? "POST").toUpperCase();
  if (v !== "GET" && v !== "POST")
    throw twimlSchema(`<${verb}> ${name}="${attrs[name]}" is not GET or POST`);
  return v;
}

function bool(attrs: Record<string, string>, name: string): boolean {
  return (attrs[name] ?? "false").toLowerCase() === "true";
}

function say(node: Node): Say {
  const a = attrsOf(node);
  return {
    verb: "Say",
    text: textOf(node, "Say"),
    voice: a.voice ?? "man",
    language: a.language ?? "en-US",
    loop: int(a, "loop", "Say", 1),
  };
}

function play(node: Node): Play {
  return { verb: "Play", url: textOf(node, "Play"), loop: int(attrsOf(node), "loop", "Play", 1) };
}

function pause(node: Node): Pause {
  textOf(node, "Pause");
  return { verb: "Pause", length: int(attrsOf(node), "length", "Pause", 1) };
}

function gather(node: Node): Gather {
  const a = attrsOf(node);
  const prompts = childrenOf(node).map((child) => {
    const name = nameOf(child);
    if (name === "Say") return say(child);
    if (name === "Play") return play(child);
    if (name === "Pause") return pause(child);
    throw twimlSchema(`<Gather> may not contain <${name}>`);
  });
  const g: Gather = {
    verb: "Gather",
    method: method(a, "method", "Gather"),
    timeout: int(a, "timeout", "Gather", 5),
    finishOnKey: a.finishOnKey ?? "#",
    actionOnEmptyResult: bool(a, "actionOnEmptyResult"),
    input: a.input ?? "dtmf",
    prompts,
  };
  if (a.action !== undefined) g.action = a.action;
  const numDigits = int(a, "numDigits", "Gather");
  if (numDigits !== undefined) {
    if (numDigits < 1) throw twimlSchema("<Gather> numDigits must be at least 1");
    g.numDigits = numDigits;
  }
  return g;
}

function enqueue(node: Node): Enqueue {
  const a = attrsOf(node);
  const e: Enqueue = {
    verb: "Enqueue",
    method: method(a, "method", "Enqueue"),
    waitUrlMethod: method(a, "waitUrlMethod", "Enqueue"),
  };
  if (a.workflowSid !== undefined) e.workflowSid = a.workflowSid;
  if (a.action !== undefined) e.action = a.action;
  if (a.waitUrl !== undefined) e.waitUrl = a.waitUrl;
  let name = "";
  for (const child of childrenOf(node)) {
    const childName = nameOf(child);
    if (childName === "#text") {
      name += String(child["#text"]);
    } else if (childName === "Task") {
      if (e.task) throw twimlSchema("<Enqueue> may contain one <Task>");
      e.task = task(child);
    } else {
      throw twimlSchema(`<Enqueue> may not contain <${childName}>`);
    }
  }
  if (name !== "") e.name = name;
  if (!e.workflowSid && !e.name) {
    throw twimlSchema("<Enqueue> needs a queue name or a workflowSid");
  }
  return e;
}

const RECORDING_EVENTS = ["in-progress", "completed", "absent"] as const;

function record(node: Node): RecordVerb {
  textOf(node, "Record");
  const a = attrsOf(node);
  const finishOnKey = a.finishOnKey ?? "1234567890*#";
  if (!/^[0-9*#]*$/.test(finishOnKey))
    throw twimlSchema(`<Record> finishOnKey="${finishOnKey}" may hold only 0-9, * and #`);
  const maxLength = int(a, "maxLength", "Record", 3600);
  if (maxLength < 1 || maxLength > 14400)
    throw twimlSchema(`<Record> maxLength="${maxLength}" is not between 1 and 14400`);
  const trim = a.trim ?? "trim-silence";
  if (trim !== "trim-silence" && trim !== "do-not-trim")
    throw twimlSchema(`<Record> trim="${trim}" is not trim-silence or do-not-trim`);
  const events = (a.recordingStatusCallbackEvent ?? "completed").split(/[\s,]+/).filter(Boolean);
  const badEvent = events.find((e) => !(RECORDING_EVENTS as readonly string[]).includes(e));
  if (badEvent !== undefined)
    throw twimlSchema(
      `<Record> recordingStatusCallbackEvent "${badEvent}" is not in-progress, completed or absent`,
    );
  const r: RecordVerb = {
    verb: "Record",
    method: method(a, "method", "Record"),
    timeout: int(a, "timeout", "Record", 5),
    finishOnKey,
    maxLength,
    playBeep: (a.playBeep ?? "true").toLowerCase() !== "false",
    trim,
    recordingStatusCallbackMethod: method(a, "recordingStatusCallbackMethod", "Record"),
    recordingStatusCallbackEvent: events as RecordVerb["recordingStatusCallbackEvent"],
  };
  if (a.action !== undefined) r.action = a.action;
  if (a.recordingStatusCallback !== undefined)
    r.recordingStatusCallback = a.recordingStatusCallback;
  return r;
}

const DIAL_ATTRIBUTES = ["action", "method", "timeout", "callerId", "timeLimit"];
const E164 = /^\+[1-9]\d{1,14}$/;

function dial(node: Node): Dial {
  const a = attrsOf(node);
  const other = Object.keys(a).find((k) => !DIAL_ATTRIBUTES.includes(k));
  if (other !== undefined) throw twimlSchema(`<Dial> ${other} is not emulated`);
  const numbers: string[] = [];
  for (const child of childrenOf(node)) {
    const name = nameOf(child);
    if (name === "#text") numbers.push(String(child["#text"]).trim());
    else if (name === "Number") {
      const attr = Object.keys(attrsOf(child))[0];
      if (attr !== undefined) throw twimlSchema(`<Number> ${attr} is not emulated`);
      numbers.push(textOf(child, "Number").trim());
    } else throw twimlSchema(`<Dial><${name}> is not emulated`);
  }
  if (numbers.length !== 1)
    throw twimlSchema(`<Dial> needs exactly one number (the emulator dials one party)`);
  if (!E164.test(numbers[0]))
    throw twimlSchema(`<Dial> number ${JSON.stringify(numbers[0])} is not E.164`);
  if (a.callerId !== undefined && !E164.test(a.callerId))
    throw twimlSchema(`<Dial> callerId="${a.callerId}" is not E.164`);
  const timeout = int(a, "timeout", "Dial", 30);
  if (timeout < 1) throw twimlSchema("<Dial> timeout must be at least 1");
  const d: Dial = {
    verb: "Dial",
    number: numbers[0],
    method: method(a, "method", "Dial"),
    timeout,
    timeLimit: int(a, "timeLimit", "Dial", 14400),
  };
  if (a.callerId !== undefined) d.callerId = a.callerId;
  if (a.action !== undefined) d.action = a.action;
  return d;
}

function task(node: Node): EnqueueTask {
  const a = attrsOf(node);
  const text = textOf(node, "Task").trim();
  let attributes: unknown = {};
  if (text !== "") {
    try {
      attributes = JSON.parse(text);
    } catch {
      throw twimlSchema(`<Task> body is not valid JSON: ${text}`);
    }
  }
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) {
    throw twimlSchema("<Task> body must be a JSON object");
  }
  const t: EnqueueTask = { attributes: attributes as Record<string, unknown> };
  const priority = int(a, "priority", "Task");
  if (priority !== undefined) t.priority = priority;
  const timeout = int(a, "timeout", "Task");
  if (timeout !== undefined) t.timeout = timeout;
  return t;
}

function verb(node: Node): Verb {
  const name = nameOf(node);
  switch (name) {
    case "Say":
      return say(node);
    case "Play":
      return play(node);
    case "Pause":
      return pause(node);
    case "Gather":
      return gather(node);
    case "Redirect": {
      const url = textOf(node, "Redirect").trim();
      if (url === "") throw twimlSchema("<Redirect> needs a URL");
      return { verb: "Redirect", url, method: method(attrsOf(node), "method", "Redirect") };
    }
    case "Hangup":
      textOf(node, "Hangup");
      return { verb: "Hangup" };
    case "Leave":
      textOf(node, "Leave");
      return { verb: "Leave" };
    case "Enqueue":
      return enqueue(node);
    case "Record":
      return record(node);
    case "Dial":
      return dial(node);
    case "#text":
      throw twimlSchema(`text outside a verb: ${JSON.stringify(node["#text"])}`);
    default:
      throw twimlSchema(`<${name}> is not supported by the emulator's virtual caller`);
  }
}

/** Parses a TwiML document into verbs; throws TwimlError with Twilio's code. */
export function parseTwiml(xml: string): Verb[] {
  if (Buffer.byteLength(xml) > TWIML_MAX_BYTES) {
    throw twimlTooLarge(TWIML_MAX_BYTES);
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw twimlParseFailure(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const roots = (parser.parse(xml) as Node[]).filter((n) => {
    const name = nameOf(n);
    return name !== "?xml" && name !== "#comment";
  });
  if (roots.length !== 1 || nameOf(roots[0]) !== "Response") {
    throw twimlSchema("the root element must be <Response>");
  }
  return childrenOf(roots[0])
    .filter((n) => nameOf(n) !== "#comment")
    .map(verb);
}

/** Checks a webhook response's Content-Type before parsing (12300 otherwise). */
export function checkTwimlContentType(contentType: string | undefined): void {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (!TWIML_TYPES.includes(type)) {
    throw twimlContentType(type);
  }
}

/**
 * How long a prompt takes in virtual seconds. Speech at 2.5 words a second (at least 1 s); audio
 * files are not fetched, so a <Play> lasts `playSeconds`. `loop="0"` lasts for ever (Infinity).
 */
export function promptSeconds(prompt: Say | Play | Pause, playSeconds: number): number {
  if (prompt.verb === "Pause") return prompt.length;
  if (prompt.loop === 0) return Infinity; // loop="0" repeats until something interrupts the call
  const times = prompt.loop;
  if (prompt.verb === "Play") return playSeconds * times;
  const words = prompt.text.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.ceil(words / 2.5)) * times;
}

/** Digits a scripted caller enters into a <Gather>: stops at numDigits or the finish key. */
export function collectDigits(
  gather: Pick<Gather, "numDigits" | "finishOnKey">,
  typed: string,
): { digits: string; finishedOnKey: string } {
  let digits = "";
  for (const key of typed) {
    if (gather.finishOnKey !== "" && key === gather.finishOnKey)
      return { digits, finishedOnKey: key };
    digits += key;
    if (gather.numDigits !== undefined && digits.length >= gather.numDigits) break;
  }
  return { digits, finishedOnKey: "" };
}
