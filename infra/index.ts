// The Pulumi program: config → routing definition → Twilio objects → call handlers → outputs.
//
// Wiring without a dependency cycle. Twilio needs the handlers' URLs (the workflow's assignment
// callback, the workspace's event callback, the number's voice URL) and the handlers need Twilio's
// SIDs (workspace, workflow, Wrap-Up activity). Both depend only on the API's endpoint, never on
// each other's resources, so the order is:
//
//   1. HttpApi (aws.apigatewayv2.Api alone)   → its endpoint is the public base URL;
//   2. ContactCentre (Twilio)                 ← base URL + /assignment, /events, /incoming-call;
//   3. CallHandlers: Lambdas                  ← the SIDs of step 2 and the base URL (PUBLIC_BASE_URL);
//      then integrations, routes, permissions ← the Lambdas; then the $default stage ← the routes.
//
// The URLs Twilio calls are known from step 1 and are live once step 3's stage is deployed; calls
// in between (first deploy only) get a 404. With the `local` webhook host, step 1 is a configured
// URL, step 3 is the local webhook host (`npm start`), and no AWS resource is created at all.
//
// The module exports one async function (Pulumi calls it and uses its result as the stack outputs)
// so the handler bundles can be built before the archives are made, and tests can run it again per
// configuration.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, type StackConfig } from "./config";
import { HANDLER_ENV, ivrMenuFromPhone } from "./functions/config";
import { ROUTES, routeUrl, type RouteName } from "./functions/routes";
import type { ContactCentreSpec } from "./taskrouter/model";
import { ContactCentre } from "./taskrouter/contactCentre";
import { callFlowFromSpec } from "./taskrouter/callFlowSpec";
import { formatProblem, loadStack, StackValidationError } from "./taskrouter/loadStack";
import { registerResources } from "./registering";

interface ProgramOptions {
  /**
   * Builds the handler bundles and resolves to their directory. Default: the esbuild build of
   * functions/bundle.ts into dist/functions, run on every preview and update so the archives
   * always match the source (no separate `npm run build` step to forget).
   */
  buildBundles?: () => Promise<string>;
}

interface StackOutputs {
  /** The centre's number (E.164). */
  phoneNumber: string;
  /** The public base URL of the handlers, no trailing slash. */
  apiUrl: pulumi.Output<string> | string;
  /** Each handler's URL, by route name. */
  handlerUrls: pulumi.Output<Record<string, string>> | Record<string, string>;
  workspaceSid: pulumi.Output<string>;
  workflowSid: pulumi.Output<string>;
}

async function buildHandlerBundles(): Promise<string> {
  // Loaded only here: the local stack never loads esbuild.
  const { buildHandlers, DEFAULT_OUT_DIR } = await import("./functions/bundle");
  await buildHandlers();
  return DEFAULT_OUT_DIR;
}

/** Where Pulumi.yaml lives: relative routing files are resolved here, not against the cwd. */
const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The validated routing definition; on any error `pulumi up` stops with the loader's message. */
function loadRoutingDefinition(file: string): ContactCentreSpec {
  try {
    // The engine runs the program in the project directory, which for `npm start` and the engine
    // tests is a generated one under .local/; `stacks/<stack>.yaml` means the repository's file.
    const { spec, warnings } = loadStack(path.resolve(PROJECT_ROOT, file));
    for (const w of warnings) pulumi.log.warn(formatProblem(w));
    return spec;
  } catch (err) {
    if (err instanceof StackValidationError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** Twilio's callback URLs under a base URL; no event callback when the stack turns events off. */
function twilioUrls(spec: ContactCentreSpec, base: pulumi.Input<string>) {
  const url = (name: RouteName) => pulumi.output(base).apply((b) => routeUrl(b, name));
  return {
    assignmentCallbackUrl: url("assignment"),
    ...(spec.workspace.events ? { eventCallbackUrl: url("events") } : {}),
    voiceUrl: url("incomingCall"),
  };
}

async function program(options: ProgramOptions = {}): Promise<StackOutputs> {
  const config = readStackConfig();
  const spec = loadRoutingDefinition(config.routingFile);
  const webhooks = config.webhooks;

  if (webhooks.host === "local") {
    const centre = await registerResources(function registerCentre() {
      return new ContactCentre("contact-centre", {
        spec,
        protect: config.protect,
        ...twilioUrls(spec, webhooks.baseUrl),
      });
    });
    return {
      phoneNumber: spec.phone.number,
      apiUrl: webhooks.baseUrl,
      handlerUrls: Object.fromEntries(ROUTES.map((r) => [r.name, webhooks.baseUrl + r.path])),
      workspaceSid: centre.workspaceSid,
      workflowSid: centre.workflowSid,
    };
  }

  // With CALL_FLOW it fits Lambda's environment: validation (checkIvrMenuSize, checkCallFlowSize)
  // refused the stack otherwise.
  const ivrMenu = JSON.stringify(ivrMenuFromPhone(spec.phone));
  // Loaded only here: the local stack never loads the AWS SDK for Pulumi.
  const { CallHandlers, HttpApi } = await import("./callHandlers");
  const bundleDir = (options.buildBundles ?? buildHandlerBundles)();

  const { centre, handlers } = await registerResources(function registerCentreAndHandlers() {
    const api = new HttpApi("api", {
      description: `Twilio webhooks of the ${config.stack} contact centre`,
    });
    const centre = new ContactCentre("contact-centre", {
      spec,
      protect: config.protect,
      ...twilioUrls(spec, api.endpoint),
    });
    const handlers = new CallHandlers("handlers", {
      api,
      routes: ROUTES,
      bundleDir,
      namePrefix: `contact-centre-${config.stack}`,
      runtime: webhooks.lambdaRuntime,
      logRetentionDays: webhooks.logRetentionDays,
      authToken: config.twilio.authToken,
      environment: handlerEnvironment(config, spec, centre, ivrMenu),
    });
    return { centre, handlers };
  });
  return {
    phoneNumber: spec.phone.number,
    apiUrl: handlers.apiUrl,
    handlerUrls: handlers.handlerUrls,
    workspaceSid: centre.workspaceSid,
    workflowSid: centre.workflowSid,
  };
}

/** The handler contract (infra/functions/config.ts) minus what CallHandlers adds itself. */
function handlerEnvironment(
  config: StackConfig,
  spec: ContactCentreSpec,
  centre: ContactCentre,
  ivrMenu: string,
): Record<string, pulumi.Input<string>> {
  return {
    [HANDLER_ENV.workspaceSid]: centre.workspaceSid,
    [HANDLER_ENV.workflowSid]: centre.workflowSid,
    [HANDLER_ENV.wrapUpActivitySid]: centre.activitySids.apply((sids) => {
      const sid = sids[spec.postWorkActivity];
      if (sid === undefined) throw new Error(`no SID for activity ${spec.postWorkActivity}`);
      return sid;
    }),
    [HANDLER_ENV.centreNumber]: spec.phone.number,
    [HANDLER_ENV.ivrMenu]: ivrMenu,
    [HANDLER_ENV.callFlow]: JSON.stringify(callFlowFromSpec(spec)),
    [HANDLER_ENV.signatureValidation]: "on",
    [HANDLER_ENV.stack]: config.stack,
  };
}

// Types for callers (tests, tools) without a second export, which Pulumi would read as outputs.
declare namespace program {
  export type Options = ProgramOptions;
  export type Outputs = StackOutputs;
}

export = program;
