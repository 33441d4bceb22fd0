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
