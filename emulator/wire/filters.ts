// List filters shared by the TaskRouter lists: FriendlyName, expression filters, Ordering.
import { evaluateExpression, ExpressionError } from "../../infra/taskrouter/expression";
import { invalidParameter } from "../errors";
import type { Params } from "./params";

export function byName<T extends { friendlyName: string }>(list: T[], q: Params): T[] {
  const name = q.str("FriendlyName");
  return name === undefined
    ? list
    : list.filter((x) => x.friendlyName.toLowerCase() === name.toLowerCase());
}

/** An expression filter; a bad expression is a 400 naming the parameter. */
export function expressionFilter(
  source: string,
  param: string,
): (ctx: Record<string, unknown>) => boolean {
  return (c) => {
    try {
      return evaluateExpression(source, c);
    } catch (err) {
      if (err instanceof ExpressionError)
        throw invalidParameter(`Invalid ${param}: ${err.message}`);
      throw err;
    }
  };
}

/** `Ordering=Field:asc|desc[,Field:asc|desc]`; the fields each list supports are listed. */
export function applyOrdering<T>(
  list: T[],
  q: Params,
  fields: Record<string, (x: T) => string | number>,
): T[] {
  const ordering = q.str("Ordering");
  if (ordering === undefined) return list;
  const keys = ordering.split(",").map((part) => {
    const [field, dir = "asc"] = part.trim().split(":");
    const get = fields[field];
    if (!get || !["asc", "desc"].includes(dir.toLowerCase())) {
      throw invalidParameter(
        `Invalid Ordering: ${JSON.stringify(part)}; supported fields: ${Object.keys(fields).join(", ")}`,
      );
    }
    return { get, sign: dir.toLowerCase() === "desc" ? -1 : 1 };
  });
  return [...list].sort((a, b) => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      if (x < y) return -k.sign;
      if (x > y) return k.sign;
    }
    return 0;
  });
}
