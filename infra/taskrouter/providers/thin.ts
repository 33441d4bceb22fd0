// The part of every provider that Pulumi serializes into state (`__provider`): a few lines that load
// the real implementation (providers/impl) from the project when a method runs. The module path is
// computed at run time, so the closure serializer never follows it and never captures the
// implementation, a client or a secret. Consequences: state stays small (two copies per resource);
// a code fix applies to refresh and destroy at once (no stale code frozen in state, pulumi#6238);
// and a code change never shows as a diff on every resource (pulumi#9982).
import type * as pulumi from "@pulumi/pulumi";
import type * as Impl from "./impl";

export type ResourceKind = Exclude<keyof typeof Impl, "configure" | "resetForTests">;

type Inputs<K extends ResourceKind> = Parameters<(typeof Impl)[K]["create"]>[0];
type Outputs<K extends ResourceKind> = Awaited<ReturnType<(typeof Impl)[K]["create"]>>["outs"];

/** The project root: where the Pulumi program runs (the dynamic provider's cwd), or an override. */
function loadImpl(): typeof Impl {
  const path = require("path");
  const root = process.env.CONTACT_CENTRE_ROOT ?? process.cwd();
  const load = require("module").createRequire(path.join(root, "package.json"));
  const host = process as unknown as Record<symbol, unknown>;
  if (!host[Symbol.for("ts-node.register.instance")]) {
    load("ts-node").register({ transpileOnly: true, projectSearchDir: root });
  }
  return load(path.join(root, "infra", "taskrouter", "providers", "impl"));
}

/** One provider object per resource kind (Pulumi caches serialization by object identity). */
export function thinProvider<K extends ResourceKind>(
  kind: K,
): pulumi.dynamic.ResourceProvider<Inputs<K>, Outputs<K>> {
  // Each method forwards to the implementation of the same name; `any` because the seven kinds'
  // signatures differ only in their Inputs/Outputs types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const impl = (): any => loadImpl()[kind];
  return {
    configure: async (req) => loadImpl().configure(req.config),
    check: async (olds, news) => impl().check(olds, news),
    diff: async (id, olds, news) => impl().diff(id, olds, news),
    create: async (inputs) => impl().create(inputs),
    read: async (id, props) => impl().read(id, props),
    update: async (id, olds, news) => impl().update(id, olds, news),
    delete: async (id, props) => impl().delete(id, props),
  };
}
