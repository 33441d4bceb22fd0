import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { measureSerializedProviders, PROVIDER_BUDGET_BYTES, serializedProviders } from ".";
import * as impl from "./impl";
import { stackConfig, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useProviders } from "./testing";

// The module loader the dynamic-provider process uses for `__provider` (cmd/dynamic-provider).
const requireFromString = createRequire(require.resolve("@pulumi/pulumi/package.json"))(
  "require-from-string",
) as (code: string) => { handler(): Record<string, (...args: unknown[]) => Promise<unknown>> };

describe("Serialized providers", () => {
  const fx = useProviders();
  const texts = serializedProviders();

  it("stores each resource type's provider in at most 1 KB", () => {
    assert.equal(PROVIDER_BUDGET_BYTES, 1024);
    const sizes = measureSerializedProviders();
    assert.deepEqual(Object.keys(sizes), [
      "Workspace",
      "Activity",
      "Worker",
      "TaskQueue",
      "Workflow",
      "WorkspaceActivities",
      "PhoneNumberVoiceUrl",
      "TaskChannel",
      "TaskChannelCapacity",
    ]);
    for (const [type, bytes] of Object.entries(sizes)) {
      assert.ok(bytes <= PROVIDER_BUDGET_BYTES, `${type}: ${bytes} bytes`);
      assert.equal(bytes, Buffer.byteLength(texts[type]));
    }
  });

  it("captures no credentials, no client and none of the implementation", () => {
    for (const [type, text] of Object.entries(texts)) {
      assert.equal(text.includes(TEST_AUTH_TOKEN), false, `${type} holds the auth token`);
      assert.equal(text.includes(TEST_ACCOUNT_SID), false, `${type} holds the account SID`);
      assert.equal(/require\("twilio"\)|createOrAdopt|RequestClient/.test(text), false, type);
    }
    assert.equal(
      texts.Worker,
      'exports.handler=()=>require("contact-centre-providers/load")("worker");\n',
    );
    assert.equal(Buffer.byteLength(texts.Worker), 72);
  });

  /** Loads a `__provider` text as the dynamic-provider host does and creates a workspace with it. */
  async function createWorkspaceWith(providerText: string, friendlyName: string): Promise<string> {
    const provider = requireFromString(providerText).handler();
    await provider.configure({
      config: stackConfig({
        "twilio:accountSid": TEST_ACCOUNT_SID,
        "twilio:authToken": TEST_AUTH_TOKEN,
        "twilio:apiBaseUrl": fx.emu.url,
      }),
    });
    const checked = (await provider.check({}, { friendlyName })) as { inputs: unknown };
    const created = (await provider.create(checked.inputs)) as { id: string };
    return (await fx.client.taskrouter.v1.workspaces(created.id).fetch()).friendlyName;
  }

  it("runs from its text, loading the implementation from the project", async () => {
    assert.equal(await createWorkspaceWith(texts.Workspace, "From state"), "From state");
  });

  it("still runs the module that required load.js by its path from the project root, as states written before the package link store it", async () => {
    const before = fs.readFileSync(
      path.join(__dirname, "testdata", "thinProvider.rootPath.workspace.js.txt"),
      "utf8",
    );
    assert.match(
      before,
      /^exports\.handler=\(\)=>require\(\(process\.env\.CONTACT_CENTRE_ROOT\?\?process\.cwd\(\)\)\+"\/infra\/taskrouter\/providers\/load"\)\("workspace"\);\n$/,
    );
    assert.equal(
      await createWorkspaceWith(before, "From a 0.13 KB module"),
      "From a 0.13 KB module",
    );
  });

  it("still runs the one-line module that registered ts-node itself, as states written before load.js store it", async () => {
    const before = fs.readFileSync(
      path.join(__dirname, "testdata", "thinProvider.oneLine.workspace.js.txt"),
      "utf8",
    );
    assert.match(before, /^exports\.handler=\(\)=>\{const r=/);
    assert.equal(
      await createWorkspaceWith(before, "From a 0.31 KB module"),
      "From a 0.31 KB module",
    );
  });

  it("still runs the multi-line module states written before the one-line text stored", async () => {
    const before = fs.readFileSync(
      path.join(__dirname, "testdata", "thinProvider.before.workspace.js.txt"),
      "utf8",
    );
    assert.match(before, /^exports\.handler = \(\) => \{\n/);
    assert.equal(
      await createWorkspaceWith(before, "From a 0.42 KB module"),
      "From a 0.42 KB module",
    );
  });

  it("still runs a workspace's provider as states written before stored it (a serialized closure)", async () => {
    const closure = fs.readFileSync(
      path.join(__dirname, "testdata", "closureProvider.workspace.js.txt"),
      "utf8",
    );
    assert.match(closure, /^exports\.handler = __f0;/);
    assert.equal(await createWorkspaceWith(closure, "From an old state"), "From an old state");
  });

  it("lets no error out without being a ProviderError whose stack is its message, also an unanticipated one", async () => {
    const worker = impl.providerFor("worker");
    const config = (extra: Record<string, string>) =>
      stackConfig({
        "twilio:accountSid": TEST_ACCOUNT_SID,
        "twilio:authToken": TEST_AUTH_TOKEN,
        "twilio:apiBaseUrl": fx.emu.url,
        ...extra,
      });
    const noFrames = (expected: string) => (err: Error) => {
      assert.equal(err.name, "ProviderError");
      assert.equal(err.message, expected);
      assert.equal(err.stack, expected);
      assert.equal(`${err}`, "ProviderError");
      return true;
    };
    // A plain Error from the configuration (impl/state.ts) ...
    await assert.rejects(
      worker.configure!({ config: config({ "twilio:rateLimits": "{}x" }) } as never),
      noFrames(
        "the worker provider's configure: twilio:rateLimits must be a JSON object of requests per " +
          'second by Twilio resource key, e.g. {"default": 100, "Worker-Create": 200}; got "{}x", which is not JSON',
      ),
    );
    await worker.configure!({ config: config({}) } as never);
    // ... a TypeError no method anticipated (the engine never sends no properties) ...
    await assert.rejects(
      worker.read!("WK" + "0".repeat(32), undefined as never),
      noFrames(
        "the worker provider's read: TypeError: Cannot read properties of undefined (reading 'friendlyName')",
      ),
    );
    // ... and a ProviderError, passed on as it is.
    const ws = "WS" + "0".repeat(32);
    const wk = "WK" + "0".repeat(32);
    await assert.rejects(
      worker.update!(
        wk,
        {} as never,
        { workspaceSid: ws, friendlyName: "A", attributes: {} } as never,
      ),
      noFrames(
        'updating TaskRouter Worker "A": The requested resource /Workspaces/WS00000000000000000000000000000000 was not found [code 20404, status 404]',
      ),
    );
  });
});
