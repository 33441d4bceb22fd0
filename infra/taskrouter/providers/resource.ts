// What every TaskRouter resource class hands to Pulumi besides its own provider. Not serialized: only
// the provider object (thin.ts) goes into state, so nothing here grows `__provider`.
import * as pulumi from "@pulumi/pulumi";

/** A dynamic resource whose type token is `twilio-taskrouter:<type>`. */
export abstract class TaskRouterResource<Outputs> extends pulumi.dynamic.Resource {
  /**
   * `computed` names the outputs the provider fills in that are not args; they are passed as
   * `undefined` so Pulumi exposes them as (unknown until created) properties of the resource.
   */
  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    type: string,
    name: string,
    args: object,
    computed: readonly (keyof Outputs & string)[],
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const unknowns = Object.fromEntries(computed.map((output) => [output, undefined]));
    super(provider, name, { ...args, ...unknowns }, opts, "twilio-taskrouter", type);
  }
}
