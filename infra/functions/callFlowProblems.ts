// Validation of a parsed CALL_FLOW (callFlow.ts): every problem at once, each starting with its
// JSON path (`.lines[0].hours.weekly.mon[0].open must be "HH:MM"`). Pure and free of the
// stack-file schema, so the handler bundles can include it. The stack validator checks the same
// rules with file:line first; this is the cold-start guard against a hand-set or stale variable.
import { E164, KEYPAD_KEY } from "../taskrouter/formats";
import { hoursProblems } from "../taskrouter/hours";
import type { Exit, Hours } from "./callFlow";

const EXITS: readonly Exit[] = ["voicemail", "callback"];

const quote = (s: string) => JSON.stringify(s);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** Problems in a parsed CALL_FLOW; [] when it is a valid `CallFlow`. */
export function callFlowProblems(flow: unknown): string[] {
  if (!isObject(flow)) return [" must be a JSON object"];
  const out: string[] = [];
  const text = (at: string, v: unknown) => {
    if (!isText(v)) out.push(`${at} must be a non-empty string`);
  };
  const object = (at: string, v: unknown) => {
    if (!isObject(v)) out.push(`${at} must be an object`);
  };
  const seconds = (at: string, v: unknown) => {
    if (!isPositiveInteger(v)) out.push(`${at} must be a whole number of seconds above 0`);
  };
  const exits = (at: string, v: unknown) => {
    if (!Array.isArray(v)) return out.push(`${at} must be a list of "voicemail" and "callback"`);
    v.forEach((exit, i) => {
      if (!EXITS.includes(exit as Exit)) {
        out.push(`${at}[${i}] must be "voicemail" or "callback", got ${JSON.stringify(exit)}`);
      } else if (v.indexOf(exit) !== i) out.push(`${at}[${i}] repeats ${quote(exit as string)}`);
    });
  };

  if (!Array.isArray(flow.lines) || flow.lines.length === 0) {
    out.push(".lines must be a non-empty list");
  } else {
    const numbers = new Map<string, number>();
    flow.lines.forEach((line: unknown, i) => {
      const at = `.lines[${i}]`;
      if (!isObject(line)) return out.push(`${at} must be an object`);
      text(`${at}.name`, line.name);
      if (typeof line.number !== "string" || !E164.test(line.number)) {
        out.push(`${at}.number must be an E.164 number such as +15555550100`);
      } else if (numbers.has(line.number)) {
        out.push(`${at}.number ${line.number} is also .lines[${numbers.get(line.number)}].number`);
      } else numbers.set(line.number, i);
      out.push(...ivrProblems(line.ivr).map((p) => `${at}.ivr${p}`));
      object(`${at}.taskAttributes`, line.taskAttributes);
      if (line.hours !== undefined) out.push(...hoursShapeProblems(line.hours, `${at}.hours`));
      exits(`${at}.whenClosed`, line.whenClosed);
      if (line.maxWait !== undefined) seconds(`${at}.maxWait`, line.maxWait);
      exits(`${at}.whenNobodyAnswers`, line.whenNobodyAnswers);
      if (typeof line.recordCalls !== "boolean")
        out.push(`${at}.recordCalls must be true or false`);
    });
  }

  const vm = flow.voicemail;
  if (!isObject(vm)) out.push(".voicemail must be an object");
  else {
    text(".voicemail.prompt", vm.prompt);
    seconds(".voicemail.maxLength", vm.maxLength);
    object(".voicemail.attributes", vm.attributes);
    text(".voicemail.taskChannel", vm.taskChannel);
  }
  const cb = flow.callback;
  if (!isObject(cb)) out.push(".callback must be an object");
  else {
    text(".callback.confirmation", cb.confirmation);
    object(".callback.attributes", cb.attributes);
    text(".callback.taskChannel", cb.taskChannel);
    if (typeof cb.preferLastAgent !== "boolean") {
      out.push(".callback.preferLastAgent must be true or false");
    }
  }
  const leg = flow.agentLeg;
  if (!isObject(leg)) out.push(".agentLeg must be an object");
  else seconds(".agentLeg.ringTimeout", leg.ringTimeout);
  return out;

  function ivrProblems(ivr: unknown): string[] {
    if (!isObject(ivr)) return [" must be an object"];
    const p: string[] = [];
    for (const key of ["greeting", "voice", "language"]) {
      if (!isText(ivr[key])) p.push(`.${key} must be a non-empty string`);
    }
    if (!isObject(ivr.defaultAttributes)) p.push(".defaultAttributes must be an object");
    if (!isObject(ivr.options)) return [...p, ".options must be an object of keypad key → option"];
    for (const [digit, option] of Object.entries(ivr.options)) {
      const at = `.options[${quote(digit)}]`;
      if (!KEYPAD_KEY.test(digit)) p.push(`${at}: the key must be one keypad key (0-9, *, #)`);
      if (!isObject(option)) {
        p.push(`${at} must be an object with label and attributes`);
        continue;
      }
      if (!isText(option.label)) p.push(`${at}.label must be a non-empty string`);
      if (!isObject(option.attributes)) p.push(`${at}.attributes must be an object`);
      if (option.maxWait !== undefined && !isPositiveInteger(option.maxWait)) {
        p.push(`${at}.maxWait must be a whole number of seconds above 0`);
      }
    }
    return p;
  }
}

/** Shape first; then the schedule's own rules (times, overlaps, closures) from taskrouter/hours. */
function hoursShapeProblems(hours: unknown, at: string): string[] {
  if (!isObject(hours)) return [`${at} must be an object`];
  const p: string[] = [];
  if (typeof hours.timeZone !== "string") p.push(`${at}.timeZone must be an IANA time zone name`);
  if (!isText(hours.closedMessage)) p.push(`${at}.closedMessage must be a non-empty string`);
  const isInterval = (v: unknown) =>
    isObject(v) && typeof v.open === "string" && typeof v.close === "string";
  if (!isObject(hours.weekly)) p.push(`${at}.weekly must be an object of weekday → intervals`);
  else {
    for (const [day, intervals] of Object.entries(hours.weekly)) {
      if (!Array.isArray(intervals) || !intervals.every(isInterval)) {
        p.push(`${at}.weekly.${day} must be a list of {open, close} times`);
      }
    }
  }
  const isClosure = (v: unknown) =>
    isObject(v) && isText(v.name) && typeof v.from === "string" && typeof v.to === "string";
  if (!Array.isArray(hours.closures) || !hours.closures.every(isClosure)) {
    p.push(`${at}.closures must be a list of {name, from, to}`);
  }
  if (p.length > 0) return p;
  return hoursProblems(hours as unknown as Hours).map(
    (problem) => `${at}${jsonPath(problem.path)}: ${problem.message}`,
  );
}

const jsonPath = (path: (string | number)[]): string =>
  path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");
