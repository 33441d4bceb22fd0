// Canonical JSON: equal values always give the same text, so values are compared as strings and key
// order or formatting never reads as a change (a worker's attributes read back from Twilio, a field
// of a stack file, the workflow document). Pure.

/**
 * The keys written first in an object, given the key the object sits under ("" at the top; the
 * items of an array sit under the array's key). Keys not listed follow, sorted.
 */
export type KeyOrder = (parentKey: string) => readonly string[];

const SORTED: KeyOrder = () => [];

/**
 * Compact JSON with the keys of every object in `keyOrder`, then sorted (by default: all sorted).
 * Keys whose value is undefined are left out; like `JSON.stringify`, undefined itself gives undefined.
 */
export function canonicalJson(value: unknown, keyOrder: KeyOrder = SORTED): string {
  return JSON.stringify(reorder(value, "", keyOrder));
}

/** Equal as JSON values: the same canonical text. */
export const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

function reorder(value: unknown, parentKey: string, keyOrder: KeyOrder): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, parentKey, keyOrder));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const first = keyOrder(parentKey).filter((key) =>
    Object.prototype.hasOwnProperty.call(record, key),
  );
  const rest = Object.keys(record)
    .filter((key) => !first.includes(key))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...first, ...rest]) {
    if (record[key] !== undefined) out[key] = reorder(record[key], key, keyOrder);
  }
  return out;
}
