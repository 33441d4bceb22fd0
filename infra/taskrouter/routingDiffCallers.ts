// Who is affected, callers: the kinds of caller compared (each IVR option, the no-input default, and
// attribute sets derived from each filter's expression: its witnesses) and those whose route
// differs between the two sides. Pure.
import { canonicalJson, sameJson } from "./canonicalJson";
import { parseExpression, type Expr } from "./expression";
import type { ContactCentreSpec } from "./model";
import { describeRoute, holds } from "./routingDiffRoutes";

/** A kind of caller (an IVR option, the no-input default, or a filter's attribute set) and its route. */
export interface CallerRoute {
  caller: string;
  /** Task attributes on each side (differ when an IVR option's attributes changed). */
  attributesBefore?: Record<string, unknown>;
  attributesAfter?: Record<string, unknown>;
  /** The route as text: `Filter: queue (60 s) → queue`; `—` when the caller kind does not exist. */
  before: string;
  after: string;
}

/** Set `path` (from a parsed key) in a nested object, creating objects and arrays on the way. */
function setPath(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    if (typeof node[segment] !== "object" || node[segment] === null) {
      node[segment] = typeof path[index + 1] === "number" ? [] : {};
    }
    node = node[segment] as Record<string | number, unknown>;
  });
}

type Witness = Array<{ path: (string | number)[]; value: unknown }>;
const MAX_WITNESSES = 8;

/** Candidate attribute sets that may satisfy an expression (checked by the caller). */
function witnesses(expr: Expr): Witness[] {
  if (expr.kind === "or")
    return [...witnesses(expr.left), ...witnesses(expr.right)].slice(0, MAX_WITNESSES);
  if (expr.kind === "and") {
    const out: Witness[] = [];
    for (const l of witnesses(expr.left)) {
      for (const r of witnesses(expr.right)) out.push([...l, ...r]);
    }
    return out.slice(0, MAX_WITNESSES);
  }
  if (expr.kind !== "compare") return [[]];
  const { op } = expr;
  let key = expr.left;
  let other = expr.right;
  if (key.kind !== "key" && other.kind === "key" && (op === "==" || op === "!=")) {
    [key, other] = [other, key];
  }
  if (key.kind !== "key") return [[]];
  const constant = other.kind === "literal" ? other.value : undefined;
  const list = other.kind === "list" ? other.items : undefined;
  const path = key.path;
  switch (op) {
    case "==":
    case "CONTAINS":
    case ">=":
    case "<=":
      return constant === undefined ? [[]] : [[{ path, value: constant }]];
    case ">":
    case "<":
      if (typeof constant === "number")
        return [[{ path, value: constant + (op === ">" ? 1 : -1) }]];
      return [[]];
    case "HAS":
      return constant === undefined ? [[]] : [[{ path, value: [constant] }]];
    case "IN":
      return (list ?? [])
        .filter((item) => item.kind === "literal")
        .map((item) => [{ path, value: (item as { value: unknown }).value }]);
    default:
      return [[]];
  }
}

/** Attribute sets, each satisfying `expression` (with all assignments applied), de-duplicated. */
export function attributeSetsFor(expression: string): Record<string, unknown>[] {
  let expr: Expr;
  try {
    expr = parseExpression(expression);
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const witness of witnesses(expr)) {
    const attributes: Record<string, unknown> = {};
    for (const { path, value } of witness) setPath(attributes, path, value);
    const text = canonicalJson(attributes);
    if (seen.has(text) || !holds(expression, attributes)) continue;
    seen.add(text);
    out.push(attributes);
  }
  return out;
}

export function diffCallers(
  base: ContactCentreSpec,
  head: ContactCentreSpec,
): { callers: CallerRoute[]; kinds: number } {
  type Kind = { caller: string; before?: Record<string, unknown>; after?: Record<string, unknown> };
  const kinds: Kind[] = [];
  const seen = new Set<string>();
  const remember = (attrs: Record<string, unknown> | undefined): void => {
    if (attrs !== undefined) seen.add(canonicalJson(attrs));
  };
  const digits = [
    ...new Set([...Object.keys(head.phone.ivr.options), ...Object.keys(base.phone.ivr.options)]),
  ];
  for (const digit of digits) {
    const a = base.phone.ivr.options[digit];
    const b = head.phone.ivr.options[digit];
    kinds.push({
      caller: `IVR ${digit} "${(b ?? a)?.label ?? ""}"`,
      before: a?.attributes,
      after: b?.attributes,
    });
    remember(a?.attributes);
    remember(b?.attributes);
  }
  kinds.push({
    caller: "IVR no input",
    before: base.phone.ivr.defaultAttributes,
    after: head.phone.ivr.defaultAttributes,
  });
  remember(base.phone.ivr.defaultAttributes);
  remember(head.phone.ivr.defaultAttributes);
  const headNames = new Set(head.workflow.filters.map((f) => f.name));
  const baseNames = new Set(base.workflow.filters.map((f) => f.name));
  const filters = [
    ...head.workflow.filters,
    ...base.workflow.filters.filter((f) => !headNames.has(f.name)),
  ];
  for (const filter of filters) {
    const sets = [
      ...(headNames.has(filter.name) ? attributeSetsFor(filter.expression) : []),
      ...(baseNames.has(filter.name)
        ? attributeSetsFor(
            base.workflow.filters.find((f) => f.name === filter.name)?.expression ?? "",
          )
        : []),
    ];
    for (const attrs of sets) {
      const text = canonicalJson(attrs);
      if (seen.has(text)) continue;
      seen.add(text);
      kinds.push({ caller: `filter "${filter.name}"`, before: attrs, after: attrs });
    }
  }
  const callers: CallerRoute[] = [];
  for (const kind of kinds) {
    const before = kind.before === undefined ? "—" : describeRoute(base, kind.before);
    const after = kind.after === undefined ? "—" : describeRoute(head, kind.after);
    if (before === after && sameJson(kind.before, kind.after)) continue;
    callers.push({
      caller: kind.caller,
      ...(kind.before !== undefined && { attributesBefore: kind.before }),
      ...(kind.after !== undefined && { attributesAfter: kind.after }),
      before,
      after,
    });
  }
  return { callers, kinds: kinds.length };
}
