// `npm run schema [-- --check]`: write the JSON Schemas editors use — stacks/schema.json for
// stacks/*.yaml, from the TypeBox model (the one source of the TypeScript types as well), and
// stacks/scenarios/schema.json for the simulator's scenario files, from tools/simulate/scenario.ts.
// `--check` only compares, for CI: exit 1 when a committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { StackSpec } from "../../infra/taskrouter/model";
import { overlaySchema } from "../../infra/taskrouter/overlay";
import { scenarioSchemaJson } from "../simulate/scenario";
import { parseCommandArgs } from "../args";

/** As shown in messages; the file itself is found from this module, whatever the working directory. */
export const SCHEMA_FILE = "stacks/schema.json";
export const SCENARIO_SCHEMA_FILE = "stacks/scenarios/schema.json";
const ROOT = path.join(__dirname, "..", "..");

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

/** The scenario files' schema, as editors read it. */
export function renderScenarioSchema(): string {
  const { $id, ...scenario } = scenarioSchemaJson() as Record<string, unknown>;
  const document = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id,
    title: "What-if scenario (stacks/scenarios/<name>.yaml)",
    description: "Generated from tools/simulate/scenario.ts by `npm run schema`; do not edit.",
    ...scenario,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const SCHEMAS = [
  { file: SCHEMA_FILE, source: "infra/taskrouter/model.ts", render: renderStackSchema },
  {
    file: SCENARIO_SCHEMA_FILE,
    source: "tools/simulate/scenario.ts",
    render: renderScenarioSchema,
  },
];

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
  let stale = false;
  for (const { file, source, render } of SCHEMAS) {
    const expected = render();
    const target = path.join(ROOT, file);
    const actual = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    if (actual === expected) out.write(`${file}: ${check ? "up to date" : "unchanged"}\n`);
    else if (check) {
      stale = true;
      out.write(`${file} is out of date with ${source}; run \`npm run schema\`\n`);
    } else {
      fs.writeFileSync(target, expected);
      out.write(`${file}: written\n`);
    }
  }
  return stale ? 1 : 0;
}
