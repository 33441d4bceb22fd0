// A stack file's YAML with node positions: parsing one file (size, syntax, alias and duplicate-key
// guards) into a layer, and finding where a path of the merged document was written across the
// layers of an overlay chain, so every problem names file, line and column. Pure: text in, no I/O.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
} from "yaml";
import type { Problem } from "./loadStack";
import { formatPath, type PathSegment } from "./validate";

/** One parsed file of an overlay chain. */
export interface Layer {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  data: unknown;
}

// ---------------------------------------------------------------------------------------------
// Positions

interface Position {
  file: string;
  line: number;
  column: number;
}

function positionOf(layer: Layer, node: YamlNode | null | undefined): Position {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = layer.lineCounter.linePos(offset);
  return { file: layer.file, line, column: col };
}

const keyText = (key: unknown): string =>
  isScalar(key) ? String(key.value) : String(key as string | number);

const isNullNode = (node: unknown): boolean =>
  node === null || node === undefined || (isScalar(node) && node.value === null);

/** One step down: the last pair with this key (as `toJS` keeps), or the item at this index. */
function step(
  node: unknown,
  segment: PathSegment,
): { key?: YamlNode; value: YamlNode | null } | undefined {
  if (isMap(node)) {
    let found: { key?: YamlNode; value: YamlNode | null } | undefined;
    for (const pair of node.items) {
      if (keyText(pair.key) === String(segment)) {
        found = { key: pair.key as YamlNode, value: (pair.value as YamlNode | null) ?? null };
      }
    }
    return found;
  }
  if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
    return { value: node.items[segment] as YamlNode };
  }
  return undefined;
}

/**
 * Where the merged value at `path` was written: follows the overlay rules through the layers (most
 * derived first) to the file that supplied it. Points at the value, or at its key when the value is
 * a collection or empty; when the path does not exist, at the key of the deepest part that does.
 */
export function locate(layers: Layer[], path: PathSegment[], atKey = false): Position {
  const base = layers[layers.length - 1];
  type Candidate = { layer: Layer; key?: YamlNode; node: YamlNode | null };
  let candidates: Candidate[] = layers.map((layer) => ({
    layer,
    node: layer.doc.contents as YamlNode | null,
  }));
  let best = candidates[0];
  let complete = true;
  for (const segment of path) {
    const next: Candidate[] = [];
    for (const candidate of candidates) {
      const found = step(candidate.node, segment);
      if (found === undefined) continue;
      // A null removes the entry from everything older, except in the base, where it is kept as written.
      if (isNullNode(found.value) && candidate.layer !== base) break;
      next.push({ layer: candidate.layer, key: found.key, node: found.value });
      if (!isMap(found.value)) break; // scalars and lists replace older values wholesale
    }
    if (next.length === 0) {
      complete = false;
      break;
    }
    candidates = next;
    best = next[0];
  }
  const pointAtKey =
    best.key !== undefined &&
    (atKey || !complete || isNullNode(best.node) || isMap(best.node) || isSeq(best.node));
  if (best.node === null && best.key === undefined)
    return { file: best.layer.file, line: 1, column: 1 };
  return positionOf(best.layer, pointAtKey ? best.key : best.node);
}

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * The largest stack file read, in bytes. Twilio is not the bound here (15,000 workers with their
 * skills fit in a few MB); it keeps a runaway file from being parsed into memory at all.
 */
export const STACK_FILE_MAX_BYTES = 16 * 1024 * 1024;
/** Alias expansions allowed when building the data (the `yaml` library's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

export function parseLayer(file: string, text: string, problems: Problem[]): Layer | undefined {
  if (text.length > STACK_FILE_MAX_BYTES) {
    problems.push({
      severity: "error",
      file,
      line: 1,
      column: 1,
      path: "",
      message: `the file is larger than ${STACK_FILE_MAX_BYTES} bytes`,
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicates are reported below with both positions, and 1 vs "1" counts too.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const layer: Layer = { file, doc, lineCounter, data: undefined };
  const at = (offset: number): Omit<Problem, "severity" | "path" | "message"> => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  for (const err of doc.errors) {
    problems.push({ severity: "error", ...at(err.pos[0]), path: "", message: err.message });
  }
  for (const warning of doc.warnings) {
    problems.push({
      severity: "warning",
      ...at(warning.pos[0]),
      path: "",
      message: warning.message,
    });
  }
  if (doc.errors.length > 0) return undefined;
  if (!aliasesResolve(layer, problems)) return undefined;
  reportDuplicateKeys(layer, doc.contents, [], problems);
  try {
    layer.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (err) {
    // The yaml library throws a ReferenceError when aliases expand too far (an alias bomb).
    if (!(err instanceof ReferenceError)) throw err;
    let first: YamlNode | undefined;
    visit(doc, { Alias: (_key, node) => ((first = node), visit.BREAK) });
    problems.push({
      severity: "error",
      ...positionOf(layer, first),
      path: "",
      message: `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions)`,
    });
    return undefined;
  }
  return layer;
}

/** Every alias (`*name`) names an anchor (`&name`) set before it; each one that does not is a problem. */
function aliasesResolve(layer: Layer, problems: Problem[]): boolean {
  let ok = true;
  visit(layer.doc, {
    Alias: (_key, node) => {
      if (node.resolve(layer.doc) !== undefined) return;
      ok = false;
      problems.push({
        severity: "error",
        ...positionOf(layer, node),
        path: "",
        message: `YAML alias *${node.source} has no anchor &${node.source} before it`,
      });
    },
  });
  return ok;
}

function reportDuplicateKeys(
  layer: Layer,
  node: unknown,
  path: PathSegment[],
  problems: Problem[],
): void {
  if (isMap(node)) {
    const first = new Map<string, YamlNode>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const earlier = first.get(key);
      if (earlier !== undefined) {
        problems.push({
          severity: "error",
          ...positionOf(layer, pair.key as YamlNode),
          path: formatPath([...path, key]),
          message: `duplicate key ${JSON.stringify(key)} (first at line ${positionOf(layer, earlier).line})`,
        });
      } else first.set(key, pair.key as YamlNode);
      reportDuplicateKeys(layer, pair.value, [...path, key], problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => reportDuplicateKeys(layer, item, [...path, i], problems));
  }
}
