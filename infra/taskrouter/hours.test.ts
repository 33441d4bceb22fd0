import { strict as assert } from "node:assert";
import type { Hours } from "../functions/callFlow";
import { hoursProblems, localTime, nextDate, openAt } from "./hours";

const WEEKDAY_9_TO_5 = [{ open: "09:00", close: "17:00" }];
const london: Hours = {
  timeZone: "Europe/London",
  weekly: {
    mon: WEEKDAY_9_TO_5,
    tue: WEEKDAY_9_TO_5,
    wed: WEEKDAY_9_TO_5,
    thu: WEEKDAY_9_TO_5,
    fri: WEEKDAY_9_TO_5,
    sat: [
      { open: "10:00", close: "12:00" },
      { open: "20:00", close: "24:00" },
    ],
  },
  closures: [
    { name: "Christmas Day", from: "2026-12-25T00:00", to: "2026-12-26T00:00" },
    { name: "New Year", from: "2026-12-31T17:00", to: "2027-01-02T09:00" },
  ],
  closedMessage: "We are closed.",
};
const at = (iso: string) => openAt(london, new Date(iso));

describe("hours: open at an instant", () => {
  it("is open inside a weekly range and closed outside it (open inclusive, close exclusive)", () => {
    assert.deepEqual(at("2026-12-01T09:00:00Z"), { open: true }); // Tuesday, GMT
    assert.deepEqual(at("2026-12-01T08:59:59Z"), {
      open: false,
      reason: "outside weekly hours",
    });
    assert.deepEqual(at("2026-12-01T17:00:00Z"), {
      open: false,
      reason: "outside weekly hours",
    });
    assert.deepEqual(at("2026-12-06T12:00:00Z"), {
      open: false,
      reason: "outside weekly hours",
    }); // Sunday: not listed, closed all day
  });

  it("keeps wall-clock hours on both sides of a daylight-saving change", () => {
    // The UK goes to BST (UTC+1) on Sunday 29 March 2026: 08:30 UTC is 08:30 on Friday, 09:30 on Monday.
    assert.deepEqual(at("2026-03-27T08:30:00Z"), {
      open: false,
      reason: "outside weekly hours",
    });
    assert.deepEqual(at("2026-03-30T08:30:00Z"), { open: true });
    assert.deepEqual(at("2026-03-27T16:30:00Z"), { open: true });
    assert.deepEqual(at("2026-03-30T16:30:00Z"), {
      open: false,
      reason: "outside weekly hours",
    });
    // Back to GMT on Sunday 25 October 2026.
    assert.deepEqual(at("2026-10-23T08:30:00Z"), { open: true });
    assert.deepEqual(at("2026-10-26T08:30:00Z"), {
      open: false,
      reason: "outside weekly hours",
    });
  });

  it("a closure wins over the weekly schedule, including one spanning midnight", () => {
    assert.deepEqual(at("2026-12-25T12:00:00Z"), {
      open: false,
      reason: "closure",
      closure: "Christmas Day",
    });
    assert.deepEqual(at("2026-12-31T16:59:00Z"), { open: true });
    assert.deepEqual(at("2026-12-31T17:00:00Z"), {
      open: false,
      reason: "closure",
      closure: "New Year",
    });
    assert.deepEqual(at("2027-01-01T23:30:00Z"), {
      open: false,
      reason: "closure",
      closure: "New Year",
    });
    assert.deepEqual(at("2027-01-04T09:00:00Z"), { open: true }); // Monday after
  });

  it("a close of 24:00 keeps the line open to the end of the day", () => {
    assert.deepEqual(at("2026-12-05T23:59:00Z"), { open: true }); // Saturday
    assert.deepEqual(at("2026-12-06T00:00:00Z"), {
      open: false,
      reason: "outside weekly hours",
    });
  });

  it("reads local time in the schedule's zone", () => {
    assert.deepEqual(localTime("Asia/Kolkata", new Date("2026-12-04T20:00:00Z")), {
      date: "2026-12-05",
      time: "01:30",
      weekday: "sat",
    });
    assert.equal(nextDate("2026-12-31"), "2027-01-01");
    assert.equal(nextDate("2028-02-28"), "2028-02-29");
  });
});

describe("hours: problems", () => {
  it("names each impossible or overlapping range by its path", () => {
    const bad: Hours = {
      timeZone: "Europe/Londn",
      weekly: {
        mon: [
          { open: "09:00", close: "13:00" },
          { open: "12:30", close: "17:00" },
        ],
        tue: [{ open: "25:00", close: "26:00" }],
        wed: [{ open: "18:00", close: "09:00" }],
        fri: [{ open: "09:00", close: "24:00" }],
      },
      closures: [
        { name: "Stocktake", from: "2026-02-30T09:00", to: "2026-03-01T09:00" },
        { name: "Inventory", from: "2026-06-02T10:00", to: "2026-06-01T10:00" },
        { name: "Christmas", from: "2026-12-24T12:00", to: "2026-12-26T00:00" },
        { name: "Christmas Day", from: "2026-12-25T00:00", to: "2026-12-26T00:00" },
      ],
      closedMessage: "Closed.",
    };
    assert.deepEqual(hoursProblems(bad), [
      {
        path: ["timeZone"],
        message: 'unknown time zone "Europe/Londn": use an IANA name such as Europe/London',
      },
      { path: ["weekly", "mon", 1], message: "12:30-17:00 overlaps 09:00-13:00" },
      {
        path: ["weekly", "tue", 0, "open"],
        message: '"25:00" is not a time of day: use HH:MM, 00:00 to 23:59',
      },
      {
        path: ["weekly", "tue", 0, "close"],
        message: '"26:00" is not a time of day: use HH:MM, 00:00 to 24:00',
      },
      {
        path: ["weekly", "wed", 0],
        message:
          "closes (09:00) at or before it opens (18:00); a range past midnight is two ranges, one on each day",
      },
      {
        path: ["closures", 0, "from"],
        message: '"2026-02-30T09:00" is not a local date and time: use YYYY-MM-DDTHH:MM',
      },
      {
        path: ["closures", 1],
        message: "Inventory ends (2026-06-01T10:00) at or before it starts (2026-06-02T10:00)",
      },
      {
        path: ["closures", 3],
        message:
          "Christmas Day (2026-12-25T00:00 to 2026-12-26T00:00) overlaps Christmas (2026-12-24T12:00 to 2026-12-26T00:00)",
      },
    ]);
  });

  it("a well-formed schedule has no problems", () => {
    assert.deepEqual(hoursProblems(london), []);
  });
});
