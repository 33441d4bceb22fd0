import { strict as assert } from "node:assert";
import { loadStack } from "../../infra/taskrouter/loadStack";
import { checkAgainstStack, parseScenario, parseTime, readScenario } from "./scenario";

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

  it("reports every problem at once, each as file: path: reason", () => {
    assert.throws(
      () =>
        parseScenario("s.yaml", {
          name: "",
          start: "9am",
          arrivals: [
            { caller: { ivr: "1" }, window: ["10:00", "09:00"], perHour: 5 },
            { caller: { queue: "x" }, every: 60, perHour: 2 },
            { caller: { ivr: "2" }, at: ["10:00"], patience: { gamma: 2 } },
          ],
          handleTime: -5,
          shifts: {
            Ann: [
              ["08:00", "12:00"],
              ["11:00", "13:00"],
            ],
          },
          colour: "blue",
        }),
      {
        message: [
          "s.yaml: colour: unknown key (expected one of name, start, end, arrivals, handleTime, wrapUpTime, patience, shifts)",
          "s.yaml: name: expected a non-empty string",
          's.yaml: start: expected a time of day "HH:MM" or "HH:MM:SS", got "9am"',
          "s.yaml: handleTime: expected a non-negative number, got -5",
          "s.yaml: arrivals[0].window: ends at 09:00, not after it starts at 10:00",
          's.yaml: arrivals[1].caller: expected {ivr: "<digit>"}, {ivr: default} or {attributes: {...}}, got {"queue":"x"}',
          "s.yaml: arrivals[1]: expected exactly one of perHour, every, at (got perHour, every)",
          's.yaml: arrivals[2].patience: unknown distribution "gamma" (expected fixed, exponential, uniform or normal)',
          "s.yaml: shifts.Ann: windows overlap at 11:00",
        ].join("\n"),
      },
    );
  });

  it("names the IVR digit or worker the stack does not have", () => {
    const spec = loadStack("stacks/dev.yaml").spec;
    const scenario = parseScenario("s.yaml", {
      name: "x",
      handleTime: 60,
      arrivals: [{ caller: { ivr: "7" }, at: ["10:00"] }],
      shifts: { Zed: [["08:00", "09:00"]] },
    });
    assert.throws(() => checkAgainstStack(scenario, spec), {
      message:
        's.yaml: arrivals[0].caller.ivr: stacks/dev.yaml has no IVR option "7" (options: 1, 2)\n' +
        's.yaml: shifts.Zed: stacks/dev.yaml has no worker "Zed" (workers: Shyam, Alice, Priya)',
    });
  });

  it("says when a file cannot be read or is not YAML", () => {
    assert.throws(() => readScenario("stacks/scenarios/missing.yaml"), {
      message:
        "stacks/scenarios/missing.yaml: cannot read: ENOENT: no such file or directory, open 'stacks/scenarios/missing.yaml'",
    });
  });
});
