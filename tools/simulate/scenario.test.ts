import { strict as assert } from "node:assert";
import { loadStack } from "../../infra/taskrouter/loadStack";
import { checkAgainstStack, parseScenarioText, parseTime, readScenario } from "./scenario";

describe("scenario files", () => {
  it("reads times of day as seconds since midnight, up to 24:00", () => {
    assert.deepEqual(["08:00", "08:00:30", "24:00", "24:01", "8:00", "08:60"].map(parseTime), [
      28800,
      28830,
      86400,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("parses the shipped dev scenarios and checks them against stacks/dev.yaml", () => {
    const spec = loadStack("stacks/dev.yaml").spec;
    for (const file of [
      "stacks/scenarios/dev-normal-day.yaml",
      "stacks/scenarios/dev-peak-hour.yaml",
    ]) {
      checkAgainstStack(readScenario(file), spec);
    }
    const day = readScenario("stacks/scenarios/dev-normal-day.yaml");
    assert.deepEqual(day.arrivals[0], {
      caller: { kind: "ivr", digit: "1" },
      from: 28800,
      to: 64800,
      pattern: { kind: "poisson", perHour: 10 },
    });
    assert.deepEqual(day.shifts.Alice, [
      [28800, 43200],
      [46800, 61200],
    ]);
  });

  it("reports every problem at once, each as file:line:col error path: reason", () => {
    const text = [
      "name: x", // 1
      'start: "9am"', // 2
      "arrivals:", // 3
      '  - { caller: { ivr: "1" }, window: ["10:00", "09:00"], perHour: 5 }', // 4
      '  - { caller: { ivr: "2" }, every: 60, perHour: 2 }', // 5
      '  - { caller: { ivr: default }, at: ["10:00"], window: ["10:00", "11:00"] }', // 6
      "handleTime: { uniform: [60, 30] }", // 7
      "shifts:", // 8
      '  Ann: [["08:00", "12:00"], ["11:00", "13:00"]]', // 9
    ].join("\n");
    assert.throws(() => parseScenarioText("s.yaml", text), {
      name: "ScenarioError",
      message: [
        's.yaml:2:8 error start: expected a time of day "HH:MM" or "HH:MM:SS", got "9am"',
      ].join("\n"),
    });
    // Once the shape is right, the rules between fields: all of them.
    assert.throws(() => parseScenarioText("s.yaml", text.replace('"9am"', '"09:00"')), {
      message: [
        "s.yaml:4:29 error arrivals[0].window: ends at 09:00, not after it starts at 10:00",
        "s.yaml:5:5 error arrivals[1]: expected exactly one of perHour, every, at (got perHour, every)",
        "s.yaml:6:48 error arrivals[2].window: not used with at",
        "s.yaml:7:15 error handleTime.uniform: max 30 is below min 60",
        "s.yaml:9:3 error shifts.Ann: windows overlap at 11:00",
      ].join("\n"),
    });
  });

  const valid = [
    "name: x",
    "handleTime: 60",
    "arrivals:",
    '  - { caller: { ivr: "1" }, at: ["10:00"] }',
  ];
  for (const [what, lines, message] of [
    [
      "an unknown key, at the key",
      [...valid, "colour: blue"],
      's.yaml:5:1 error colour: unknown property "colour" (allowed: name, date, timeZone, start, end, arrivals, handleTime, wrapUpTime, patience, exits, shifts)',
    ],
    [
      "an unknown key inside an arrival",
      [
        "name: x",
        "handleTime: 60",
        "arrivals:",
        '  - { caller: { ivr: "1" }, at: ["10:00"], queue: x }',
      ],
      's.yaml:4:44 error arrivals[0].queue: unknown property "queue" (allowed: caller, line, window, perHour, every, at, handleTime, wrapUpTime, patience, exits)',
    ],
    [
      "a wrong type",
      ["name: x", 'handleTime: "long"', ...valid.slice(2)],
      's.yaml:2:13 error handleTime: expected seconds, or one of {fixed: s}, {exponential: mean}, {uniform: [min, max]}, {normal: {mean, sd}}, got "long"',
    ],
    [
      "a negative rate",
      [
        ...valid.slice(0, 3),
        '  - { caller: { ivr: "1" }, window: ["10:00", "11:00"], perHour: -5 }',
      ],
      "s.yaml:4:66 error arrivals[0].perHour: must be > 0 (got -5)",
    ],
    [
      "a negative mean, by the distribution its key names",
      ["name: x", "handleTime: { exponential: -1 }", ...valid.slice(2)],
      "s.yaml:2:28 error handleTime.exponential: must be > 0 (got -1)",
    ],
    [
      "an unknown caller kind",
      [...valid.slice(0, 3), '  - { caller: { queue: english }, at: ["10:00"] }'],
      's.yaml:4:7 error arrivals[0].caller: expected {ivr: "<digit>"}, {ivr: default} or {attributes: {...}}, got {"queue":"english"}',
    ],
    [
      "a date that is not on the calendar",
      ["name: x", "date: 2026-02-30", ...valid.slice(1)],
      's.yaml:2:7 error date: "2026-02-30" is not a calendar date',
    ],
    [
      "a date in another form",
      ["name: x", "date: 07/12/2026", ...valid.slice(1)],
      's.yaml:2:7 error date: expected a date "YYYY-MM-DD", got "07/12/2026"',
    ],
    [
      "an unknown time zone",
      ["name: x", "timeZone: Europe/Londinium", ...valid.slice(1)],
      's.yaml:2:11 error timeZone: unknown time zone "Europe/Londinium": use an IANA name such as Europe/London',
    ],
    [
      "exit weights that are all zero",
      [...valid, "exits: { voicemail: 0, hangUp: 0 }"],
      "s.yaml:5:1 error exits: give at least one of voicemail, callback, hangUp a weight above 0",
    ],
    [
      "a negative exit weight in an arrival",
      [
        ...valid.slice(0, 3),
        '  - { caller: { ivr: "1" }, at: ["10:00"], exits: { callback: -1 } }',
      ],
      "s.yaml:4:63 error arrivals[0].exits.callback: must be >= 0 (got -1)",
    ],
    [
      "an unknown exit",
      [...valid, "exits: { email: 1 }"],
      's.yaml:5:10 error exits.email: unknown property "email" (allowed: voicemail, callback, hangUp)',
    ],
    [
      "a missing key",
      ["name: x", ...valid.slice(2)],
      's.yaml:1:1 error handleTime: required property "handleTime" is missing',
    ],
    [
      "a YAML syntax error",
      [...valid.slice(0, 3), '  - { caller: { ivr: "1" }, at: ["10:00"]'],
      "s.yaml:4:42 error Flow map in block collection must be sufficiently indented and end with a }",
    ],
    [
      "a duplicate key",
      [...valid, "handleTime: 90"],
      's.yaml:5:1 error handleTime: duplicate key "handleTime" (first at line 2)',
    ],
  ] as const) {
    it(`reports ${what}`, () => {
      assert.throws(() => parseScenarioText("s.yaml", lines.join("\n")), {
        name: "ScenarioError",
        message,
      });
    });
  }

  it("names the line, IVR digit or worker the stack does not have", () => {
    const spec = loadStack("stacks/dev.yaml").spec;
    const scenario = parseScenarioText(
      "s.yaml",
      [
        "name: x",
        "date: 2026-12-07",
        "handleTime: 60",
        "arrivals:",
        '  - { caller: { ivr: "7" }, at: ["10:00"] }',
        '  - { caller: { ivr: "2" }, line: hindi, at: ["10:00"] }',
        '  - { caller: { ivr: "1" }, line: sales, at: ["10:00"] }',
        "shifts:",
        '  Zed: [["08:00", "09:00"]]',
      ].join("\n"),
    );
    assert.throws(() => checkAgainstStack(scenario, spec), {
      message:
        's.yaml:5:22 error arrivals[0].caller.ivr: stacks/dev.yaml has no IVR option "7" (options: 1, 2)\n' +
        's.yaml:6:22 error arrivals[1].caller.ivr: stacks/dev.yaml has no IVR option "2" on line "hindi" (options: 1)\n' +
        's.yaml:7:35 error arrivals[2].line: stacks/dev.yaml has no line "sales" (lines: main, hindi)\n' +
        's.yaml:9:3 error shifts.Zed: stacks/dev.yaml has no worker "Zed" (workers: Shyam, Alice, Priya)',
    });
  });

  it("asks for a date when a line of the stack has opening hours", () => {
    const spec = loadStack("stacks/dev.yaml").spec;
    const scenario = parseScenarioText(
      "s.yaml",
      [
        "name: x",
        "handleTime: 60",
        "arrivals:",
        '  - { caller: { ivr: "1" }, at: ["10:00"] }',
      ].join("\n"),
    );
    assert.throws(() => checkAgainstStack(scenario, spec), {
      message:
        's.yaml:1:1 error date: stacks/dev.yaml has opening hours on line main, hindi: give the scenario a date ("YYYY-MM-DD") so they can be judged',
    });
  });

  it("says when a file cannot be read", () => {
    assert.throws(() => readScenario("stacks/scenarios/missing.yaml"), {
      message: "stacks/scenarios/missing.yaml:1:1 error cannot read: no such file",
    });
  });
});
