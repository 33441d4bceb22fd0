import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkStack,
  checkStackText,
  firstInvalidUtf8,
  formatProblem,
  loadStack,
  loadStackText,
  StackValidationError,
  type Problem,
} from "./loadStack";
import { editStackYaml, STACK_YAML, stackSpec } from "./testFixtures";

const problem = (
  severity: Problem["severity"],
  where: string,
  path: string,
  message: string,
): Problem => {
  const [file, line, column] = where.split(":");
  return { severity, file, line: Number(line), column: Number(column), path, message };
};

describe("checkStackText", () => {
  it("resolves a valid stack with every default filled in", () => {
    assert.deepEqual(checkStackText("s.yaml", STACK_YAML), {
      problems: [],
      spec: stackSpec("s.yaml"),
    });
  });

  // Line numbers matter below: each case edits one line of the fixture stack.
  const table: { name: string; text: string; problems: Problem[] }[] = [
    {
      name: "points an unknown queue at its value",
      text: editStackYaml("- queue: english", "- queue: englsh"),
      problems: [
        problem(
          "error",
          "s.yaml:31:18",
          "workflow.filters[0].targets[1].queue",
          'unknown queue "englsh" (known: english, hindi)',
        ),
      ],
    },
    {
      name: "points a flow-map value at its own column",
      text: editStackYaml("defaultTarget: { queue: english }", "defaultTarget: { queue: nowhere }"),
      problems: [
        problem(
          "error",
          "s.yaml:32:27",
          "workflow.defaultTarget.queue",
          'unknown queue "nowhere" (known: english, hindi)',
        ),
      ],
    },
    {
      name: "points a problem with a map entry at its key",
      text: editStackYaml(
        "  Wrap-Up: { available: false }",
        "  Wrap-Up: { available: false }\n  offline: { available: false }",
      ),
      problems: [
        problem(
          "error",
          "s.yaml:6:3",
          "activities.offline",
          'activity "offline" duplicates "Offline" (names are unique ignoring case)',
        ),
      ],
    },
    {
      name: "points an IVR key problem at the key",
      text: editStackYaml('"2": {', '"22": {'),
      problems: [
        problem(
          "error",
          "s.yaml:39:7",
          'phone.ivr.options["22"]',
          'IVR option key "22" is not a single keypad key (0-9, *, #)',
        ),
      ],
    },
    {
      name: "reports warnings without failing",
      text: editStackYaml(
        'targetWorkers: languages HAS "hindi"',
        'targetWorkers: languages HAS "tamil"',
      ),
      problems: [
        problem(
          "warning",
          "s.yaml:22:20",
          "queues.hindi.targetWorkers",
          'no worker matches "languages HAS \\"tamil\\""',
        ),
      ],
    },
    {
      name: "reports a YAML syntax error with its position and nothing else",
      text: editStackYaml("  friendlyName: Routing", "  friendlyName: [Routing"),
      problems: [
        problem(
          "error",
          "s.yaml:25:3",
          "",
          "Flow sequence in block collection must be sufficiently indented and end with a ]",
        ),
      ],
    },
    {
      name: 'reports duplicate keys, counting 2 and "2" as the same key',
      text: editStackYaml(
        '      "2": { label: Hindi, attributes: { lang: hindi } }',
        '      "2": { label: Hindi, attributes: { lang: hindi } }\n      2: { label: Again, attributes: {} }',
      ),
      problems: [
        problem(
          "error",
          "s.yaml:40:7",
          'phone.ivr.options["2"]',
          'duplicate key "2" (first at line 39)',
        ),
      ],
    },
    {
      name: "reports every schema error at once: unknown key at the key, missing key at the parent's key",
      text: editStackYaml("  friendlyName: Routing\n", "  frendlyName: Routing\n").replace(
        "    friendlyName: Hindi\n",
        "    friendlyName: Hindi\n    taskOrder: fifo\n    maxReservedWorkers: 0\n",
      ),
      problems: [
        problem(
          "error",
          "s.yaml:22:16",
          "queues.hindi.taskOrder",
          'must be one of FIFO, LIFO (got "fifo")',
        ),
        problem("error", "s.yaml:23:25", "queues.hindi.maxReservedWorkers", "must be >= 1 (got 0)"),
        problem(
          "error",
          "s.yaml:25:1",
          "workflow.friendlyName",
          'required property "friendlyName" is missing',
        ),
        problem(
          "error",
          "s.yaml:26:3",
          "workflow.frendlyName",
          'unknown property "frendlyName" (allowed: friendlyName, reservationTimeout, filters, defaultTarget, allowWaitingForever)',
        ),
      ],
    },
    {
      name: "reports a bad key name at the key",
      text: editStackYaml("  hindi:\n", "  hindi-queue:\n"),
      problems: [
        problem(
          "error",
          "s.yaml:20:3",
          'queues["hindi-queue"]',
          'key "hindi-queue" must match pattern "^[A-Za-z][A-Za-z0-9_]*$"',
        ),
      ],
    },
    {
      name: "reports a wrong type with the value found",
      text: editStackYaml('  number: "+15555550100"', "  number: 15555550100"),
      problems: [
        problem("error", "s.yaml:34:11", "phone.number", "must be string (got 15555550100)"),
      ],
    },
    {
      name: "reports an empty voice, which the handlers would refuse",
      text: editStackYaml("    greeting: Hello", "    greeting: Hello\n    voice: ''"),
      problems: [
        problem(
          "error",
          "s.yaml:37:12",
          "phone.ivr.voice",
          'must NOT have fewer than 1 characters (got "")',
        ),
      ],
    },
    {
      name: "reports an alias without an anchor at the alias, not as an exception",
      text: editStackYaml("    greeting: Hello", "    greeting: *hello"),
      problems: [
        problem("error", "s.yaml:36:15", "", "YAML alias *hello has no anchor &hello before it"),
      ],
    },
    {
      name: "reports an alias bomb at its first alias, not as an exception",
      text:
        "x0: &a0 [a, a, a, a, a, a, a, a, a, a]\n" +
        Array.from(
          { length: 8 },
          (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]\n`,
        ).join("") +
        STACK_YAML,
      problems: [
        problem(
          "error",
          "s.yaml:2:10",
          "",
          "YAML aliases expand to too much data (more than 100 alias expansions)",
        ),
      ],
    },
    {
      name: "accepts aliases that expand a little",
      text: editStackYaml(
        '    attributes: { languages: [english], contact_uri: "client:alice" }',
        '    attributes: { languages: &english [english], contact_uri: "client:alice" }',
      ).replace("attributes: { lang: english }", "attributes: { lang: english, also: *english }"),
      problems: [],
    },
    {
      name: "reports a text over the size limit without parsing it",
      text: `# ${"x".repeat(16 * 1024 * 1024)}\n${STACK_YAML}`,
      problems: [problem("error", "s.yaml:1:1", "", "the file is larger than 16777216 bytes")],
    },
    {
      name: "points a NUL character in a worker name at the name",
      text: editStackYaml("  Alice:", '  "Al\\0ice":'),
      problems: [
        problem(
          "error",
          "s.yaml:13:3",
          'workers["Al\\u0000ice"]',
          'worker "Al\\u0000ice" contains the control character U+0000 at column 3',
        ),
      ],
    },
    {
      name: "reports an empty value at its key",
      text: editStackYaml("    greeting: Hello", "    greeting:"),
      problems: [
        problem("error", "s.yaml:36:5", "phone.ivr.greeting", "must be string (got null)"),
      ],
    },
  ];
  for (const { name, text, problems } of table) {
    it(name, () => {
      const result = checkStackText("s.yaml", text);
      assert.deepEqual(result.problems, problems);
      assert.equal(
        result.spec === undefined,
        problems.some((p) => p.severity === "error"),
      );
    });
  }
});

describe("overlays in checkStackText", () => {
  const files: Record<string, string> = {
    "stacks/base.yaml": STACK_YAML,
    "stacks/bad-base.yaml": editStackYaml("- queue: english", "- queue: englsh"),
    "stacks/loop.yaml": "extends: prod.yaml\n",
  };
  const read = (file: string): string => {
    if (!(file in files)) throw new Error("no such file");
    return files[file];
  };

  it("merges the overlay onto the stack it extends", () => {
    const text = [
      "extends: base.yaml",
      "workers:",
      "  Shyam: { activity: Offline }",
      "  Meera: { attributes: { languages: [hindi] } }",
      "phone:",
      '  number: "+15555550199"',
      "",
    ].join("\n");
    const { spec } = loadStackText("stacks/prod.yaml", text, read);
    assert.deepEqual(spec.workers, {
      Shyam: {
        activity: "Offline",
        attributes: { languages: ["hindi"], contact_uri: "client:shyam" },
      },
      Alice: {
        activity: "Available",
        attributes: { languages: ["english"], contact_uri: "client:alice" },
      },
      Meera: { activity: "Offline", attributes: { languages: ["hindi"] } },
    });
    assert.equal(spec.phone.number, "+15555550199");
    assert.equal(spec.phone.ivr.greeting, "Hello");
  });

  it("names the overlay file for a problem written in the overlay", () => {
    const text = "extends: base.yaml\nworkflow:\n  reservationTimeout: 0\n";
    assert.deepEqual(checkStackText("stacks/prod.yaml", text, read).problems, [
      problem(
        "error",
        "stacks/prod.yaml:3:23",
        "workflow.reservationTimeout",
        "reservation timeout must be 1..86400 seconds (got 0)",
      ),
    ]);
  });

  it("names the extended file for a problem written there", () => {
    const text = "extends: bad-base.yaml\nworkspace: { friendlyName: Prod }\n";
    assert.deepEqual(checkStackText("stacks/prod.yaml", text, read).problems, [
      problem(
        "error",
        "stacks/bad-base.yaml:31:18",
        "workflow.filters[0].targets[1].queue",
        'unknown queue "englsh" (known: english, hindi)',
      ),
    ]);
  });

  it("points at the null that removed something still referenced", () => {
    const text = "extends: base.yaml\nqueues:\n  english: null\n";
    assert.deepEqual(checkStackText("stacks/prod.yaml", text, read).problems, [
      problem(
        "error",
        "stacks/base.yaml:31:18",
        "workflow.filters[0].targets[1].queue",
        'unknown queue "english" (known: hindi)',
      ),
      problem(
        "error",
        "stacks/base.yaml:32:27",
        "workflow.defaultTarget.queue",
        'unknown queue "english" (known: hindi)',
      ),
    ]);
  });

  it("points a missing key at the overlay that removed it", () => {
    const text = "extends: base.yaml\nworkflow:\n  defaultTarget: null\n";
    assert.deepEqual(checkStackText("stacks/prod.yaml", text, read).problems, [
      problem(
        "error",
        "stacks/prod.yaml:2:1",
        "workflow.defaultTarget",
        'required property "defaultTarget" is missing',
      ),
    ]);
  });

  it("reports an overlay that removes a worker or queue the base does not declare", () => {
    const text =
      "extends: base.yaml\nworkers:\n  Bob: null\n  Alice: null\nqueues:\n  spanish: ~\n";
    assert.deepEqual(checkStackText("stacks/prod.yaml", text, read).problems, [
      problem(
        "error",
        "stacks/prod.yaml:3:3",
        "workers.Bob",
        "removes nothing: stacks/base.yaml (with what it extends) has no such entry",
      ),
      problem(
        "error",
        "stacks/prod.yaml:6:3",
        "queues.spanish",
        "removes nothing: stacks/base.yaml (with what it extends) has no such entry",
      ),
    ]);
  });

  it("reports an extends cycle at the extends that closes it", () => {
    assert.deepEqual(checkStackText("stacks/prod.yaml", "extends: loop.yaml\n", read).problems, [
      problem(
        "error",
        "stacks/loop.yaml:1:10",
        "extends",
        "extends cycle: stacks/prod.yaml → stacks/loop.yaml → stacks/prod.yaml",
      ),
    ]);
  });

  it("reports an extended file that does not exist", () => {
    assert.deepEqual(checkStackText("stacks/prod.yaml", "extends: dev.yaml\n", read).problems, [
      problem(
        "error",
        "stacks/prod.yaml:1:10",
        "extends",
        'cannot read "stacks/dev.yaml": no such file',
      ),
    ]);
  });
});

describe("formatProblem", () => {
  it("writes file:line:column severity path: message", () => {
    assert.equal(
      formatProblem(
        problem(
          "error",
          "stacks/dev.yaml:42:17",
          "workflow.filters[0].targets[0].queue",
          'unknown queue "hindii" (known: english, everyone, hindi)',
        ),
      ),
      'stacks/dev.yaml:42:17 error workflow.filters[0].targets[0].queue: unknown queue "hindii" (known: english, everyone, hindi)',
    );
  });

  it("leaves the path out when there is none", () => {
    assert.equal(
      formatProblem(problem("warning", "a.yaml:1:1", "", "something")),
      "a.yaml:1:1 warning something",
    );
  });
});

describe("loadStack", () => {
  it("throws a StackValidationError listing every problem", () => {
    const text = editStackYaml("- queue: english", "- queue: englsh").replace(
      'number: "+15555550100"',
      'number: "5550100"',
    );
    assert.throws(
      () => loadStackText("s.yaml", text),
      (err: unknown) => {
        assert.ok(err instanceof StackValidationError);
        assert.equal(
          err.message,
          [
            "s.yaml: 2 errors, 0 warnings",
            '  s.yaml:31:18 error workflow.filters[0].targets[1].queue: unknown queue "englsh" (known: english, hindi)',
            '  s.yaml:34:11 error phone.number: "5550100" is not an E.164 number (+, country code, up to 15 digits)',
          ].join("\n"),
        );
        assert.equal(err.problems.length, 2);
        return true;
      },
    );
  });

  it("loads the shipped prod overlay: dev's routing with prod's workers and number", () => {
    const { spec, warnings } = loadStack("stacks/prod.yaml");
    assert.deepEqual(warnings, []);
    assert.equal(spec.source, "stacks/prod.yaml");
    assert.deepEqual(Object.keys(spec.workers), ["Shyam", "Priya", "Meera", "Tom"]);
    assert.deepEqual(spec.workers.Shyam, {
      activity: "Available",
      attributes: { languages: ["hindi", "english"], contact_uri: "+15555550111" },
    });
    assert.equal(spec.phone.number, "+15555550199");
    assert.deepEqual(spec.workflow.filters, loadStack("stacks/dev.yaml").spec.workflow.filters);
  });

  it("ships a local stack where Shyam is the only available Hindi speaker", () => {
    const { spec } = loadStack("stacks/local.yaml");
    const availableHindi = Object.entries(spec.workers)
      .filter(([, w]) => spec.activities[w.activity].available)
      .filter(([, w]) => (w.attributes.languages as string[]).includes("hindi"))
      .map(([name]) => name);
    assert.deepEqual(availableHindi, ["Shyam"]);
    assert.deepEqual(spec.phone.ivr.options["2"].attributes, { selected_language: "hindi" });
    assert.equal(spec.phone.number, "+15555550100");
  });

  it("reads adopt: as the kinds the stack may adopt (all of them for `all`), restore by default", () => {
    const adopting = (yaml: string) => loadStackText("s.yaml", `${yaml}\n${STACK_YAML}`).spec.adopt;
    assert.equal(loadStackText("s.yaml", STACK_YAML).spec.adopt, undefined);
    assert.deepEqual(adopting("adopt: { objects: [queues, workers] }"), {
      kinds: ["workers", "queues"],
      onDestroy: "restore",
    });
    assert.deepEqual(adopting("adopt: { objects: [all], onDestroy: delete }"), {
      kinds: ["workspace", "activities", "channels", "workers", "queues", "workflow"],
      onDestroy: "delete",
    });
    assert.throws(
      () => loadStackText("s.yaml", `adopt: { objects: [phones] }\n${STACK_YAML}`),
      (err: unknown) => {
        assert.ok(err instanceof StackValidationError);
        assert.deepEqual(
          err.problems.map((p) => formatProblem(p)),
          [
            "s.yaml:1:20 error adopt.objects[0]: must be one of all, workspace, activities, channels, " +
              'workers, queues, workflow (got "phones")',
          ],
        );
        return true;
      },
    );
  });

  describe("bytes that are not UTF-8", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "load-stack-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const withByte = (text: string, after: string, byte: number): Buffer => {
      const at = Buffer.byteLength(text.slice(0, text.indexOf(after) + after.length));
      const bytes = Buffer.from(text);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
    };

    it("reports the first invalid byte with its line and column", () => {
      const file = path.join(dir, "bad.yaml");
      fs.writeFileSync(
        file,
        withByte(editStackYaml("greeting: Hello", "greeting: Héllo"), "Hé", 0xff),
      );
      assert.deepEqual(checkStack(file).problems, [
        problem(
          "error",
          `${file}:36:17`,
          "",
          "cannot read: not valid UTF-8: byte 0xFF at line 36, column 17",
        ),
      ]);
    });

    it("reports them in a file that is extended, at the extends", () => {
      fs.writeFileSync(path.join(dir, "base.yaml"), withByte(STACK_YAML, "Shyam", 0xc3));
      const file = path.join(dir, "prod.yaml");
      fs.writeFileSync(file, "extends: base.yaml\n");
      assert.deepEqual(checkStack(file).problems, [
        problem(
          "error",
          `${file}:1:10`,
          "extends",
          `cannot read "${path.join(dir, "base.yaml")}": not valid UTF-8: byte 0xC3 at line 10, column 8`,
        ),
      ]);
    });
  });

  it("finds the first byte that is not UTF-8", () => {
    assert.equal(firstInvalidUtf8(Buffer.from("héllo")), undefined);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82])), 1); // truncated "€"
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xc0, 0xaf])), 2); // overlong "/"
    assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0); // a UTF-16 surrogate
  });

  it("reports a file that cannot be read", () => {
    assert.throws(() => loadStack("stacks/nope.yaml"), {
      message:
        "stacks/nope.yaml: 1 error, 0 warnings\n  stacks/nope.yaml:1:1 error cannot read: no such file",
    });
  });
});
