// The program under mocks: the wiring between the Twilio objects and the AWS handlers, the local
// switch, and stopping before anything is created when config or routing is wrong. The program is a
// function, so each suite sets its own mocks and config (process-global) and runs it again.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { awsMocks, MOCK_ACCOUNT as ACCOUNT } from "./awsMocks";
import { ivrMenuFromPhone } from "./functions/config";
import { callFlowFromSpec } from "./taskrouter/callFlowSpec";
import { loadStack } from "./taskrouter/loadStack";
import { mockSid } from "./taskrouter/twilioMocks";
import * as policy from "../policy/rules";

const REGION = "us-east-1";
const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const DYNAMIC = "pulumi-nodejs:dynamic/twilio-taskrouter:";
const API = `https://api-id.execute-api.${REGION}.amazonaws.com`;
const ROUTE_NAMES = [
  "incomingCall",
  "enqueueCall",
  "holdMusic",
  "queueResult",
  "exitChoice",
  "voicemail",
  "voicemailRecorded",
  "callback",
  "assignment",
  "dialBack",
  "agentLegStatus",
  "events",
];

type Registered = pulumi.runtime.MockResourceArgs;

/** Twilio objects get a fake SID; AWS resources get what awsMocks computes. */
const mocks = (registered: Registered[]) =>
  awsMocks(REGION, registered, (args) => {
    if (!args.type.startsWith(DYNAMIC)) return undefined;
    const sid = mockSid(args.type.slice(DYNAMIC.length), args.name);
    return { id: sid ?? `${args.name}-id`, state: { ...args.inputs, ...(sid && { sid }) } };
  });

const value = <T>(o: pulumi.Input<T>) =>
  new Promise<T>((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));

/**
 * Waits until every registration the program started has reached the mocks: the SDK's own RPC drain
 * (internal, what `disconnect` uses), since the program does not hand back every resource.
 */
const settle = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

interface Run {
  registered: Registered[];
  outputs?: Record<string, unknown>;
  error?: Error;
  built: number;
}

/** Runs the program as stack `stack` with this config; never builds real bundles. */
async function run(stack: string, config: Record<string, string>): Promise<Run> {
  const result: Run = { registered: [], built: 0 };
  await pulumi.runtime.setMocks(mocks(result.registered), "contact-centre", stack, false);
  pulumi.runtime.setAllConfig(config, "twilio:authToken" in config ? ["twilio:authToken"] : []);
  const { default: program } = await import("./index");
  try {
    const outputs = await program({
      buildBundles: async () => {
        result.built++;
        return "dist/functions";
      },
    });
    result.outputs = {};
    for (const [k, v] of Object.entries(outputs)) result.outputs[k] = await value(v as never);
  } catch (err) {
    result.error = err as Error;
  }
  await settle();
  return result;
}

const awsConfig = {
  "twilio:accountSid": ACCOUNT_SID,
  "twilio:authToken": TOKEN,
  "aws:region": REGION,
  "contact-centre:webhookHost": "aws",
};

describe("infra/index.ts (the program, mocked)", () => {
  // Config is process-global: leave it as other suites found it.
  let saved: Record<string, string>;
  before(() => {
    saved = pulumi.runtime.allConfig();
  });
  after(() => pulumi.runtime.setAllConfig(saved));

  describe("the program on an AWS stack (dev, mocked)", () => {
    let r: Run;
    const ofType = (type: string) => r.registered.filter((x) => x.type === type);
    const dynamic = (kind: string) => ofType(DYNAMIC + kind);
    const devSpec = loadStack("stacks/dev.yaml").spec;

    before(async () => {
      r = await run("dev", awsConfig);
      assert.equal(r.error, undefined, r.error?.message);
    });

    it("creates exactly the HTTP API, role, policies, parameter, one stage and per handler a log group, function, integration, route and permission", () => {
      const perRoute = (type: string) => ROUTE_NAMES.map((n) => `${type} handlers-${n}`);
      assert.deepEqual(
        r.registered
          .filter((x) => x.type.startsWith("aws:"))
          .map((x) => `${x.type} ${x.name}`)
          .sort(),
        [
          "aws:apigatewayv2/api:Api api",
          ...perRoute("aws:apigatewayv2/integration:Integration"),
          ...perRoute("aws:apigatewayv2/route:Route"),
          "aws:apigatewayv2/stage:Stage handlers-default",
          ...perRoute("aws:cloudwatch/logGroup:LogGroup"),
          "aws:iam/role:Role handlers-role",
          "aws:iam/rolePolicy:RolePolicy handlers-read-auth-token",
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment handlers-basic-execution",
          ...perRoute("aws:lambda/function:Function"),
          ...perRoute("aws:lambda/permission:Permission"),
          "aws:ssm/parameter:Parameter handlers-auth-token",
        ].sort(),
      );
      assert.equal(r.built, 1, "the bundles are built once, before the archives");
    });

    it("routes the twelve webhooks with AWS_PROXY, payload 2.0, and scoped invoke permissions", () => {
      const expected = [
        ["incomingCall", "POST", "/incoming-call"],
        ["enqueueCall", "POST", "/enqueue-call"],
        ["holdMusic", "GET", "/hold-music"],
        ["queueResult", "POST", "/queue-result"],
        ["exitChoice", "POST", "/exit-choice"],
        ["voicemail", "POST", "/voicemail"],
        ["voicemailRecorded", "POST", "/voicemail-recorded"],
        ["callback", "POST", "/callback"],
        ["assignment", "POST", "/assignment"],
        ["dialBack", "POST", "/dial-back"],
        ["agentLegStatus", "GET", "/agent-leg-status"],
        ["events", "POST", "/events"],
      ];
      assert.deepEqual(
        ofType("aws:apigatewayv2/route:Route").map((x) => [
          x.name,
          x.inputs.routeKey,
          x.inputs.target,
        ]),
        expected.map(([n, m, p]) => [
          `handlers-${n}`,
          `${m} ${p}`,
          `integrations/handlers-${n}-id`,
        ]),
      );
      assert.deepEqual(
        ofType("aws:apigatewayv2/integration:Integration").map((x) => x.inputs),
        expected.map(([n]) => ({
          apiId: "api-id",
          integrationType: "AWS_PROXY",
          integrationUri: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:contact-centre-dev-${n}`,
          integrationMethod: "POST",
          payloadFormatVersion: "2.0",
        })),
      );
      assert.deepEqual(
        ofType("aws:lambda/permission:Permission").map((x) => [
          x.inputs.function,
          x.inputs.sourceArn,
        ]),
        expected.map(([n, m, p]) => [
          `contact-centre-dev-${n}`,
          `arn:aws:execute-api:${REGION}:${ACCOUNT}:api-id/*/${m}${p}`,
        ]),
      );
    });

    it("wires the API endpoint into the workflow, the workspace and the phone number", () => {
      const [workspace] = dynamic("Workspace");
      const [workflow] = dynamic("Workflow");
      const [phone] = dynamic("PhoneNumberVoiceUrl");
      assert.equal(workflow.inputs.assignmentCallbackUrl, `${API}/assignment`);
      assert.equal(workspace.inputs.eventCallbackUrl, `${API}/events`);
      assert.equal(phone.inputs.voiceUrl, `${API}/incoming-call`);
    });

    it("gives every Lambda the SIDs, the number, the menu, the base URL and the token's parameter name on the configured runtime", () => {
      const sidOf = (kind: string, pick: (x: Registered) => boolean = () => true) => {
        const found = dynamic(kind).filter(pick);
        assert.equal(found.length, 1, `${kind}: ${found.length} matches`);
        return mockSid(kind, found[0].name);
      };
      const env = {
        WORKSPACE_SID: sidOf("Workspace"),
        WORKFLOW_SID: sidOf("Workflow"),
        WRAP_UP_ACTIVITY_SID: sidOf("Activity", (x) => x.inputs.friendlyName === "Wrap-Up"),
        CENTRE_NUMBER: "+15555550100",
        IVR_MENU: JSON.stringify(ivrMenuFromPhone(devSpec.phone)),
        CALL_FLOW: JSON.stringify(callFlowFromSpec(devSpec)),
        TWILIO_SIGNATURE_VALIDATION: "on",
        CONTACT_CENTRE_STACK: "dev",
        PUBLIC_BASE_URL: API,
        TWILIO_AUTH_TOKEN_PARAMETER: "/contact-centre-dev/twilio-auth-token",
      };
      const functions = ofType("aws:lambda/function:Function");
      assert.equal(functions.length, 12);
      for (const fn of functions) {
        assert.deepEqual(fn.inputs.environment, { variables: env }, fn.name);
        assert.equal(fn.inputs.runtime, "nodejs22.x");
        assert.equal(fn.inputs.handler, "index.handler");
      }
    });

    it("keeps the auth token out of every Lambda and stores it only as a secret SecureString", () => {
      for (const fn of ofType("aws:lambda/function:Function")) {
        assert.equal(JSON.stringify(fn.inputs).includes(TOKEN), false, fn.name);
        assert.equal("TWILIO_AUTH_TOKEN" in fn.inputs.environment.variables, false);
      }
      const [parameter] = ofType("aws:ssm/parameter:Parameter");
      assert.equal(parameter.inputs.type, "SecureString");
      assert.deepEqual(parameter.inputs.value, {
        [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
        value: TOKEN,
      });
    });

    it("passes the policy pack's AWS rules on what it registers (what the analyzer is sent)", () => {
      const found: string[] = [];
      for (const { type, name, inputs } of r.registered) {
        if (type === policy.LAMBDA_FUNCTION) {
          found.push(
            ...policy.unsupportedRuntime(name, inputs, policy.DEFAULT_BOUNDS, "dev"),
            ...policy.tokenOutsideSsm(name, inputs),
            ...policy.signatureValidationOff(name, inputs, "dev"),
          );
        } else if (type === policy.LOG_GROUP) {
          found.push(...policy.badLogRetention(name, inputs, policy.DEFAULT_BOUNDS, "dev"));
        } else if (type === policy.SSM_PARAMETER) {
          found.push(...policy.plainTokenParameter(name, inputs));
        }
      }
      assert.deepEqual(found, []);
      // Every kind the rules look at was registered: 12 functions, 12 log groups, 1 parameter.
      const checked = r.registered.filter((x) =>
        [policy.LAMBDA_FUNCTION, policy.LOG_GROUP, policy.SSM_PARAMETER].includes(x.type),
      );
      assert.equal(checked.length, 25);
    });

    it("exports the number, the API URL, each handler URL and the workspace and workflow SIDs", () => {
      assert.deepEqual(r.outputs, {
        phoneNumber: "+15555550100",
        apiUrl: API,
        handlerUrls: {
          incomingCall: `${API}/incoming-call`,
          enqueueCall: `${API}/enqueue-call`,
          holdMusic: `${API}/hold-music`,
          queueResult: `${API}/queue-result`,
          exitChoice: `${API}/exit-choice`,
          voicemail: `${API}/voicemail`,
          voicemailRecorded: `${API}/voicemail-recorded`,
          callback: `${API}/callback`,
          assignment: `${API}/assignment`,
          dialBack: `${API}/dial-back`,
          agentLegStatus: `${API}/agent-leg-status`,
          events: `${API}/events`,
        },
        workspaceSid: mockSid("Workspace", dynamic("Workspace")[0].name),
        workflowSid: mockSid("Workflow", dynamic("Workflow")[0].name),
      });
    });
  });

  describe("the program with nodejs24.x and another routing file (mocked)", () => {
    it("passes the runtime and the retention to every function and log group", async () => {
      const r = await run("staging", {
        ...awsConfig,
        "contact-centre:routingFile": "stacks/prod.yaml",
        "contact-centre:lambdaRuntime": "nodejs24.x",
        "contact-centre:logRetentionDays": "30",
      });
      assert.equal(r.error, undefined, r.error?.message);
      const fns = r.registered.filter((x) => x.type === "aws:lambda/function:Function");
      assert.deepEqual(
        fns.map((f) => [f.inputs.name, f.inputs.runtime]),
        ROUTE_NAMES.map((n) => [`contact-centre-staging-${n}`, "nodejs24.x"]),
      );
      assert.deepEqual(
        r.registered
          .filter((x) => x.type === "aws:cloudwatch/logGroup:LogGroup")
          .map((g) => g.inputs.retentionInDays),
        ROUTE_NAMES.map(() => 30),
      );
      assert.equal(r.outputs?.phoneNumber, "+15555550199");
    });
  });

  describe("the program on the local stack (mocked)", () => {
    const BASE = "http://127.0.0.1:3999";
    let r: Run;

    before(async () => {
      r = await run("local", {
        "twilio:accountSid": "AC00000000000000000000000000000000",
        "twilio:authToken": "emulator-dev-auth-token",
        "twilio:apiBaseUrl": "http://127.0.0.1:4010",
        "contact-centre:webhookHost": "local",
        "contact-centre:routingFile": "stacks/local.yaml",
        "contact-centre:localWebhookBaseUrl": `${BASE}/`,
      });
      assert.equal(r.error, undefined, r.error?.message);
    });

    it("creates no AWS resource and builds no bundle: only the contact centre and its Twilio objects", () => {
      assert.deepEqual([...new Set(r.registered.map((x) => x.type))].sort(), [
        "contact-centre:taskrouter:ContactCentre",
        `${DYNAMIC}Activity`,
        `${DYNAMIC}PhoneNumberVoiceUrl`,
        `${DYNAMIC}TaskQueue`,
        `${DYNAMIC}Worker`,
        `${DYNAMIC}Workflow`,
        `${DYNAMIC}Workspace`,
        `${DYNAMIC}WorkspaceActivities`,
      ]);
      assert.equal(r.built, 0);
    });

    it("points Twilio at the local webhook host", () => {
      const input = (kind: string, key: string) =>
        r.registered.find((x) => x.type === DYNAMIC + kind)?.inputs[key];
      assert.equal(input("Workflow", "assignmentCallbackUrl"), `${BASE}/assignment`);
      assert.equal(input("Workspace", "eventCallbackUrl"), `${BASE}/events`);
      assert.equal(input("PhoneNumberVoiceUrl", "voiceUrl"), `${BASE}/incoming-call`);
    });

    it("exports the local URLs as the API URL and handler URLs", () => {
      assert.deepEqual(r.outputs, {
        phoneNumber: "+15555550100",
        apiUrl: BASE,
        handlerUrls: {
          incomingCall: `${BASE}/incoming-call`,
          enqueueCall: `${BASE}/enqueue-call`,
          holdMusic: `${BASE}/hold-music`,
          queueResult: `${BASE}/queue-result`,
          exitChoice: `${BASE}/exit-choice`,
          voicemail: `${BASE}/voicemail`,
          voicemailRecorded: `${BASE}/voicemail-recorded`,
          callback: `${BASE}/callback`,
          assignment: `${BASE}/assignment`,
          dialBack: `${BASE}/dial-back`,
          agentLegStatus: `${BASE}/agent-leg-status`,
          events: `${BASE}/events`,
        },
        workspaceSid: mockSid(
          "Workspace",
          r.registered.find((x) => x.type === `${DYNAMIC}Workspace`)!.name,
        ),
        workflowSid: mockSid(
          "Workflow",
          r.registered.find((x) => x.type === `${DYNAMIC}Workflow`)!.name,
        ),
      });
    });
  });

  describe("the program stops before creating anything (mocked)", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-test-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("fails with the loader's message when the routing definition is invalid", async () => {
      const file = path.join(dir, "broken.yaml");
      const text = fs
        .readFileSync("stacks/local.yaml", "utf8")
        .replace("defaultTarget:\n    queue: everyone", "defaultTarget:\n    queue: nobody");
      fs.writeFileSync(file, text);
      let expected = "";
      assert.throws(
        () => loadStack(file),
        (err: Error) => ((expected = err.message), true),
      );
      assert.match(expected, /nobody/);
      const r = await run("dev", { ...awsConfig, "contact-centre:routingFile": file });
      assert.ok(pulumi.RunError.isInstance(r.error));
      assert.equal(r.error?.message, expected);
      assert.deepEqual(r.registered, []);
      assert.equal(r.built, 0);
    });

    it("fails with the config message when the auth token is missing", async () => {
      const { "twilio:authToken": _, ...noToken } = awsConfig;
      const r = await run("dev", noToken);
      assert.equal(
        r.error?.message,
        'invalid configuration for stack "dev" (Pulumi.dev.yaml):\n' +
          "  - twilio:authToken is not set: run `pulumi config set --secret twilio:authToken` (it prompts for the token; never commit it in plaintext)",
      );
      assert.deepEqual(r.registered, []);
    });
  });
});
