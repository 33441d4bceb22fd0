// What every TaskRouter resource class hands to Pulumi: its inputs and its `__provider` module.
import * as pulumi from "@pulumi/pulumi";
import { providerModule, type ResourceKind } from "./thin";

/**
 * A dynamic resource whose type token is `pulumi-nodejs:dynamic/twilio-taskrouter:<type>`, the token
 * `pulumi.dynamic.Resource` would give it, so the Node dynamic-provider host serves it. It extends
 * `CustomResource` only to set `__provider` to the module of thin.ts, which `dynamic.Resource` forbids.
 */
export abstract class TaskRouterResource<Outputs> extends pulumi.CustomResource {
  /**
   * `computed` names the outputs the provider fills in that are not args; they are passed as
   * `undefined` so Pulumi exposes them as (unknown until created) properties of the resource.
   */
  protected constructor(
    kind: ResourceKind,
    type: string,
    name: string,
    args: object,
    computed: readonly (keyof Outputs & string)[],
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const unknowns = Object.fromEntries(computed.map((output) => [output, undefined]));
    super(
      `pulumi-nodejs:dynamic/twilio-taskrouter:${type}`,
      name,
      { ...args, ...unknowns, __provider: providerModule(kind) },
      opts,
    );
  }
}

/** The ownership inputs every TaskRouter kind but WorkspaceActivities takes (docs/providers.md). */
export interface OwnershipInputs {
  /**
   * From the stack file's `adopt:`: an existing object with the declared name may be adopted, and on
   * destroy is restored and kept (`restore`) or deleted (`delete`). Absent: adoption is refused.
   */
  adopt?: "restore" | "delete";
  /** Set by the provider's check: the SID of someone else's object this resource adopts. */
  adopts?: string;
  /** Set by the provider's check: the SID of this stack's own object this resource takes back. */
  reuses?: string;
}

/** The ownership outputs every kind records. */
export interface OwnershipOutputs<Previous> extends OwnershipInputs {
  /** Someone else's object, adopted (never deleted unless `adopt: restore` was `delete`). */
  adopted: boolean;
  /** This stack's own object found by name (an interrupted up, a renamed key, a seeded activity). */
  reused?: boolean;
  /** An adopted object's settings before adoption, restored on destroy. */
  previous?: Previous;
  /** The Twilio account the object lives in (the account guard). */
  accountSid?: string;
}
