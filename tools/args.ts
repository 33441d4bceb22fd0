// How every command reads its arguments: node:util parseArgs (`--x=y` and `--x y` alike), with its
// refusals in one wording, quoted as typed: `unknown option "--x"`, `--x needs a value`,
// `--x takes no value`, `unexpected argument "y"`. Each command puts its usage after the reason.
//
// parseArgs runs non-strict and the tokens are checked here, because its strict mode refuses an
// option value that starts with a dash (`--seed -1`), which a command should see and judge itself;
// a value starting with `--` is still taken for a forgotten value (`--out --json`).
import { parseArgs } from "node:util";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface OptionSpec {
  type: "string" | "boolean";
  /** Repeatable: the values in order. */
  multiple?: boolean;
}

type ValueOf<S extends OptionSpec> = S extends { type: "boolean" }
  ? S extends { multiple: true }
    ? boolean[]
    : boolean
  : S extends { multiple: true }
    ? string[]
    : string;

export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: ValueOf<O[K]>;
};

export interface ParsedArgs<O extends Record<string, OptionSpec>> {
  values: OptionValues<O>;
  positionals: string[];
}

/**
 * Reads `argv` against `options` (long names without `--`). Positional arguments are refused
 * unless `positionals` is set; anything else wrong throws a UsageError naming the argument.
 */
export function parseCommandArgs<O extends Record<string, OptionSpec>>(
  argv: string[],
  options: O,
  { positionals: allowPositionals = false }: { positionals?: boolean } = {},
): ParsedArgs<O> {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional" && !allowPositionals) {
      throw new UsageError(`unexpected argument ${JSON.stringify(token.value)}`);
    }
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (option === undefined)
      throw new UsageError(`unknown option ${JSON.stringify(token.rawName)}`);
    if (option.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value`);
    }
    const missing =
      token.value === undefined ||
      token.value === "" ||
      (!token.inlineValue && token.value.startsWith("--"));
    if (option.type === "string" && missing) throw new UsageError(`${token.rawName} needs a value`);
  }
  return { values: { ...values } as OptionValues<O>, positionals };
}
