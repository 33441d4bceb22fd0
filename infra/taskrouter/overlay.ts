// Stack overlays: a stack file may `extends:` another (a path relative to itself) and override, add or
// remove entries. Pure: file reading is injected, so the loader, the tests and the providers share it.
//
// Merge rules (documented in docs/routing-definitions.md):
// - maps (objects) merge recursively, key by key; keys only in the base are kept, new keys are appended;
// - a `null` value removes that key from the result (and is never itself kept);
// - scalars and arrays replace the base value wholesale (so `workflow.filters` replaces the whole list);
// - chains are allowed (prod → dev → base); a cycle is an error naming the whole chain;
// - `extends` itself is never part of the merged result.
import * as path from "node:path";

type PlainObject = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is PlainObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Apply `overlay` on top of `base` by the rules above. Neither argument is modified. */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(overlay)) return overlay === null ? undefined : overlay;
  const result: PlainObject = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeOverlay(result[key], value);
    if (merged !== undefined) result[key] = merged;
  }
  return result;
}

/**
 * Where `overlay` removes (`null`) a key that `base` does not have: each such path, in document
 * order. `extends` is not an entry. A removal of nothing is a mistake (usually a misspelt name).
 */
export function missingRemovals(base: unknown, overlay: unknown, at: string[] = []): string[][] {
  if (!isPlainObject(overlay)) return [];
  const older = isPlainObject(base) ? base : {};
  const found: string[][] = [];
  for (const [key, value] of Object.entries(overlay)) {
    if (at.length === 0 && key === "extends") continue;
    if (value === null && !Object.prototype.hasOwnProperty.call(older, key))
      found.push([...at, key]);
    else if (isPlainObject(value)) found.push(...missingRemovals(older[key], value, [...at, key]));
  }
  return found;
}

/**
 * Merge a chain of documents given base first. The base is taken as written (a `null` in a stack that
 * extends nothing stays, so the schema reports it); every later layer is applied with `mergeOverlay`.
 * `extends` is dropped from every layer.
 */
export function mergeLayers(layers: unknown[]): unknown {
  const strip = (data: unknown): unknown => {
    if (!isPlainObject(data)) return data;
    const { extends: _ignored, ...rest } = data;
    return rest;
  };
  let result: unknown = undefined;
  layers.forEach((layer, index) => {
    result = index === 0 ? strip(layer) : mergeOverlay(result, strip(layer));
  });
  return result;
}

/** The file an `extends:` value names, relative to the file that contains it. */
export function resolveExtends(fromFile: string, ref: string): string {
  return path.normalize(path.join(path.dirname(fromFile), ref));
}

/** What the chain walker needs from one loaded file: its data (for `extends`). */
export interface ChainLayer {
  file: string;
  data: unknown;
}

/** A problem with the chain itself; it belongs to `file`, at its `extends` value. */
export interface ChainProblem {
  file: string;
  message: string;
}

/**
 * Follow `extends` from `file`. `load` reads and parses one file: it returns undefined when the file
 * could not be parsed (the caller reports why) and throws when it cannot be read. The first file's
 * read error propagates; later ones become a problem at the `extends` that names them.
 * Returns the layers most derived first, and at most one chain problem (which ends the walk).
 */
export function collectChain<T extends ChainLayer>(
  file: string,
  load: (file: string) => T | undefined,
): { layers: T[]; problem?: ChainProblem } {
  const layers: T[] = [];
  const seen = [file];
  let layer = load(file);
  while (layer !== undefined) {
    layers.push(layer);
    const ref = isPlainObject(layer.data) ? layer.data.extends : undefined;
    if (typeof ref !== "string") break; // a non-string `extends` is left to the schema
    const next = resolveExtends(layer.file, ref);
    if (seen.includes(next)) {
      return {
        layers,
        problem: { file: layer.file, message: `extends cycle: ${[...seen, next].join(" → ")}` },
      };
    }
    seen.push(next);
    const from = layer.file;
    try {
      layer = load(next);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { layers, problem: { file: from, message: `cannot read "${next}": ${reason}` } };
    }
  }
  return { layers };
}

/**
 * The JSON Schema of an overlay file, derived from the full one so editors can check `extends` files:
 * no map property is required and any may be `null` (a removal); list items stay complete because a
 * list replaces the base list wholesale.
 */
export function overlaySchema(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  const out: Record<string, unknown> = { ...schema };
  delete out.required;
  const nullable = (property: unknown): unknown => {
    const inner = overlaySchema(property);
    const { description, ...rest } = isPlainObject(inner) ? inner : {};
    return {
      ...(description !== undefined && { description }),
      anyOf: [rest, { type: "null" }],
    };
  };
  for (const key of ["properties", "patternProperties"]) {
    const map = schema[key];
    if (isPlainObject(map)) {
      out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, nullable(v)]));
    }
  }
  return out;
}
