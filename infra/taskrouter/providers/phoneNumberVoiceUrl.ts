// The voice settings of a phone number the account already owns, found by E.164. It never buys or
// releases a number: create and update only change the voice URL, method and fallback; the values
// found are kept in the outputs and restored on delete.
import * as pulumi from "@pulumi/pulumi";
import { TaskRouterResource } from "./resource";

export interface PhoneNumberVoiceUrlArgs {
  /** The owned number, E.164 (e.g. +15555550100). A change replaces (restores the old number). */
  phoneNumber: pulumi.Input<string>;
  /** URL Twilio requests when a call comes in. */
  voiceUrl: pulumi.Input<string>;
  /** GET or POST. Default POST. */
  voiceMethod?: pulumi.Input<"GET" | "POST">;
  /** URL requested when the voice URL fails. Absent: left as it is. */
  voiceFallbackUrl?: pulumi.Input<string>;
  /** GET or POST. Default POST when a fallback URL is given. */
  voiceFallbackMethod?: pulumi.Input<"GET" | "POST">;
}

export interface PhoneNumberVoiceUrlInputs {
  phoneNumber: string;
  voiceUrl: string;
  voiceMethod: "GET" | "POST";
  voiceFallbackUrl?: string;
  voiceFallbackMethod?: "GET" | "POST";
}

export interface PhoneNumberVoiceUrlOutputs extends PhoneNumberVoiceUrlInputs {
  /** The number's SID (PN…). */
  sid: string;
  /** The settings found before the first change; restored on delete. */
  previousVoiceUrl: string;
  previousVoiceMethod: string;
  previousVoiceFallbackUrl: string;
  previousVoiceFallbackMethod: string;
}

export class PhoneNumberVoiceUrl extends TaskRouterResource<PhoneNumberVoiceUrlOutputs> {
  declare readonly sid: pulumi.Output<string>;
  declare readonly phoneNumber: pulumi.Output<string>;
  declare readonly voiceUrl: pulumi.Output<string>;
  declare readonly voiceMethod: pulumi.Output<"GET" | "POST">;
  declare readonly voiceFallbackUrl: pulumi.Output<string | undefined>;
  declare readonly voiceFallbackMethod: pulumi.Output<"GET" | "POST" | undefined>;
  declare readonly previousVoiceUrl: pulumi.Output<string>;
  declare readonly previousVoiceMethod: pulumi.Output<string>;
  declare readonly previousVoiceFallbackUrl: pulumi.Output<string>;
  declare readonly previousVoiceFallbackMethod: pulumi.Output<string>;

  constructor(name: string, args: PhoneNumberVoiceUrlArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "phoneNumberVoiceUrl",
      "PhoneNumberVoiceUrl",
      name,
      args,
      [
        "sid",
        "previousVoiceUrl",
        "previousVoiceMethod",
        "previousVoiceFallbackUrl",
        "previousVoiceFallbackMethod",
      ],
      opts,
    );
  }
}
