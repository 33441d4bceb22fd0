import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { measureSerializedProviders, serializedProviders } from ".";
import { stackConfig, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useProviders } from "./testing";

// The module loader the dynamic-provider process uses for `__provider` (cmd/dynamic-provider).
const requireFromString = createRequire(require.resolve("@pulumi/pulumi/package.json"))(
  "require-from-string",
) as (code: string) => { handler(): Record<string, (...args: unknown[]) => Promise<unknown>> };

describe("Serialized providers", () => {
  const fx = useProviders();
  let texts: Record<string, string>;
  before(async () => {
    texts = await serializedProviders();
  });

  it("serializes each resource type's provider in at most 4 KB", async () => {
    const sizes = await measureSerializedProviders();
    assert.deepEqual(Object.keys(sizes), [
      "Workspace",
      "Activity",
      "Worker",
      "TaskQueue",
      "Workflow",
      "WorkspaceActivities",
      "PhoneNumberVoiceUrl",
    ]);
    for (const [type, bytes] of Object.entries(sizes)) {
      assert.ok(bytes <= 4096, `${type}: ${bytes} bytes`);
      assert.equal(bytes, Buffer.byteLength(texts[type]));
    }
  });

  it("captures no credentials, no client and none of the implementation", () => {
    for (const [type, text] of Object.entries(texts)) {
      assert.equal(text.includes(TEST_AUTH_TOKEN), false, `${type} holds the auth token`);
      assert.equal(text.includes(TEST_ACCOUNT_SID), false, `${type} holds the account SID`);
      assert.equal(/require\("twilio"\)|createOrAdopt|RequestClient/.test(text), false, type);
      assert.match(text, /load\(path\.join\(root, "infra", "taskrouter", "providers", "impl"\)\)/);
    }
  });

  it("runs from its serialized text, loading the implementation from the project", async () => {
    const provider = requireFromString(texts.Workspace).handler();
    await provider.configure({
      config: stackConfig({
        "twilio:accountSid": TEST_ACCOUNT_SID,
        "twilio:authToken": TEST_AUTH_TOKEN,
        "twilio:apiBaseUrl": fx.emu.url,
      }),
    });
    const checked = (await provider.check({}, { friendlyName: "From state" })) as {
      inputs: unknown;
    };
    const created = (await provider.create(checked.inputs)) as { id: string };
    const fetched = await fx.client.taskrouter.v1.workspaces(created.id).fetch();
    assert.equal(fetched.friendlyName, "From state");
  });
});
