import assert from "node:assert/strict";
import { callFlowFromSpec } from "./callFlowSpec";
import { diffRouting } from "./routingDiff";
import { checkStackText, formatProblem } from "./loadStack";
import { DEFAULTS } from "./model";
import { STACK_YAML } from "./testFixtures";

const PHONE_AT = STACK_YAML.indexOf("phone:");
const WITHOUT_PHONE = STACK_YAML.slice(0, PHONE_AT);

/** The fixture stack with its lines written as `text` (from line 42 of the file). */
const withLines = (text: string) => WITHOUT_PHONE + text;

const TWO_LINES = `lines:
  sales:
    number: "+15555550100"
    ivr:
      greeting: Sales
      options:
        "1": { label: English, attributes: { lang: english }, maxWait: 60 }
    taskAttributes: { department: sales }
    hours:
      timeZone: Europe/London
      weekly:
        mon: ["09:00-17:30"]
        sat: ["10:00-12:00", "13:00-24:00"]
      closures:
        - { name: Christmas Day, date: 2026-12-25 }
        - { name: Stocktake, from: "2026-12-31T15:00", to: "2027-01-01T10:00" }
      closedMessage: We are closed.
    whenClosed: [voicemail]
    maxWait: 300
    whenNobodyAnswers: [callback, voicemail]
    recordCalls: true
  support:
    number: "+15555550101"
    ivr:
      greeting: Support
      options:
        "1": { label: Hindi, attributes: { lang: hindi } }
voicemail: { maxLength: 60 }
callback: { preferLastAgent: true }
agentLeg: { ringTimeout: 15 }
`;

describe("stack file: lines", () => {
  it("keeps phone: as the one-line form, named main, with the call-flow defaults", () => {
    const { spec, problems } = checkStackText("s.yaml", STACK_YAML);
    assert.deepEqual(problems, []);
    assert.equal(spec?.linesAt, "phone");
    assert.deepEqual(Object.keys(spec?.lines ?? {}), ["main"]);
    assert.equal(spec?.lines.main, spec?.phone);
    assert.deepEqual(
      { ...spec?.phone, ivr: undefined },
      {
        number: "+15555550100",
        ivr: undefined,
        taskAttributes: {},
        whenClosed: ["voicemail"],
        whenNobodyAnswers: ["voicemail"],
        recordCalls: false,
      },
    );
    assert.deepEqual(spec?.voicemail, DEFAULTS.voicemail);
    assert.deepEqual(spec?.callback, DEFAULTS.callback);
    assert.deepEqual(spec?.agentLeg, { ringTimeout: 20 });
  });

  it("loads several lines, the first being the main line, and builds the handlers' call flow", () => {
    const { spec, problems } = checkStackText("s.yaml", withLines(TWO_LINES));
    assert.deepEqual(problems, []);
    assert.ok(spec);
    assert.equal(spec.phone.number, "+15555550100");
    assert.deepEqual(callFlowFromSpec(spec), {
      lines: [
        {
          name: "sales",
          number: "+15555550100",
          ivr: {
            greeting: "Sales",
            voice: "Polly.Joanna",
            language: "en-US",
            options: { "1": { label: "English", attributes: { lang: "english" }, maxWait: 60 } },
            defaultAttributes: {},
          },
          taskAttributes: { department: "sales" },
          hours: {
            timeZone: "Europe/London",
            weekly: {
              mon: [{ open: "09:00", close: "17:30" }],
              sat: [
                { open: "10:00", close: "12:00" },
                { open: "13:00", close: "24:00" },
              ],
            },
            closures: [
              { name: "Christmas Day", from: "2026-12-25T00:00", to: "2026-12-26T00:00" },
              { name: "Stocktake", from: "2026-12-31T15:00", to: "2027-01-01T10:00" },
            ],
            closedMessage: "We are closed.",
          },
          whenClosed: ["voicemail"],
          maxWait: 300,
          whenNobodyAnswers: ["callback", "voicemail"],
          recordCalls: true,
        },
        {
          name: "support",
          number: "+15555550101",
          ivr: {
            greeting: "Support",
            voice: "Polly.Joanna",
            language: "en-US",
            options: { "1": { label: "Hindi", attributes: { lang: "hindi" } } },
            defaultAttributes: {},
          },
          taskAttributes: {},
          whenClosed: ["voicemail"],
          whenNobodyAnswers: ["voicemail"],
          recordCalls: false,
        },
      ],
      voicemail: { ...DEFAULTS.voicemail, maxLength: 60 },
      callback: { ...DEFAULTS.callback, preferLastAgent: true },
      agentLeg: { ringTimeout: 15 },
    });
  });

  it("names file, line, path and reason of every bad schedule, number and exit", () => {
    const text = withLines(
      TWO_LINES.replace('"09:00-17:30"', '"18:00-09:00"')
        .replace('"13:00-24:00"', '"11:00-24:00"')
        .replace("date: 2026-12-25", "date: 2026-02-30")
        .replace('to: "2027-01-01T10:00"', 'to: "2026-12-31T10:00"')
        .replace("timeZone: Europe/London", "timeZone: Europe/Londn")
        .replace('"+15555550101"', '"+15555550100"')
        .replace("[callback, voicemail]", "[callback, callback]"),
    );
    const { spec, problems } = checkStackText("s.yaml", text);
    assert.equal(spec, undefined);
    assert.deepEqual(problems.map(formatProblem), [
      "s.yaml:52:5 error lines.sales.whenNobodyAnswers: must NOT have duplicate items (items ## 1 and 0 are identical) (got a list)",
    ]);
    const fixed = text.replace("[callback, callback]", "[callback]");
    assert.deepEqual(checkStackText("s.yaml", fixed).problems.map(formatProblem), [
      's.yaml:42:17 error lines.sales.hours.timeZone: unknown time zone "Europe/Londn": use an IANA name such as Europe/London',
      "s.yaml:44:15 error lines.sales.hours.weekly.mon[0]: closes (09:00) at or before it opens (18:00); a range past midnight is two ranges, one on each day",
      "s.yaml:45:30 error lines.sales.hours.weekly.sat[1]: 11:00-24:00 overlaps 10:00-12:00",
      's.yaml:47:40 error lines.sales.hours.closures[0].date: "2026-02-30" is not a calendar date: use YYYY-MM-DD',
      "s.yaml:48:11 error lines.sales.hours.closures[1]: Stocktake ends (2026-12-31T10:00) at or before it starts (2026-12-31T15:00)",
      's.yaml:55:13 error lines.support.number: +15555550100 is also line "sales"\'s number',
    ]);
  });

  it("needs phone or lines, not both and not neither", () => {
    const both = checkStackText("s.yaml", STACK_YAML + TWO_LINES);
    assert.deepEqual(both.problems.map(formatProblem), [
      "s.yaml:40:1 error lines: give phone (one line) or lines (several), not both",
    ]);
    const neither = checkStackText("s.yaml", WITHOUT_PHONE);
    assert.deepEqual(neither.problems.map(formatProblem), [
      "s.yaml:1:1 error the centre has no line: give phone (one line) or lines (several)",
    ]);
  });

  it("a closure gives a date, or from and to", () => {
    const text = withLines(
      TWO_LINES.replace("date: 2026-12-25", 'date: 2026-12-25, from: "2026-12-24T12:00"').replace(
        'from: "2026-12-31T15:00", ',
        "",
      ),
    );
    assert.deepEqual(checkStackText("s.yaml", text).problems.map(formatProblem), [
      "s.yaml:47:11 error lines.sales.hours.closures[0]: give date (a whole day), or from and to, not both",
      "s.yaml:48:11 error lines.sales.hours.closures[1]: give date (a whole day), or both from and to",
    ]);
  });

  it("the routing diff names each line's changes, and lines added and removed", () => {
    const load = (text: string) => {
      const { spec } = checkStackText("s.yaml", withLines(text));
      assert.ok(spec);
      return spec;
    };
    const base = load(TWO_LINES);
    const head = load(
      TWO_LINES.replace("maxWait: 300", "maxWait: 240")
        .replace("maxWait: 60 }", "maxWait: 90 }")
        .replace("  support:", "  help:"),
    );
    assert.deepEqual(diffRouting(base, head).ivr, [
      { kind: "changed", subject: "sales menu", field: "maxWait", before: 300, after: 240 },
      { kind: "changed", subject: "sales 1", field: "maxWait", before: 60, after: 90 },
      { kind: "added", subject: "line help", after: "+15555550101" },
      { kind: "removed", subject: "line support", before: "+15555550101" },
    ]);
    const single = checkStackText("s.yaml", STACK_YAML).spec;
    assert.ok(single);
    const moreHours = { ...single, lines: { main: { ...single.phone, recordCalls: true } } };
    assert.deepEqual(diffRouting(single, moreHours).ivr, [
      { kind: "changed", subject: "menu", field: "recordCalls", before: false, after: true },
    ]);
  });

  it("refuses lines whose call flow would not fit the handlers' Lambda environment", () => {
    const long = "Welcome. ".repeat(120).trim();
    const text = withLines(
      TWO_LINES.replace("greeting: Sales", `greeting: ${long}`).replace(
        "greeting: Support",
        `greeting: ${long}`,
      ),
    );
    assert.deepEqual(checkStackText("s.yaml", text).problems.map(formatProblem), [
      "s.yaml:33:1 error lines: the call flow (lines, IVRs, hours, exits) and the main IVR menu are 4785 bytes as JSON, and go into each call handler's Lambda environment (4 KB in all); keep them under 3072 bytes",
    ]);
  });
});
