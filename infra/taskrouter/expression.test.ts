import assert from "node:assert/strict";
import {
  evaluate,
  evaluateExpression,
  Expr,
  ExpressionError,
  expressionKeys,
  formatExpression,
  parseExpression,
} from "./expression";

/** A worker's attributes, as a queue's target_workers expression sees them. */
const worker: Record<string, unknown> = {
  name: "Alice",
  level: 3,
  score: 4.5,
  debt: -2,
  vip: true,
  retired: false,
  manager: null,
  skills: ["support", "sales", 7, true],
  languages: ["en", "es"],
  contact: { email: "alice@example.com", phones: ["+441234", "+449876"] },
  teams: [{ name: "gold" }, { name: "silver" }],
  matrix: [["a"], ["b"]],
  numeric_text: "1",
  quote: `it's "quoted"`,
  empty: "",
};

/** A target expression's context: the task and one worker with its built-in fields. */
const target: Record<string, unknown> = {
  task: { required_language: "es", priority: 5, preferred_agents: ["WK1", "WK3"], team: "gold" },
  worker: {
    sid: "WK1",
    friendly_name: "alice",
    activity_sid: "WA1",
    activity_name: "Available",
    spoken_languages: ["en", "es"],
    team: "gold",
  },
};

/** One test per row: the source evaluates to exactly the expected boolean in the context. */
function itEvaluates(cases: [string, boolean][], context: Record<string, unknown>): void {
  for (const [source, expected] of cases) {
    it(`gives ${expected} for ${source}`, () => {
      assert.equal(evaluateExpression(source, context), expected);
    });
  }
}

describe("expression language", () => {
  describe("evaluates against a worker's attributes", () => {
    const cases: [string, boolean][] = [
      // == and !=
      ['name == "Alice"', true],
      ['name == "alice"', false],
      ["level == 3", true],
      ["level == 4", false],
      ['name != "Bob"', true],
      ['name != "Alice"', false],
      ["vip == true", true],
      ["retired == false", true],
      ["vip == false", false],
      // ordering between numbers and between strings
      ["level > 2", true],
      ["level > 3", false],
      ["level >= 3", true],
      ["level >= 4", false],
      ["level < 4", true],
      ["level < 3", false],
      ["level <= 3", true],
      ["level <= 2", false],
      ['name > "Aaron"', true],
      ['name < "Aaron"', false],
      // floats and negatives
      ["score == 4.5", true],
      ["score > 4.25", true],
      ["score < 4.49", false],
      ["debt == -2", true],
      ["debt < -1", true],
      ["debt > -1.5", false],
      ["level > -3.5", true],
      // CONTAINS
      ['contact.email CONTAINS "@example"', true],
      ['contact.email CONTAINS "@other"', false],
      ['name CONTAINS ""', true],
      ['skills CONTAINS "sup"', false],
      ["level CONTAINS 3", false],
      ['level CONTAINS "3"', false],
      ["name CONTAINS 1", false],
      // HAS
      ['skills HAS "support"', true],
      ['skills HAS "billing"', false],
      ["skills HAS 7", true],
      ['skills HAS "7"', false],
      ["skills HAS true", true],
      ['skills HAS ["support"]', false],
      ['name HAS "A"', false],
      ["missing HAS null", false],
      // IN and NOT IN
      ['name IN ["Alice", "Bob"]', true],
      ['name IN ["Bob"]', false],
      ["level IN [1, 2, 3]", true],
      ['level IN ["3"]', false],
      ['"es" IN languages', true],
      ['"fr" IN languages', false],
      ['name NOT IN ["Bob"]', true],
      ['name NOT IN ["Alice", "Bob"]', false],
      ['"fr" NOT IN languages', true],
      ['name IN "Alice"', false],
      ['name NOT IN "Bob"', false],
      ["languages IN matrix", false],
      ['languages NOT IN ["en"]', false],
      ["level IN []", false],
      ["level NOT IN []", true],
      // scalar operators on arrays are false, including !=
      ['languages == ["en", "es"]', false],
      ['languages != ["fr"]', false],
      ['languages != "en"', false],
      ["languages > 1", false],
      ['contact == "x"', false],
      // mixed types are never equal, never ordered
      ["numeric_text == 1", false],
      ["numeric_text != 1", true],
      ['level == "3"', false],
      ['level > "2"', false],
      ["vip > false", false],
      ["vip == 1", false],
      // NULL and missing keys
      ["missing == null", true],
      ["missing != null", false],
      ["manager == NULL", true],
      ["manager != null", false],
      ["name == null", false],
      ["name != null", true],
      ['missing == "x"', false],
      ['missing != "x"', true],
      ["missing > 1", false],
      ["missing <= 1", false],
      ["null == null", true],
      ['missing IN ["x"]', false],
      ["missing IN [null]", true],
      ['missing NOT IN ["x"]', true],
      ["level.deeper == null", true],
      ["languages.length == null", true],
      ["name.constructor == null", true],
      // index paths
      ['languages[0] == "en"', true],
      ['languages[1] == "en"', false],
      ["languages[2] == null", true],
      ['contact.phones[1] == "+449876"', true],
      ['teams[1].name == "silver"', true],
      ['matrix[1][0] == "b"', true],
      ["contact[0] == null", true],
      // quoting
      ["name == 'Alice'", true],
      [`quote == 'it\\'s "quoted"'`, true],
      [`quote == "it's \\"quoted\\""`, true],
      ['empty == ""', true],
      // literal-only and spacing
      ["1==1", true],
      ["1==2", false],
      ["1 != 2", true],
      ['"b" > "a"', true],
      // case-insensitive keywords
      ['skills has "sales" and level in [3] or false == true', true],
      ['name Not In ["Bob"] AnD vip == TRUE', true],
      ['contact.email contains "alice"', true],
      // AND, OR, precedence and parentheses
      ["level == 3 AND vip == true", true],
      ["level == 3 AND vip == false", false],
      ["level == 4 OR vip == true", true],
      ["level == 4 OR vip == false", false],
      ["level == 4 AND vip == false OR level == 3", true],
      ["level == 3 OR level == 4 AND vip == false", true],
      ["(level == 3 OR level == 4) AND vip == false", false],
      ["level == 4 AND (vip == false OR level == 3)", false],
      ["((level == 3))", true],
      ["(skills HAS 'support') AND (languages HAS 'en')", true],
      ["(skills HAS 'support') AND ((languages HAS 'fr') OR (level >= 3 AND score > 4))", true],
    ];
    itEvaluates(cases, worker);
  });

  describe("evaluates target expressions against the task and the worker", () => {
    const cases: [string, boolean][] = [
      ["task.required_language IN worker.spoken_languages", true],
      ["worker.sid IN task.preferred_agents", true],
      ['worker.activity_name == "Available" AND task.priority > 3', true],
      ["worker.team == task.team", true],
      ['worker.friendly_name == "Alice"', false],
      ["worker.spoken_languages HAS task.required_language", true],
      ["worker.contact_uri == null", true],
    ];
    itEvaluates(cases, target);
  });

  describe("treats values that are not JSON as NULL", () => {
    it("reads an undefined property as NULL", () => {
      assert.equal(evaluateExpression("x == null", { x: undefined }), true);
    });
    it("does not read inherited properties", () => {
      assert.equal(evaluateExpression("x.toString == null", { x: {} }), true);
    });
  });

  describe("parses into the documented tree", () => {
    it("builds keys, index paths, NOT IN and array constants with their columns", () => {
      assert.deepEqual(parseExpression("task.languages[0] NOT IN ['en', 2, null]"), {
        kind: "compare",
        op: "NOT IN",
        left: { kind: "key", path: ["task", "languages", 0], text: "task.languages[0]", column: 1 },
        right: {
          kind: "list",
          items: [
            { kind: "literal", value: "en", column: 27 },
            { kind: "literal", value: 2, column: 33 },
            { kind: "literal", value: null, column: 36 },
          ],
          column: 26,
        },
        column: 19,
      });
    });

    it("makes AND bind tighter than OR and nests left to right", () => {
      const tree = parseExpression("a==1 OR b==2 AND c==3 OR d==4");
      const cmp = (key: string, value: number, column: number): Expr => ({
        kind: "compare",
        op: "==",
        left: { kind: "key", path: [key], text: key, column },
        right: { kind: "literal", value, column: column + 3 },
        column: column + 1,
      });
      assert.deepEqual(tree, {
        kind: "or",
        left: {
          kind: "or",
          left: cmp("a", 1, 1),
          right: { kind: "and", left: cmp("b", 2, 9), right: cmp("c", 3, 18), column: 14 },
          column: 6,
        },
        right: cmp("d", 4, 26),
        column: 23,
      });
    });

    it("reads true, false and null in any case and numbers as numbers", () => {
      const literals = (source: string): unknown[] => {
        const tree = parseExpression(source);
        assert.equal(tree.kind, "compare");
        return tree.kind === "compare" && tree.right.kind === "list"
          ? tree.right.items.map((item) => (item.kind === "literal" ? item.value : undefined))
          : [];
      };
      assert.deepEqual(literals("x IN [TRUE, False, NULL, -0.25, 10, 007]"), [
        true,
        false,
        null,
        -0.25,
        10,
        7,
      ]);
    });

    it("parses an array constant written directly after IN", () => {
      assert.equal(evaluateExpression('x IN["a"]', { x: "a" }), true);
    });

    it("accepts any whitespace between tokens", () => {
      assert.equal(evaluateExpression('\tx\n==\r\n"a"  AND  y  NOT   IN  []', { x: "a" }), true);
    });
  });

  describe("rejects bad syntax with the reason and the column", () => {
    const cases: [string, string, number][] = [
      ["", "empty expression", 1],
      ["   ", "empty expression", 1],
      ['languages "en"', 'expected an operator after "languages"', 11],
      ["skills", 'expected an operator after "skills"', 7],
      ["(x == 1", 'expected ")"', 8],
      ["(x == 1 y", 'expected ")"', 9],
      ["x == 1)", 'unexpected ")"', 7],
      ["(x)) == 1", 'expected an operator after "x"', 3],
      ["x == ", "expected a value", 6],
      ["x == 1 AND", "expected a value", 11],
      ["AND x == 1", "expected a value", 1],
      ["()", "expected a value", 2],
      ["x == 1 y == 2", 'unexpected "y"', 8],
      ["x == 1 == 2", 'unexpected "=="', 8],
      ["x = 1", '"=" is not an operator (use "==")', 3],
      ["x ! 1", 'unexpected "!"', 3],
      ["x == 1 && y == 2", 'unexpected "&"', 8],
      ['name == "Alice', "unterminated string starting", 9],
      ["name == 'it\\'s", "unterminated string starting", 9],
      ['name == "a\\', "unterminated string starting", 9],
      ['name == "a\\nb"', 'invalid escape "\\n"', 11],
      ["first-name == 'x'", "hyphens are not supported in keys", 6],
      ["task.first-name == 'x'", "hyphens are not supported in keys", 11],
      ["task.tags[0]-x == 'x'", "hyphens are not supported in keys", 13],
      ["task. == 1", 'expected a key name after "."', 6],
      ["task.0 == 1", 'expected a key name after "."', 6],
      ["a[x] == 1", "expected an array index", 3],
      ["a[1 == 1", 'expected "]"', 4],
      ["a[-1] == 1", "expected an array index", 3],
      ["x == 1.", "invalid number", 6],
      ["x == 1.2.3", "invalid number", 6],
      ["x == 12abc", "invalid number", 6],
      ["x == - 1", 'unexpected "-"', 6],
      ["x == .5", 'unexpected "."', 6],
      ["x IN [1, 2", 'expected "," or "]"', 11],
      ['x IN ["a" "b"]', 'expected "," or "]"', 11],
      ['x IN ["a",]', "expected a constant", 11],
      ["x IN [y]", "expected a constant", 7],
      ["x IN [[1]]", "expected a constant", 7],
      ["NOT x == 1", "expected a value", 1],
      ["x NOT HAS 1", 'expected "IN" after "NOT"', 7],
      ["x == 'a' 'b'", "unexpected 'b'", 10],
      ["'a' 'b'", "expected an operator after 'a'", 5],
      ["[1] 1", 'expected an operator after "]"', 5],
      ["x == 1 AND (y == 2 OR)", "expected a value", 22],
      // Bounds (MAX_NESTING, MAX_CONDITIONS): a syntax error, never a stack overflow.
      [`${"(".repeat(33)}x == 1${")".repeat(33)}`, "parentheses nest deeper than 32 levels", 33],
      [`${"(".repeat(100_000)}x == 1`, "parentheses nest deeper than 32 levels", 33],
      [Array(501).fill("x == 1").join(" OR "), "more than 500 conditions in one expression", 5001],
      [
        Array(100_000).fill("x == 1").join(" AND "),
        "more than 500 conditions in one expression",
        5501,
      ],
    ];
    for (const [source, reason, column] of cases) {
      const shown =
        source.length > 60
          ? `${JSON.stringify(source.slice(0, 30))}… (${source.length} characters)`
          : JSON.stringify(source);
      it(`reports "${reason}" at column ${column} for ${shown}`, () => {
        assert.throws(() => parseExpression(source), {
          name: "ExpressionError",
          message: `${reason} at column ${column}`,
          reason,
          column,
        });
      });
    }

    it("accepts 32 levels of parentheses and 500 conditions", () => {
      assert.equal(evaluateExpression(`${"(".repeat(32)}x == 1${")".repeat(32)}`, { x: 1 }), true);
      assert.equal(evaluateExpression(Array(500).fill("x == 2").join(" OR "), { x: 1 }), false);
    });

    it("throws an ExpressionError from evaluateExpression too", () => {
      assert.throws(() => evaluateExpression("x =", {}), ExpressionError);
    });
  });

  describe("lists the keys an expression uses", () => {
    const cases: [string, string[]][] = [
      ["1==1", []],
      [
        "task.required_language IN worker.spoken_languages AND worker.contact_uri != null",
        ["task.required_language", "worker.spoken_languages", "worker.contact_uri"],
      ],
      [
        "languages[0] == 'en' OR (languages[0] == 'es' AND languages HAS 'en')",
        ["languages[0]", "languages"],
      ],
      ["b == 1 OR a == 2 OR b == 3", ["b", "a"]],
      ["x IN ['a', 'b']", ["x"]],
    ];
    for (const [source, keys] of cases) {
      it(`finds ${JSON.stringify(keys)} in ${source}`, () => {
        assert.deepEqual(expressionKeys(parseExpression(source)), keys);
      });
    }
  });

  describe("formats expressions canonically", () => {
    const cases: [string, string][] = [
      ["1==1", "1 == 1"],
      ["  skills   has 'support'  ", 'skills HAS "support"'],
      ["x not in ['a',\"b\" ,1.50,-0.5,true,NULL]", 'x NOT IN ["a", "b", 1.5, -0.5, true, null]'],
      ["x IN []", "x IN []"],
      [`q == 'it\\'s "x" \\\\'`, `q == "it's \\"x\\" \\\\"`],
      ["a==1 or b==2 and c==3", "a == 1 OR b == 2 AND c == 3"],
      ["(a==1 or b==2) and c==3", "(a == 1 OR b == 2) AND c == 3"],
      ["a==1 and (b==2 or c==3)", "a == 1 AND (b == 2 OR c == 3)"],
      ["((a==1)) and ((b==2))", "a == 1 AND b == 2"],
      ["(a==1 and b==2) and c==3", "a == 1 AND b == 2 AND c == 3"],
      ["a==1 and (b==2 and c==3)", "a == 1 AND (b == 2 AND c == 3)"],
      ["task.tags[0] contains 'x'", 'task.tags[0] CONTAINS "x"'],
      ["x == 100000000000000000000000", "x == 100000000000000000000000"],
      ["x == -0.00000012", "x == -0.00000012"],
    ];
    for (const [source, formatted] of cases) {
      it(`formats ${source} as ${formatted}`, () => {
        assert.equal(formatExpression(parseExpression(source)), formatted);
      });
    }

    it("formats to text that parses back to the same tree", () => {
      const source = "a==1 and (b==2 or (c IN [1,'x'] and d has null)) or not_e not in []";
      const once = formatExpression(parseExpression(source));
      assert.equal(formatExpression(parseExpression(once)), once);
      const strip = (value: unknown): unknown =>
        JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === "column" ? undefined : v)));
      assert.deepEqual(strip(parseExpression(once)), strip(parseExpression(source)));
    });
  });

  describe("evaluates hand-built trees", () => {
    it("short-circuits AND and OR over compare nodes", () => {
      const yes: Expr = {
        kind: "compare",
        op: "==",
        left: { kind: "literal", value: 1, column: 1 },
        right: { kind: "literal", value: 1, column: 4 },
        column: 2,
      };
      const no: Expr = { ...yes, op: "!=" };
      assert.equal(evaluate({ kind: "and", left: yes, right: no, column: 1 }, {}), false);
      assert.equal(evaluate({ kind: "or", left: no, right: yes, column: 1 }, {}), true);
    });
  });
});
