import assert from "node:assert/strict";
import type { Hours } from "../functions/callFlow";
import { hoursProblems, isOpen, localTime, openStatus, wholeDay } from "./hours";

const weekdays = [{ open: "09:00", close: "17:00" }];

const london: Hours = {
  timeZone: "Europe/London",
  weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
  closures: [],
  closedMessage: "We are closed.",
};

const at = (iso: string): Date => new Date(iso);

describe("hours", () => {
  // Europe/London: GMT (UTC+0) until Sunday 29 March 2026 01:00 UTC, BST (UTC+1) after.
  it("opens at 09:00 local time before a daylight-saving change (GMT, UTC+0)", () => {
    assert.equal(isOpen(london, at("2026-03-27T08:59:00Z")), false);
    assert.equal(isOpen(london, at("2026-03-27T09:00:00Z")), true);
    assert.equal(isOpen(london, at("2026-03-27T16:59:00Z")), true);
    assert.equal(isOpen(london, at("2026-03-27T17:00:00Z")), false);
  });

  it("opens at 09:00 local time after a daylight-saving change (BST, UTC+1)", () => {
    assert.equal(isOpen(london, at("2026-03-30T07:59:00Z")), false);
    assert.equal(isOpen(london, at("2026-03-30T08:00:00Z")), true);
    assert.equal(isOpen(london, at("2026-03-30T15:59:00Z")), true);
    assert.equal(isOpen(london, at("2026-03-30T16:00:00Z")), false);
  });

  it("reads the local weekday and time on both sides of the spring-forward instant", () => {
    assert.deepEqual(localTime(at("2026-03-29T00:59:00Z"), "Europe/London"), {
      weekday: "sun",
      date: "2026-03-29",
      minute: 59,
      stamp: "2026-03-29T00:59",
    });
    assert.deepEqual(localTime(at("2026-03-29T01:00:00Z"), "Europe/London"), {
      weekday: "sun",
      date: "2026-03-29",
      minute: 120,
      stamp: "2026-03-29T02:00",
    });
  });

  it("is open to the last minute of a day that closes at 24:00, and closed at midnight", () => {
    const lateFriday: Hours = { ...london, weekly: { fri: [{ open: "20:00", close: "24:00" }] } };
    // 2026-12-04 is a Friday; London is on GMT.
    assert.equal(isOpen(lateFriday, at("2026-12-04T23:59:00Z")), true);
    assert.deepEqual(openStatus(lateFriday, at("2026-12-05T00:00:00Z")), {
      open: false,
      reason: { kind: "outsideWeeklyHours" },
    });
  });

  it("names a closure that spans midnight for its whole span, and only then", () => {
    const allDay = [{ open: "00:00", close: "24:00" }];
    const party: Hours = {
      ...london,
      weekly: { thu: allDay, fri: allDay },
      closures: [{ name: "Staff party", from: "2026-12-24T18:00", to: "2026-12-25T02:00" }],
    };
    const closed = { open: false, reason: { kind: "closure", name: "Staff party" } };
    assert.deepEqual(openStatus(party, at("2026-12-24T17:59:00Z")), { open: true });
    assert.deepEqual(openStatus(party, at("2026-12-24T18:00:00Z")), closed);
    assert.deepEqual(openStatus(party, at("2026-12-25T01:59:00Z")), closed);
    assert.deepEqual(openStatus(party, at("2026-12-25T02:00:00Z")), { open: true });
  });

  it("reads a closure in local time on the daylight-saving side it falls on", () => {
    const bankHoliday: Hours = {
      ...london,
      closures: [{ name: "Bank holiday", ...wholeDay("2026-05-04") }],
    };
    // Monday 4 May 2026 is on BST: local midnight is 23:00 UTC the day before.
    assert.equal(isOpen(bankHoliday, at("2026-05-04T08:00:00Z")), false);
    assert.deepEqual(openStatus(bankHoliday, at("2026-05-04T22:59:00Z")), {
      open: false,
      reason: { kind: "closure", name: "Bank holiday" },
    });
    assert.deepEqual(openStatus(bankHoliday, at("2026-05-04T23:00:00Z")), {
      open: false,
      reason: { kind: "outsideWeeklyHours" },
    });
    assert.equal(isOpen(bankHoliday, at("2026-05-05T08:00:00Z")), true);
  });

  it("turns a whole-day date into the local day from midnight to the next midnight", () => {
    assert.deepEqual(wholeDay("2026-12-31"), { from: "2026-12-31T00:00", to: "2027-01-01T00:00" });
    assert.deepEqual(wholeDay("2028-02-28"), { from: "2028-02-28T00:00", to: "2028-02-29T00:00" });
  });

  it("finds no problem in a valid schedule", () => {
    assert.deepEqual(hoursProblems(london), []);
  });

  it("names every impossible time, empty or overlapping interval and the unknown time zone", () => {
    const bad: Hours = {
      timeZone: "Europe/Londres",
      weekly: {
        mon: [
          { open: "09:00", close: "12:00" },
          { open: "13:00", close: "25:00" },
          { open: "11:30", close: "14:00" },
        ],
        tue: [{ open: "17:00", close: "09:00" }],
        wed: [{ open: "24:00", close: "24:00" }],
        thu: [{ open: "9:00", close: "17:60" }],
      },
      closures: [],
      closedMessage: "",
    };
    assert.deepEqual(hoursProblems(bad), [
      {
        path: ["timeZone"],
        message: 'unknown time zone "Europe/Londres" (an IANA name such as Europe/London)',
      },
      { path: ["weekly", "mon", 1, "close"], message: '"25:00" is not a time 00:00–24:00' },
      { path: ["weekly", "mon", 2], message: "overlaps interval 0 (09:00–12:00)" },
      { path: ["weekly", "tue", 0], message: "closes at 09:00, not after it opens at 17:00" },
      { path: ["weekly", "wed", 0, "open"], message: '"24:00" is not a time 00:00–23:59' },
      { path: ["weekly", "thu", 0, "open"], message: '"9:00" is not a time 00:00–23:59' },
      { path: ["weekly", "thu", 0, "close"], message: '"17:60" is not a time 00:00–24:00' },
    ]);
  });

  it("names closures that end before they start, impossible dates and overlaps", () => {
    const bad: Hours = {
      ...london,
      closures: [
        { name: "Christmas", from: "2026-12-25T00:00", to: "2026-12-27T00:00" },
        { name: "Backwards", from: "2026-08-02T00:00", to: "2026-08-01T00:00" },
        { name: "Boxing Day", from: "2026-12-26T00:00", to: "2026-12-27T00:00" },
        { name: "Leap", from: "2027-02-29T00:00", to: "2027-03-01T25:00" },
      ],
    };
    assert.deepEqual(hoursProblems(bad), [
      {
        path: ["closures", 1],
        message: '"Backwards" ends at 2026-08-01T00:00, not after it starts at 2026-08-02T00:00',
      },
      {
        path: ["closures", 3, "from"],
        message: '"2027-02-29T00:00" is not a local date and time YYYY-MM-DDTHH:MM',
      },
      { path: ["closures", 3, "to"], message: '"2027-03-01T25:00" is not a time of day' },
      { path: ["closures", 2], message: '"Boxing Day" overlaps "Christmas" (closure 0)' },
    ]);
  });
});
