// Test support for the suites that run Pulumi under mocks (contactCentre.test.ts and
// infra/index.test.ts): the SID a mocked TaskRouter resource gets, derived from its name so that a
// test can predict every reference to it.
import { createHash } from "node:crypto";

/** Twilio's SID prefix per resource type; WorkspaceActivities has no SID of its own. */
const SID_PREFIX: Partial<Record<string, string>> = {
  Workspace: "WS",
  Activity: "WA",
  Worker: "WK",
  TaskQueue: "WQ",
  Workflow: "WW",
  PhoneNumberVoiceUrl: "PN",
};

/** The SID of the mocked `type` resource `name`: prefix + 32 hex digits; none for a type without. */
export function mockSid(type: string, name: string): string | undefined {
  const prefix = SID_PREFIX[type];
  return prefix === undefined ? undefined : prefix + createHash("md5").update(name).digest("hex");
}
