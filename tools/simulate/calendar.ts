// A scenario's times of day on its date, as instants: "10:00" on 2026-12-07 in Europe/London is
// the instant the clocks there show 10:00 that day, so the lines' hours (infra/taskrouter/hours.ts)
// judge it as a caller's phone would. Pure; the zone's rules come from the runtime's ICU data (Intl).

import { wallClockParts } from "../../infra/taskrouter/hours";

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(timeZone: string, ms: number): number {
  const p = wallClockParts(timeZone, new Date(ms));
  const n = (type: string) => Number(p[type]);
  const wall = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return wall - (ms - (ms % 1000));
}

/**
 * The instant (ms) the zone's clocks show `seconds` after midnight on `date` ("YYYY-MM-DD").
 * A time the clocks skip (spring forward) is read with the offset before the change, so it lands
 * after the gap; a time they show twice (fall back) is the first.
 */
export function instantOf(date: string, seconds: number, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + seconds * 1000;
  // The offsets a day either side bracket any change near this time; try the earlier first.
  const before = offsetAt(timeZone, wall - 86_400_000);
  const after = offsetAt(timeZone, wall + 86_400_000);
  for (const offset of [before, after]) {
    if (offsetAt(timeZone, wall - offset) === offset) return wall - offset;
  }
  return wall - before;
}
