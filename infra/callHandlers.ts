// The call handlers on AWS: an HTTP API (API Gateway v2) in front of one Lambda per route.
// Split in two components so the program can avoid a dependency cycle (see infra/index.ts):
//   HttpApi      — only the API, so its endpoint (the public base URL) exists before anything else;
//   CallHandlers — role, auth-token parameter, log groups, functions, integrations, routes,
//                  permissions and the $default stage, created once the Twilio SIDs are known.
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HANDLER_ENV } from "./functions/config";
import { routeKey } from "./functions/routes";

/** One handler: its bundle (`<bundleDir>/<name>.js`, exporting `handler`) and its HTTP route. */
export interface HandlerRoute {
  name: string;
  method: "GET" | "POST";
  path: string;
}

/** Lambda settings that are not the stack's choice: ample for a webhook that answers in milliseconds. */
export const FUNCTION_DEFAULTS = {
  memorySize: 256,
  timeout: 10,
  architectures: ["arm64"],
  handler: "index.handler",
} as const;

export interface HttpApiArgs {
  description?: string;
}

/** The HTTP API alone: created first, because every webhook URL hangs under its endpoint. */
export class HttpApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  /** `https://{id}.execute-api.{region}.amazonaws.com`: the public base URL, no trailing slash. */
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: HttpApiArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("contact-centre:aws:HttpApi", name, {}, opts);
    this.api = new aws.apigatewayv2.Api(
      name,
      {
        protocolType: "HTTP",
        ...(args.description === undefined ? {} : { description: args.description }),
      },
      { parent: this },
    );
    // The $default stage adds no path prefix, so the endpoint is the base URL Twilio signs.
    this.endpoint = this.api.apiEndpoint.apply((u) => u.replace(/\/+$/, ""));
    this.registerOutputs({ endpoint: this.endpoint });
  }
}

export interface CallHandlersArgs {
  /** The API created beforehand (HttpApi). */
  api: HttpApi;
  routes: readonly HandlerRoute[];
  /**
   * Directory of the esbuild bundles (`<name>.js` per route). A promise lets the program start the
   * build and have the archives wait for it.
   */
  bundleDir: string | Promise<string>;
  /** Prefix of the function names and of the auth-token parameter, e.g. `contact-centre-dev`. */
  namePrefix: string;
  runtime: "nodejs22.x" | "nodejs24.x";
  logRetentionDays: number;
  /** The Twilio account auth token (a secret); stored in SSM, never in a function's environment. */
  authToken: pulumi.Input<string>;
  /**
   * The handlers' environment except `PUBLIC_BASE_URL` and `TWILIO_AUTH_TOKEN_PARAMETER`, which
   * this component adds (the API endpoint and the parameter it creates).
   */
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The handlers behind the API: see the file header. */
export class CallHandlers extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly authTokenParameter: aws.ssm.Parameter;
  /** By route name. */
  readonly functions: Record<string, aws.lambda.Function> = {};
  readonly logGroups: Record<string, aws.cloudwatch.LogGroup> = {};
  readonly integrations: Record<string, aws.apigatewayv2.Integration> = {};
  readonly routes: Record<string, aws.apigatewayv2.Route> = {};
  readonly permissions: Record<string, aws.lambda.Permission> = {};
  readonly stage: aws.apigatewayv2.Stage;
  /** The stage's invoke URL without a trailing slash; known once the stage is deployed. */
  readonly apiUrl: pulumi.Output<string>;
  /** Each route's public URL, by route name. */
  readonly handlerUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: CallHandlersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("contact-centre:aws:CallHandlers", name, {}, opts);
    const parent = { parent: this };
    const { api, endpoint } = args.api;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Runs the ${args.namePrefix} call handlers`,
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
      },
      parent,
    );
    const basicExecution = new aws.iam.RolePolicyAttachment(
      `${name}-basic-execution`,
      { role: this.role.name, policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole },
      parent,
    );

    this.authTokenParameter = new aws.ssm.Parameter(
      `${name}-auth-token`,
      {
        name: `/${args.namePrefix}/twilio-auth-token`,
        description: "Twilio account auth token: the handlers validate X-Twilio-Signature with it",
        type: "SecureString",
        value: pulumi.secret(args.authToken),
      },
      parent,
    );
    // Read access to exactly this parameter. No kms:Decrypt statement: the parameter uses the
    // AWS-managed key aws/ssm, whose key policy already lets account principals decrypt through
    // SSM (kms:ViaService ssm.<region>.amazonaws.com). A customer-managed key would need one.
    const readToken = new aws.iam.RolePolicy(
      `${name}-read-auth-token`,
      {
        role: this.role.name,
        policy: this.authTokenParameter.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: arn }],
          }),
        ),
      },
      parent,
    );

    const environment = pulumi
      .all([args.environment, endpoint, this.authTokenParameter.name])
      .apply(([env, baseUrl, parameterName]) => ({
        ...env,
        [HANDLER_ENV.publicBaseUrl]: baseUrl,
        [HANDLER_ENV.authTokenParameter]: parameterName,
      }));

    for (const route of args.routes) {
      const functionName = `${args.namePrefix}-${route.name}`;
      // Created before the function, so Lambda never auto-creates a group that never expires.
      const logGroup = (this.logGroups[route.name] = new aws.cloudwatch.LogGroup(
        `${name}-${route.name}`,
        { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays },
        { ...parent, deleteBeforeReplace: true },
      ));
      const bundle = Promise.resolve(args.bundleDir).then((dir) =>
        path.join(dir, `${route.name}.js`),
      );
      const fn = new aws.lambda.Function(
        `${name}-${route.name}`,
        {
          name: functionName,
          description: `${route.method} ${route.path}`,
          role: this.role.arn,
          runtime: args.runtime,
          handler: FUNCTION_DEFAULTS.handler,
          architectures: [...FUNCTION_DEFAULTS.architectures],
          memorySize: FUNCTION_DEFAULTS.memorySize,
          timeout: FUNCTION_DEFAULTS.timeout,
          code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(bundle) }),
          environment: { variables: environment },
        },
        // Fixed names: a replacement must delete the old function first.
        { ...parent, deleteBeforeReplace: true, dependsOn: [logGroup, basicExecution, readToken] },
      );
      this.functions[route.name] = fn;

      const integration = (this.integrations[route.name] = new aws.apigatewayv2.Integration(
        `${name}-${route.name}`,
        {
          apiId: api.id,
          integrationType: "AWS_PROXY",
          integrationUri: fn.arn,
          integrationMethod: "POST",
          payloadFormatVersion: "2.0",
        },
        parent,
      ));
      this.routes[route.name] = new aws.apigatewayv2.Route(
        `${name}-${route.name}`,
        {
          apiId: api.id,
          routeKey: routeKey(route),
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        parent,
      );
      // Only this route (any stage) may invoke this function.
      this.permissions[route.name] = new aws.lambda.Permission(
        `${name}-${route.name}`,
        {
          action: "lambda:InvokeFunction",
          principal: "apigateway.amazonaws.com",
          function: fn.name,
          sourceArn: pulumi.interpolate`${api.executionArn}/*/${route.method}${route.path}`,
        },
        parent,
      );
    }

    // After the routes, so the first automatic deployment already serves every route.
    this.stage = new aws.apigatewayv2.Stage(
      `${name}-default`,
      { apiId: api.id, name: "$default", autoDeploy: true },
      { ...parent, dependsOn: Object.values(this.routes) },
    );
    this.apiUrl = this.stage.invokeUrl.apply((u) => u.replace(/\/+$/, ""));
    this.handlerUrls = this.apiUrl.apply((base) =>
      Object.fromEntries(args.routes.map((r) => [r.name, base + r.path])),
    );
    this.registerOutputs({ apiUrl: this.apiUrl, handlerUrls: this.handlerUrls });
  }
}
