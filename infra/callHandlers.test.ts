import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { awsMocks as mocks, MOCK_ACCOUNT as ACCOUNT } from "./awsMocks";
import { CallHandlers, HttpApi, type HandlerRoute } from "./callHandlers";

const REGION = "eu-west-2";
const SIG = pulumi.runtime.specialSigKey;
const TOKEN = "0123456789abcdef0123456789abcdef";

const ROUTES: HandlerRoute[] = [
  { name: "incomingCall", method: "POST", path: "/incoming-call" },
  { name: "holdMusic", method: "GET", path: "/hold-music" },
  { name: "assignment", method: "POST", path: "/assignment" },
];

type Registered = pulumi.runtime.MockResourceArgs;

/** An AssetArchive of FileAssets as `{ name in the zip: file path }`. */
async function archiveFiles(archive: unknown): Promise<Record<string, string>> {
  assert.ok(archive instanceof pulumi.asset.AssetArchive);
  const out: Record<string, string> = {};
  for (const [name, asset] of Object.entries(await archive.assets)) {
    assert.ok(asset instanceof pulumi.asset.FileAsset, `${name} is a FileAsset`);
    out[name] = await asset.path;
  }
  return out;
}

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const settled = (resources: pulumi.Resource[]) => Promise.all(resources.map((r) => value(r.urn)));

describe("CallHandlers (AWS wiring, mocked)", () => {
  const registered: Registered[] = [];
  let handlers: CallHandlers;
  let http: HttpApi;
  const of = (type: string) => registered.filter((r) => r.type === type);
  const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `${type} ${name} registered ${found.length} times`);
    return found[0].inputs as Record<string, unknown>;
  };

  before(async () => {
    await pulumi.runtime.setMocks(mocks(REGION, registered), "contact-centre", "dev", false);
    http = new HttpApi("api");
    handlers = new CallHandlers("handlers", {
      api: http,
      routes: ROUTES,
      bundleDir: Promise.resolve("dist/functions"),
      namePrefix: "contact-centre-dev",
      runtime: "nodejs22.x",
      logRetentionDays: 30,
      authToken: pulumi.secret(TOKEN),
      environment: { WORKSPACE_SID: pulumi.output("WS0123"), CONTACT_CENTRE_STACK: "dev" },
    });
    await settled([
      handlers,
      handlers.role,
      handlers.authTokenParameter,
      handlers.stage,
      ...Object.values(handlers.functions),
      ...Object.values(handlers.logGroups),
      ...Object.values(handlers.integrations),
      ...Object.values(handlers.routes),
      ...Object.values(handlers.permissions),
    ]);
    await value(handlers.handlerUrls);
  });

  it("registers exactly the API, role, policies, parameter, and per route a log group, function, integration, route and permission, then one stage", () => {
    const perRoute = (type: string) => ROUTES.map((r) => `${type} handlers-${r.name}`);
    assert.deepEqual(
      registered.map((r) => `${r.type} ${r.name}`).sort(),
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
        "contact-centre:aws:CallHandlers handlers",
        "contact-centre:aws:HttpApi api",
      ].sort(),
    );
  });

  it("creates an HTTP API and a $default stage that deploys automatically", () => {
    assert.deepEqual(one("aws:apigatewayv2/api:Api", "api"), { protocolType: "HTTP" });
    assert.deepEqual(one("aws:apigatewayv2/stage:Stage", "handlers-default"), {
      apiId: "api-id",
      name: "$default",
      autoDeploy: true,
    });
  });

  it("routes each method and path to its own AWS_PROXY integration with payload format 2.0", () => {
    for (const [route, key] of [
      ["incomingCall", "POST /incoming-call"],
      ["holdMusic", "GET /hold-music"],
      ["assignment", "POST /assignment"],
    ]) {
      assert.deepEqual(one("aws:apigatewayv2/route:Route", `handlers-${route}`), {
        apiId: "api-id",
        routeKey: key,
        target: `integrations/handlers-${route}-id`,
      });
      assert.deepEqual(one("aws:apigatewayv2/integration:Integration", `handlers-${route}`), {
        apiId: "api-id",
        integrationType: "AWS_PROXY",
        integrationUri: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:contact-centre-dev-${route}`,
        integrationMethod: "POST",
        payloadFormatVersion: "2.0",
      });
    }
  });

  it("lets API Gateway invoke each function only through its own route", () => {
    const arn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:api-id`;
    assert.deepEqual(
      of("aws:lambda/permission:Permission").map((p) => [p.name, p.inputs]),
      [
        ["handlers-incomingCall", `${arn}/*/POST/incoming-call`],
        ["handlers-holdMusic", `${arn}/*/GET/hold-music`],
        ["handlers-assignment", `${arn}/*/POST/assignment`],
      ].map(([name, sourceArn]) => [
        name,
        {
          action: "lambda:InvokeFunction",
          principal: "apigateway.amazonaws.com",
          function: `contact-centre-dev-${name.slice("handlers-".length)}`,
          sourceArn,
        },
      ]),
    );
  });

  it("creates one function per route from its bundle with the configured runtime, 256 MB and 10 s", async () => {
    for (const route of ROUTES) {
      const fn = one("aws:lambda/function:Function", `handlers-${route.name}`);
      const { environment, code, ...rest } = fn;
      assert.deepEqual(rest, {
        name: `contact-centre-dev-${route.name}`,
        description: `${route.method} ${route.path}`,
        role: `arn:aws:iam::${ACCOUNT}:role/handlers-role-1a2b3c`,
        runtime: "nodejs22.x",
        handler: "index.handler",
        architectures: ["arm64"],
        memorySize: 256,
        timeout: 10,
      });
      assert.deepEqual(await archiveFiles(code), { "index.js": `dist/functions/${route.name}.js` });
      assert.ok(environment !== undefined);
    }
  });

  it("gives every function the handler environment plus the public base URL and the token's parameter name, never the token", () => {
    for (const route of ROUTES) {
      const fn = one("aws:lambda/function:Function", `handlers-${route.name}`);
      assert.deepEqual(fn.environment, {
        variables: {
          WORKSPACE_SID: "WS0123",
          CONTACT_CENTRE_STACK: "dev",
          PUBLIC_BASE_URL: `https://api-id.execute-api.${REGION}.amazonaws.com`,
          TWILIO_AUTH_TOKEN_PARAMETER: "/contact-centre-dev/twilio-auth-token",
        },
      });
      assert.equal(JSON.stringify(fn).includes(TOKEN), false);
    }
  });

  it("stores the auth token as a secret SecureString parameter", () => {
    assert.deepEqual(one("aws:ssm/parameter:Parameter", "handlers-auth-token"), {
      name: "/contact-centre-dev/twilio-auth-token",
      description: "Twilio account auth token: the handlers validate X-Twilio-Signature with it",
      type: "SecureString",
      value: { [SIG]: pulumi.runtime.specialSecretSig, value: TOKEN },
    });
  });

  it("lets the role be assumed by Lambda, write logs, and read exactly the one parameter", () => {
    assert.deepEqual(one("aws:iam/role:Role", "handlers-role"), {
      description: "Runs the contact-centre-dev call handlers",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    });
    assert.deepEqual(
      one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "handlers-basic-execution"),
      {
        role: "handlers-role-1a2b3c",
        policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      },
    );
    const inline = one("aws:iam/rolePolicy:RolePolicy", "handlers-read-auth-token");
    assert.equal(inline.role, "handlers-role-1a2b3c");
    assert.deepEqual(JSON.parse(inline.policy as string), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "ssm:GetParameter",
          Resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/contact-centre-dev/twilio-auth-token`,
        },
      ],
    });
  });

  it("creates each function's log group under /aws/lambda/<function name> with the retention", () => {
    assert.deepEqual(
      of("aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs),
      ROUTES.map((r) => ({
        name: `/aws/lambda/contact-centre-dev-${r.name}`,
        retentionInDays: 30,
      })),
    );
  });

  it("reports the API URL without a trailing slash and each handler's URL", async () => {
    const base = `https://api-id.execute-api.${REGION}.amazonaws.com`;
    assert.equal(await value(http.endpoint), base);
    assert.equal(await value(handlers.apiUrl), base);
    assert.deepEqual(await value(handlers.handlerUrls), {
      incomingCall: `${base}/incoming-call`,
      holdMusic: `${base}/hold-music`,
      assignment: `${base}/assignment`,
    });
  });
});

describe("CallHandlers runtime choice (mocked)", () => {
  const registered: Registered[] = [];

  before(async () => {
    await pulumi.runtime.setMocks(mocks(REGION, registered), "contact-centre", "staging", false);
    const handlers = new CallHandlers("h", {
      api: new HttpApi("api"),
      routes: ROUTES.slice(0, 1),
      bundleDir: "bundles",
      namePrefix: "contact-centre-staging",
      runtime: "nodejs24.x",
      logRetentionDays: 7,
      authToken: pulumi.secret(TOKEN),
      environment: {},
    });
    await settled([...Object.values(handlers.functions), ...Object.values(handlers.logGroups)]);
  });

  it("passes nodejs24.x, the retention and a plain bundle directory through", async () => {
    const fn = registered.find((r) => r.type === "aws:lambda/function:Function");
    const logs = registered.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(fn?.inputs.runtime, "nodejs24.x");
    assert.deepEqual(await archiveFiles(fn?.inputs.code), {
      "index.js": "bundles/incomingCall.js",
    });
    assert.deepEqual(logs?.inputs, {
      name: "/aws/lambda/contact-centre-staging-incomingCall",
      retentionInDays: 7,
    });
  });
});
