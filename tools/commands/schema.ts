// `npm run schema [-- --check]`: write stacks/schema.json, the JSON Schema editors use for
// stacks/*.yaml, from the TypeBox model (the one source of the TypeScript types as well).
// `--check` only compares, for CI: exit 1 when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { StackSpec } from "../../infra/taskrouter/model";
import { overlaySchema } from "../../infra/taskrouter/overlay";
import { parseCommandArgs } from "../args";

/** As shown in messages; the file itself is found from this module, whatever the working directory. */
export const SCHEMA_FILE = "stacks/schema.json";
const schemaPath = path.join(__dirname, "..", "..", SCHEMA_FILE);

/**
 * The editor schema: a file with `extends` is checked as an overlay (partial, nulls remove),
 * any other as a complete stack. The loader checks merged stacks against `StackSpec` itself.
 */
export function renderStackSchema(): string {
  const { $id, ...stack } = JSON.parse(JSON.stringify(StackSpec)) as Record<string, unknown>;
  const document = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id,
    title: "Routing definition (stacks/<stack>.yaml)",
    description:
      "Generated from infra/taskrouter/model.ts by `npm run schema`; do not edit. A file with `extends` is an overlay.",
    if: { required: ["extends"] },
    then: { $ref: "#/definitions/StackOverlay" },
    else: { $ref: "#/definitions/Stack" },
    definitions: { Stack: stack, StackOverlay: overlaySchema(stack) },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function run(
  argv: string[],
  out: { write(text: string): unknown } = process.stdout,
): Promise<number> {
  let check;
  try {
    check = parseCommandArgs(argv, { check: { type: "boolean" } }).values.check === true;
  } catch (err) {
    out.write(`${(err as Error).message}; usage: npm run schema [-- --check]\n`);
    return 2;
  }
  const expected = renderStackSchema();
  const actual = fs.existsSync(schemaPath) ? fs.readFileSync(schemaPath, "utf8") : undefined;
  if (check) {
    if (actual === expected) {
      out.write(`${SCHEMA_FILE}: up to date\n`);
      return 0;
    }
    out.write(
      `${SCHEMA_FILE} is out of date with infra/taskrouter/model.ts; run \`npm run schema\`\n`,
    );
    return 1;
  }
  if (actual === expected) {
    out.write(`${SCHEMA_FILE}: unchanged\n`);
    return 0;
  }
  fs.writeFileSync(schemaPath, expected);
  out.write(`${SCHEMA_FILE}: written\n`);
  return 0;
}
