// The part of every provider that goes into state (`__provider`): a module of a few lines that loads
// the real implementation (providers/impl) from the project when the dynamic-provider process calls
// its `handler()`. Pulumi's dynamic-provider host runs any module text that exports `handler`
// (@pulumi/pulumi cmd/dynamic-provider: `requireFromString(props.__provider).handler()`), so the text
// is written here once instead of being serialized from a closure by `pulumi.dynamic.Resource`: about
// 0.08 KB instead of 3 KB, and it sits twice in state (inputs and outputs) for every resource.
// Because the module path is computed at run time, no implementation, client or secret is ever in
// state; a code fix applies to refresh and destroy at once (no stale code frozen in state,
// pulumi#6238); and a code change never shows as a diff on every resource (pulumi#9982).
import type * as Impl from "./impl";

export type ResourceKind = Exclude<
  keyof typeof Impl,
  "configure" | "resetForTests" | "providerFor"
>;

/**
 * The `__provider` module of one resource kind: one require of providers/load.js, which does the
 * rest, by the package name the project's package.json links it under in node_modules (found from
 * the project directory, the dynamic-provider process's working directory, upwards). 72–85 B; it
 * is stored twice per resource. The texts before (load.js by its path from the project root,
 * 124–137 B; ts-node registered inline, 313–326 B) keep working.
 */
export function providerModule(kind: ResourceKind): string {
  return `exports.handler=()=>require("contact-centre-providers/load")(${JSON.stringify(kind)});\n`;
}
