// A line's opening hours: is the centre open at an instant, and what is wrong with a schedule. Pure;
// shared by the stack-file validation, the call handlers and the simulator. Every time in a schedule
// is wall-clock time in the schedule's IANA time zone, so "09:00" is 09:00 on both sides of a
// daylight-saving change; the zone's rules come from the runtime's ICU data (Intl).
import type { Closure, Hours, OpenInterval, Weekday } from "../functions/callFlow";

export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** "HH:MM", 00:00–23:59; a close may also be "24:00" (the end of the day). */
const CLOCK_TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END_OF_DAY = "24:00";
/** "YYYY-MM-DDTHH:MM", local to the schedule's zone. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})$/;

/** Local wall-clock parts of an instant: `date` "YYYY-MM-DD", `time` "HH:MM", `weekday` mon…sun. */
export interface LocalTime {
  date: string;
  time: string;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall-clock parts of an instant, by Intl part type (year, month, …, second, weekday). */
export function wallClockParts(timeZone: string, instant: Date): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  return parts;
}

export function localTime(timeZone: string, instant: Date): LocalTime {
  const parts = wallClockParts(timeZone, instant);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday.toLowerCase().slice(0, 3) as Weekday,
  };
}

export type OpenState =
  | { open: true }
  | { open: false; reason: "closure"; closure: string }
  | { open: false; reason: "outside weekly hours" };

/** Whether `hours` is open at `instant`; a closure wins over the weekly schedule. */
export function openAt(hours: Hours, instant: Date): OpenState {
  const local = localTime(hours.timeZone, instant);
  const stamp = `${local.date}T${local.time}`;
  const closure = hours.closures.find((c) => c.from <= stamp && stamp < c.to);
  if (closure) return { open: false, reason: "closure", closure: closure.name };
  const today = hours.weekly[local.weekday] ?? [];
  const open = today.some((i) => i.open <= local.time && local.time < i.close);
  return open ? { open: true } : { open: false, reason: "outside weekly hours" };
}

export const isOpen = (hours: Hours, instant: Date): boolean => openAt(hours, instant).open;

/** One problem in a schedule, at a path relative to the `hours` object (e.g. `weekly.mon[1].close`). */
export interface HoursProblem {
  path: (string | number)[];
  message: string;
}

/** Every problem in a schedule: unknown zone, impossible times, empty or overlapping ranges. */
export function hoursProblems(hours: Hours): HoursProblem[] {
  const out: HoursProblem[] = [];
  if (!isTimeZone(hours.timeZone)) {
    out.push({
      path: ["timeZone"],
      message: `unknown time zone ${JSON.stringify(hours.timeZone)}: use an IANA name such as Europe/London`,
    });
  }
  for (const day of Object.keys(hours.weekly)) {
    if (!WEEKDAYS.includes(day as Weekday)) {
      out.push({ path: ["weekly", day], message: `unknown day: use ${WEEKDAYS.join(", ")}` });
      continue;
    }
    out.push(...intervalProblems(hours.weekly[day as Weekday] ?? [], ["weekly", day]));
  }
  out.push(...closureProblems(hours.closures));
  return out;
}

function intervalProblems(intervals: OpenInterval[], at: (string | number)[]): HoursProblem[] {
  const out: HoursProblem[] = [];
  const valid: { i: number; interval: OpenInterval }[] = [];
  intervals.forEach((interval, i) => {
    const bad: HoursProblem[] = [];
    if (!CLOCK_TIME.test(interval.open)) {
      bad.push({ path: [...at, i, "open"], message: timeMessage(interval.open, false) });
    }
    if (!CLOCK_TIME.test(interval.close) && interval.close !== END_OF_DAY) {
      bad.push({ path: [...at, i, "close"], message: timeMessage(interval.close, true) });
    }
    if (bad.length === 0 && interval.close <= interval.open) {
      bad.push({
        path: [...at, i],
        message: `closes (${interval.close}) at or before it opens (${interval.open}); a range past midnight is two ranges, one on each day`,
      });
    }
    out.push(...bad);
    if (bad.length === 0) valid.push({ i, interval });
  });
  valid.sort((a, b) => (a.interval.open < b.interval.open ? -1 : 1));
  for (let k = 1; k < valid.length; k++) {
    const before = valid[k - 1];
    const after = valid[k];
    if (after.interval.open < before.interval.close) {
      out.push({
        path: [...at, after.i],
        message: `${after.interval.open}-${after.interval.close} overlaps ${before.interval.open}-${before.interval.close}`,
      });
    }
  }
  return out;
}

function timeMessage(value: string, isClose: boolean): string {
  const range = isClose ? "00:00 to 24:00" : "00:00 to 23:59";
  return `${JSON.stringify(value)} is not a time of day: use HH:MM, ${range}`;
}

function closureProblems(closures: Closure[]): HoursProblem[] {
  const out: HoursProblem[] = [];
  const valid: { i: number; closure: Closure }[] = [];
  closures.forEach((closure, i) => {
    const bad: HoursProblem[] = [];
    for (const end of ["from", "to"] as const) {
      if (!isLocalDateTime(closure[end])) {
        bad.push({
          path: ["closures", i, end],
          message: `${JSON.stringify(closure[end])} is not a local date and time: use YYYY-MM-DDTHH:MM`,
        });
      }
    }
    if (bad.length === 0 && closure.to <= closure.from) {
      bad.push({
        path: ["closures", i],
        message: `${closure.name} ends (${closure.to}) at or before it starts (${closure.from})`,
      });
    }
    out.push(...bad);
    if (bad.length === 0) valid.push({ i, closure });
  });
  valid.sort((a, b) => (a.closure.from < b.closure.from ? -1 : 1));
  for (let k = 1; k < valid.length; k++) {
    const before = valid[k - 1].closure;
    const after = valid[k];
    if (after.closure.from < before.to) {
      out.push({
        path: ["closures", after.i],
        message: `${after.closure.name} (${after.closure.from} to ${after.closure.to}) overlaps ${before.name} (${before.from} to ${before.to})`,
      });
    }
  }
  return out;
}

/** A real calendar date and time of day (2026-02-30T10:00 and 2026-01-01T25:00 are not). */
function isLocalDateTime(text: string): boolean {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m || !CLOCK_TIME.test(m[4])) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The day after a local date "YYYY-MM-DD" (a whole-day closure's exclusive end). */
export function nextDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}
