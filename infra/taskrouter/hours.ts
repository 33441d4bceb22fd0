// Opening hours of a line: is it open at an instant, and what is wrong with a declared schedule.
// Pure and dependency-free (the call handlers bundle it). Every time is wall-clock time in the line's
// IANA time zone, read through Intl, so daylight-saving changes need no special case: a weekly
// interval "09:00"–"17:00" is open from 09:00 local time on both sides of a change.
import type { Closure, Hours, OpenInterval, Weekday } from "../functions/callFlow";

export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Why a line is closed: a named closure (holiday) or outside its weekly schedule. */
export type ClosedReason = { kind: "closure"; name: string } | { kind: "outsideWeeklyHours" };

export type OpenStatus = { open: true } | { open: false; reason: ClosedReason };

/** The wall-clock time of an instant in a time zone. */
export interface LocalTime {
  weekday: Weekday;
  /** "YYYY-MM-DD" */
  date: string;
  /** Minutes since local midnight, 0 … 1439. */
  minute: number;
  /** "YYYY-MM-DDTHH:MM", the form closures use, so they compare as strings. */
  stamp: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when Intl knows the IANA time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const weekday = parts.weekday.toLowerCase().slice(0, 3) as Weekday;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return { weekday, date, minute, stamp: `${date}T${parts.hour}:${parts.minute}` };
}

/** Open or closed at an instant, and why closed. Closures win over the weekly schedule. */
export function openStatus(hours: Hours, instant: Date): OpenStatus {
  const local = localTime(instant, hours.timeZone);
  const closure = hours.closures.find((c) => c.from <= local.stamp && local.stamp < c.to);
  if (closure) return { open: false, reason: { kind: "closure", name: closure.name } };
  const intervals = hours.weekly[local.weekday] ?? [];
  const open = intervals.some(
    (i) => clockMinutes(i.open)! <= local.minute && local.minute < clockMinutes(i.close)!,
  );
  return open ? { open: true } : { open: false, reason: { kind: "outsideWeeklyHours" } };
}

export function isOpen(hours: Hours, instant: Date): boolean {
  return openStatus(hours, instant).open;
}

const CLOCK = /^(\d\d):(\d\d)$/;
const STAMP = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d)$/;

/** "HH:MM" → minutes since midnight; "24:00" → 1440; undefined when impossible. */
export function clockMinutes(text: string): number | undefined {
  const match = CLOCK.exec(text);
  if (!match) return undefined;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  if (hour === 24 && minute === 0) return 1440;
  if (hour > 23 || minute > 59) return undefined;
  return hour * 60 + minute;
}

/** True for a real calendar date "YYYY-MM-DD". */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** "2026-12-25" → the whole local day: from "2026-12-25T00:00" to "2026-12-26T00:00". */
export function wholeDay(date: string): { from: string; to: string } {
  const [year, month, day] = date.split("-").map(Number);
  const next = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return { from: `${date}T00:00`, to: `${next}T00:00` };
}

function stampProblem(text: string): string | undefined {
  const match = STAMP.exec(text);
  const clock = match ? clockMinutes(match[4]) : undefined;
  if (!match || !isCalendarDate(`${match[1]}-${match[2]}-${match[3]}`) || clock === 1440) {
    return `"${text}" is not a local date and time YYYY-MM-DDTHH:MM`;
  }
  if (clock === undefined) return `"${text}" is not a time of day`;
  return undefined;
}

/** One problem in an Hours value, located by a path relative to it, e.g. ["weekly", "mon", 1]. */
export interface HoursProblem {
  path: (string | number)[];
  message: string;
}

/** Every problem in a schedule: impossible times, empty or overlapping intervals and closures. */
export function hoursProblems(hours: Hours): HoursProblem[] {
  const problems: HoursProblem[] = [];
  if (!isKnownTimeZone(hours.timeZone)) {
    problems.push({
      path: ["timeZone"],
      message: `unknown time zone "${hours.timeZone}" (an IANA name such as Europe/London)`,
    });
  }
  for (const day of Object.keys(hours.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push({
        path: ["weekly", day],
        message: `"${day}" is not one of ${WEEKDAYS.join(", ")}`,
      });
      continue;
    }
    problems.push(...intervalProblems(hours.weekly[day as Weekday] ?? [], ["weekly", day]));
  }
  problems.push(...closureProblems(hours.closures));
  return problems;
}

function intervalProblems(intervals: OpenInterval[], at: (string | number)[]): HoursProblem[] {
  const problems: HoursProblem[] = [];
  const valid: { index: number; open: number; close: number }[] = [];
  intervals.forEach((interval, index) => {
    const open = clockMinutes(interval.open);
    const close = clockMinutes(interval.close);
    if (open === undefined || open === 1440) {
      problems.push({
        path: [...at, index, "open"],
        message: `"${interval.open}" is not a time 00:00–23:59`,
      });
    }
    if (close === undefined) {
      problems.push({
        path: [...at, index, "close"],
        message: `"${interval.close}" is not a time 00:00–24:00`,
      });
    }
    if (open === undefined || open === 1440 || close === undefined) return;
    if (close <= open) {
      problems.push({
        path: [...at, index],
        message: `closes at ${interval.close}, not after it opens at ${interval.open}`,
      });
      return;
    }
    valid.push({ index, open, close });
  });
  valid.sort((a, b) => a.open - b.open);
  for (let k = 1; k < valid.length; k++) {
    const [before, after] = [valid[k - 1], valid[k]];
    if (after.open < before.close) {
      const [first, second] = [before.index, after.index].sort((a, b) => a - b);
      problems.push({
        path: [...at, second],
        message: `overlaps interval ${first} (${intervals[first].open}–${intervals[first].close})`,
      });
    }
  }
  return problems;
}

function closureProblems(closures: Closure[]): HoursProblem[] {
  const problems: HoursProblem[] = [];
  const valid: { index: number; closure: Closure }[] = [];
  closures.forEach((closure, index) => {
    const from = stampProblem(closure.from);
    const to = stampProblem(closure.to);
    if (from) problems.push({ path: ["closures", index, "from"], message: from });
    if (to) problems.push({ path: ["closures", index, "to"], message: to });
    if (from || to) return;
    if (closure.to <= closure.from) {
      problems.push({
        path: ["closures", index],
        message: `"${closure.name}" ends at ${closure.to}, not after it starts at ${closure.from}`,
      });
      return;
    }
    valid.push({ index, closure });
  });
  valid.sort((a, b) => (a.closure.from < b.closure.from ? -1 : 1));
  for (let k = 1; k < valid.length; k++) {
    const [before, after] = [valid[k - 1], valid[k]];
    if (after.closure.from < before.closure.to) {
      const [first, second] = [before, after].sort((a, b) => a.index - b.index);
      problems.push({
        path: ["closures", second.index],
        message: `"${second.closure.name}" overlaps "${first.closure.name}" (closure ${first.index})`,
      });
    }
  }
  return problems;
}
