/**
 * The TaskRouter expression language (https://www.twilio.com/docs/taskrouter/expression-syntax):
 * a hand-written tokenizer, a recursive-descent parser and an evaluator. Pure: no I/O, no Pulumi.
 *
 * Grammar (AND binds tighter than OR; every condition is a comparison, bare values are not conditions):
 *   expression := and ( "OR" and )*
 *   and        := condition ( "AND" condition )*
 *   condition  := "(" expression ")" | operand operator operand
 *   operand    := string | number | "true" | "false" | "null" | key | "[" constants "]"
 *   operator   := "==" | "!=" | ">" | ">=" | "<" | "<=" | "CONTAINS" | "HAS" | "IN" | "NOT" "IN"
 *
 * Choices where Twilio's documentation is silent (the strict option unless noted):
 * - Keywords (AND, OR, CONTAINS, HAS, IN, NOT, true, false, null) are case-insensitive, as the emulator's
 *   documented default; string values compare case-sensitively. A key cannot be named like a keyword.
 * - `==` never converts types (1 == "1" is false); `!=` is its negation for scalars (1 != "1" is true).
 * - Ordering operators compare only two numbers or two strings (by UTF-16 code units); otherwise false.
 * - Arrays and objects are never scalars: scalar operators on them are false, and so is `!=`.
 * - Array constants hold constants only (no keys, no nested arrays); `[]` is allowed.
 * - String escapes: only \" \' and \\; any other backslash sequence is a syntax error.
 * - Numbers: optional "-", digits, optional "." digits; no exponents, no leading "." or "+".
 * - Key segments are ASCII identifiers; indexes are `[digits]` written without spaces.
 * - Columns count UTF-16 code units from 1; newlines count as ordinary whitespace.
 * - At most MAX_NESTING levels of parentheses and MAX_CONDITIONS comparisons: Twilio states no limit;
 *   these bound the recursion of the parser, evaluator and formatter, so a hostile expression is a
 *   syntax error rather than a stack overflow. Real routing expressions use a handful of each.
 */

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

/** Binary nodes (compare, and, or) carry the column of their operator; others of their first character. */
export type Expr =
  | { kind: "literal"; value: string | number | boolean | null; column: number }
  | { kind: "list"; items: Expr[]; column: number }
  | { kind: "key"; path: (string | number)[]; text: string; column: number }
  | {
      kind: "compare";
      op: "==" | "!=" | ">" | ">=" | "<" | "<=" | "CONTAINS" | "HAS" | "IN" | "NOT IN";
      left: Expr;
      right: Expr;
      column: number;
    }
  | { kind: "and" | "or"; left: Expr; right: Expr; column: number };

type CompareOp = Extract<Expr, { kind: "compare" }>["op"];

/** Thrown for syntax errors. `column` is 1-based into the source; message: `${reason} at column ${column}`. */
export class ExpressionError extends Error {
  readonly column: number;
  readonly reason: string;

  constructor(reason: string, column: number) {
    super(`${reason} at column ${column}`);
    this.name = "ExpressionError";
    this.reason = reason;
    this.column = column;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type Token =
  | { type: "string"; raw: string; column: number; value: string }
  | { type: "number"; raw: string; column: number; value: number }
  | { type: "key"; raw: string; column: number; path: (string | number)[] }
  | { type: "keyword"; raw: string; column: number; word: string }
  | { type: "punct"; raw: "(" | ")" | "[" | "]" | ","; column: number }
  | { type: "op"; raw: "==" | "!=" | ">" | ">=" | "<" | "<="; column: number }
  | { type: "end"; raw: ""; column: number };

const KEYWORDS = new Set(["AND", "OR", "CONTAINS", "HAS", "IN", "NOT", "TRUE", "FALSE", "NULL"]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c === "_");
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c);
const isSpace = (c: string): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string, index: number): never => {
    throw new ExpressionError(reason, index + 1);
  };

  while (i < source.length) {
    const c = source[i];
    const start = i;
    if (isSpace(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let value = "";
      i++;
      for (;;) {
        const d = source[i];
        if (d === undefined) fail("unterminated string starting", start);
        if (d === c) break;
        if (d === "\\") {
          const e = source[i + 1];
          if (e === undefined) fail("unterminated string starting", start);
          if (e !== '"' && e !== "'" && e !== "\\") fail(`invalid escape "\\${e}"`, i);
          value += e;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ type: "string", raw: source.slice(start, i), column: start + 1, value });
    } else if (isDigit(c) || (c === "-" && isDigit(source[i + 1]))) {
      i++;
      while (isDigit(source[i])) i++;
      if (source[i] === "." && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      // "1.", "1.2.3" and "12abc" are one malformed number, not a number followed by something else.
      if (isIdentPart(source[i]) || source[i] === ".") fail("invalid number", start);
      const raw = source.slice(start, i);
      tokens.push({ type: "number", raw, column: start + 1, value: Number(raw) });
    } else if (isIdentStart(c)) {
      i = scanWord(source, i, tokens, fail);
    } else if (c === "=" || c === "!" || c === "<" || c === ">") {
      const two = source.slice(i, i + 2);
      if (two === "==" || two === "!=" || two === "<=" || two === ">=") {
        tokens.push({ type: "op", raw: two, column: start + 1 });
        i += 2;
      } else if (c === "<" || c === ">") {
        tokens.push({ type: "op", raw: c, column: start + 1 });
        i++;
      } else if (c === "=") {
        fail('"=" is not an operator (use "==")', i);
      } else {
        fail('unexpected "!"', i);
      }
    } else if (c === "(" || c === ")" || c === "[" || c === "]" || c === ",") {
      tokens.push({ type: "punct", raw: c, column: start + 1 });
      i++;
    } else {
      fail(`unexpected "${c}"`, i);
    }
  }
  tokens.push({ type: "end", raw: "", column: source.length + 1 });
  return tokens;
}

/** Scans a keyword or a key path (`a.b[2].c`) starting at `i`; returns the index after it. */
function scanWord(
  source: string,
  i: number,
  tokens: Token[],
  fail: (reason: string, index: number) => never,
): number {
  const start = i;
  const identifier = (): string => {
    const from = i;
    while (isIdentPart(source[i])) i++;
    return source.slice(from, i);
  };

  const first = identifier();
  const word = first.toUpperCase();
  // A keyword is never the start of a path, so `IN["a"]` is IN followed by an array.
  if (KEYWORDS.has(word)) {
    tokens.push({ type: "keyword", raw: first, column: start + 1, word });
    return i;
  }
  const path: (string | number)[] = [first];
  for (;;) {
    const c = source[i];
    if (c === "-") {
      fail("hyphens are not supported in keys", i);
    } else if (c === ".") {
      i++;
      if (!isIdentStart(source[i])) fail('expected a key name after "."', i);
      path.push(identifier());
    } else if (c === "[") {
      i++;
      const from = i;
      while (isDigit(source[i])) i++;
      if (i === from) fail("expected an array index", i);
      path.push(Number(source.slice(from, i)));
      if (source[i] !== "]") fail('expected "]"', i);
      i++;
    } else {
      break;
    }
  }
  tokens.push({ type: "key", raw: source.slice(start, i), column: start + 1, path });
  return i;
}

// ---------------------------------------------------------------------------------------------
// Parser

/** How a token is named in messages: strings as written (with their quotes), others in double quotes. */
function describe(token: Token): string {
  if (token.type === "end") return "end of input";
  if (token.type === "string") return token.raw;
  return `"${token.raw}"`;
}

/** Deepest parenthesis nesting accepted (see the header). */
export const MAX_NESTING = 32;
/** Most comparisons accepted in one expression (see the header). */
export const MAX_CONDITIONS = 500;

class Parser {
  private position = 0;
  private depth = 0;
  private conditions = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const first = this.peek();
    if (first.type === "end") throw new ExpressionError("empty expression", 1);
    const expr = this.parseOr();
    const rest = this.peek();
    if (rest.type !== "end") throw new ExpressionError(`unexpected ${describe(rest)}`, rest.column);
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.type !== "end") this.position++;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === "keyword" && token.word === word;
  }

  private isPunct(raw: string): boolean {
    const token = this.peek();
    return token.type === "punct" && token.raw === raw;
  }

  private parseOr(): Expr {
    return this.parseChain("OR", () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseChain("AND", () => this.parseCondition());
  }

  /** `operand (WORD operand)*`, nested left to right. */
  private parseChain(word: "AND" | "OR", operand: () => Expr): Expr {
    const kind = word === "AND" ? "and" : "or";
    let left = operand();
    while (this.isKeyword(word)) {
      const column = this.next().column;
      left = { kind, left, right: operand(), column };
    }
    return left;
  }

  private parseCondition(): Expr {
    if (this.isPunct("(")) {
      const open = this.next();
      if (++this.depth > MAX_NESTING) {
        throw new ExpressionError(
          `parentheses nest deeper than ${MAX_NESTING} levels`,
          open.column,
        );
      }
      const inner = this.parseOr();
      if (!this.isPunct(")")) throw new ExpressionError('expected ")"', this.peek().column);
      this.next();
      this.depth--;
      return inner;
    }
    if (++this.conditions > MAX_CONDITIONS) {
      throw new ExpressionError(
        `more than ${MAX_CONDITIONS} conditions in one expression`,
        this.peek().column,
      );
    }
    const left = this.parseOperand();
    const last = this.tokens[this.position - 1];
    const token = this.peek();
    let op: CompareOp;
    if (token.type === "op") {
      op = token.raw;
    } else if (token.type === "keyword" && ["CONTAINS", "HAS", "IN"].includes(token.word)) {
      op = token.word as CompareOp;
    } else if (token.type === "keyword" && token.word === "NOT") {
      this.next();
      if (!this.isKeyword("IN")) {
        throw new ExpressionError('expected "IN" after "NOT"', this.peek().column);
      }
      op = "NOT IN";
    } else {
      throw new ExpressionError(`expected an operator after ${describe(last)}`, token.column);
    }
    this.next();
    return { kind: "compare", op, left, right: this.parseOperand(), column: token.column };
  }

  private parseOperand(): Expr {
    const token = this.peek();
    if (token.type === "key") {
      this.next();
      return { kind: "key", path: token.path, text: token.raw, column: token.column };
    }
    if (token.type === "punct" && token.raw === "[") return this.parseList();
    const literal = this.parseConstant();
    if (!literal) throw new ExpressionError("expected a value", token.column);
    return literal;
  }

  private parseConstant(): Expr | undefined {
    const token = this.peek();
    let value: string | number | boolean | null;
    if (token.type === "string" || token.type === "number") value = token.value;
    else if (token.type === "keyword" && token.word === "TRUE") value = true;
    else if (token.type === "keyword" && token.word === "FALSE") value = false;
    else if (token.type === "keyword" && token.word === "NULL") value = null;
    else return undefined;
    this.next();
    return { kind: "literal", value, column: token.column };
  }

  private parseList(): Expr {
    const column = this.next().column;
    const items: Expr[] = [];
    if (this.isPunct("]")) {
      this.next();
      return { kind: "list", items, column };
    }
    for (;;) {
      const item = this.parseConstant();
      if (!item) throw new ExpressionError("expected a constant", this.peek().column);
      items.push(item);
      if (this.isPunct("]")) break;
      if (!this.isPunct(",")) throw new ExpressionError('expected "," or "]"', this.peek().column);
      this.next();
    }
    this.next();
    return { kind: "list", items, column };
  }
}

export function parseExpression(source: string): Expr {
  return new Parser(tokenize(source)).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluator

type Kind = "string" | "number" | "boolean" | "null" | "array" | "object";

/** A context value as the language sees it; `undefined` and non-JSON values (functions, ...) are NULL. */
function normalise(value: unknown): unknown {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return null;
  return value;
}

function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean") return type;
  return "object";
}

const isScalar = (value: unknown): boolean => {
  const kind = kindOf(value);
  return kind !== "array" && kind !== "object";
};

/** Own properties and in-range indexes only, so `length`, `constructor` etc. are missing (NULL). */
function resolve(path: (string | number)[], context: Record<string, unknown>): unknown {
  let current: unknown = context;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return null;
      current = current[segment];
    } else {
      if (kindOf(current) !== "object") return null;
      const record = current as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(record, segment)) return null;
      current = record[segment];
    }
  }
  return normalise(current);
}

function valueOf(expr: Expr, context: Record<string, unknown>): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "list":
      return expr.items.map((item) => valueOf(item, context));
    case "key":
      return resolve(expr.path, context);
    default:
      return evaluate(expr, context);
  }
}

/** Strict scalar equality: same type and same value; NULL equals only NULL. */
const scalarEquals = (a: unknown, b: unknown): boolean =>
  isScalar(a) && isScalar(b) && kindOf(a) === kindOf(b) && a === b;

function compare(op: CompareOp, left: unknown, right: unknown): boolean {
  switch (op) {
    case "==":
      return scalarEquals(left, right);
    case "!=":
      return isScalar(left) && isScalar(right) && !scalarEquals(left, right);
    case ">":
    case ">=":
    case "<":
    case "<=": {
      const kind = kindOf(left);
      if (kind !== kindOf(right) || (kind !== "number" && kind !== "string")) return false;
      const [a, b] = [left as number | string, right as number | string];
      return op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
    }
    case "CONTAINS":
      return typeof left === "string" && typeof right === "string" && left.includes(right);
    case "HAS":
      return (
        Array.isArray(left) &&
        isScalar(right) &&
        left.some((item) => scalarEquals(normalise(item), right))
      );
    case "IN":
    case "NOT IN": {
      if (!Array.isArray(right) || !isScalar(left)) return false;
      const found = right.some((item) => scalarEquals(normalise(item), left));
      return op === "IN" ? found : !found;
    }
  }
}

/** Evaluate against a context object: keys resolve as JSON paths into it; a missing key is NULL. */
export function evaluate(expr: Expr, context: Record<string, unknown>): boolean {
  switch (expr.kind) {
    case "and":
      return evaluate(expr.left, context) && evaluate(expr.right, context);
    case "or":
      return evaluate(expr.left, context) || evaluate(expr.right, context);
    case "compare":
      return compare(expr.op, valueOf(expr.left, context), valueOf(expr.right, context));
    default:
      // The parser never yields a bare operand as a condition; a hand-built one holds only if it is true.
      return valueOf(expr, context) === true;
  }
}

/** Convenience: parse then evaluate. */
export function evaluateExpression(source: string, context: Record<string, unknown>): boolean {
  return evaluate(parseExpression(source), context);
}

/** Every key path used, as written (e.g. "task.languages", "languages[0]"), in source order, de-duplicated. */
export function expressionKeys(expr: Expr): string[] {
  const keys = new Set<string>();
  const visit = (node: Expr): void => {
    if (node.kind === "key") keys.add(node.text);
    else if (node.kind === "list") node.items.forEach(visit);
    else if (node.kind !== "literal") {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(expr);
  return [...keys];
}

// ---------------------------------------------------------------------------------------------
// Formatter

/** Plain decimal digits, because the language has no exponent notation (1e21 would not re-parse). */
function formatNumber(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = "", exp] = match;
  const digits = lead + rest;
  const point = 1 + Number(exp); // where the decimal point falls within `digits`
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}0.${"0".repeat(-point)}${digits}`;
}

function formatConstant(value: string | number | boolean | null): string {
  if (typeof value === "string") return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

/**
 * Canonical text: single spaces, upper-case operators and logic keywords, lower-case true/false/null,
 * double-quoted strings, `[a, b]` arrays. Parentheses only where needed to keep the same tree, so
 * formatting then parsing gives back the same structure.
 */
export function formatExpression(expr: Expr): string {
  switch (expr.kind) {
    case "literal":
      return formatConstant(expr.value);
    case "list":
      return `[${expr.items.map(formatExpression).join(", ")}]`;
    case "key":
      return expr.text;
    case "compare":
      return `${formatExpression(expr.left)} ${expr.op} ${formatExpression(expr.right)}`;
    default: {
      const rank = (node: Expr): number => (node.kind === "or" ? 1 : node.kind === "and" ? 2 : 3);
      const own = rank(expr);
      const wrap = (node: Expr, needs: boolean): string =>
        needs ? `(${formatExpression(node)})` : formatExpression(node);
      const left = wrap(expr.left, rank(expr.left) < own);
      const right = wrap(expr.right, rank(expr.right) <= own);
      return `${left} ${expr.kind.toUpperCase()} ${right}`;
    }
  }
}
