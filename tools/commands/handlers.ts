// `npm run handlers -- --port <p> --stack <name> [options]`: serve the call handlers locally, as
// API Gateway would invoke them, for the local Twilio (or a tunnel) to call. The IVR and the
// centre's number come from stacks/<name>.yaml; the rest from options or the same environment
// variables the Lambdas read, through the same validation (readHandlerConfig).
import * as path from "node:path";
import {
  HANDLER_ENV,
  HandlerConfigError,
  ivrMenuFromPhone,
  readHandlerConfig,
} from "../../infra/functions/config";
import { startLocalWebhookHost, type LocalWebhookHost } from "../../infra/functions/localHost";
import type { Logger } from "../../infra/functions/log";
import { ROUTES } from "../../infra/functions/routes";
import { callFlowFromSpec } from "../../infra/taskrouter/callFlowSpec";
import { formatProblem, loadStack, StackValidationError } from "../../infra/taskrouter/loadStack";
import { parseCommandArgs, UsageError } from "../args";

export const USAGE =
  "usage: npm run handlers -- --port <p> --stack <name> [--public-base-url <url>] " +
  "[--workspace-sid WS…] [--workflow-sid WW…] [--wrap-up-activity-sid WA…] [--auth-token <token>] " +
  "[--signature-validation on|off]";

/** Option → the environment variable it sets (the option wins over the inherited variable). */
const OPTION_ENV = {
  "public-base-url": HANDLER_ENV.publicBaseUrl,
  "workspace-sid": HANDLER_ENV.workspaceSid,
  "workflow-sid": HANDLER_ENV.workflowSid,
  "wrap-up-activity-sid": HANDLER_ENV.wrapUpActivitySid,
  "auth-token": HANDLER_ENV.authToken,
  "signature-validation": HANDLER_ENV.signatureValidation,
} as const;

export interface StartOptions {
  /** Inherited variables (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where stacks/ lives (default the repository). */
  root?: string;
  log?: Logger;
  /** Receives the stack's warnings and the start banner. */
  out?: { write(text: string): unknown };
}

/** Parses the arguments, loads the stack and starts the host. */
export async function startHandlers(
  argv: string[],
  opts: StartOptions = {},
): Promise<LocalWebhookHost> {
  const out = opts.out ?? process.stderr;
  const names = ["port", "stack", ...Object.keys(OPTION_ENV)];
  const { values } = parseCommandArgs(
    argv,
    Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
  );
  const port = Number(values.port);
  if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number (0 picks a free one), got ${values.port}`);
  }
  if (!values.stack) throw new UsageError("--stack is required");

  const file = path.join(
    opts.root ?? path.resolve(__dirname, "..", ".."),
    "stacks",
    `${values.stack}.yaml`,
  );
  const { spec, warnings } = loadStack(file);
  for (const w of warnings) out.write(`${formatProblem(w)}\n`);

  const env: NodeJS.ProcessEnv = {
    ...(opts.env ?? process.env),
    [HANDLER_ENV.stack]: values.stack,
    [HANDLER_ENV.centreNumber]: spec.phone.number,
    [HANDLER_ENV.ivrMenu]: JSON.stringify(ivrMenuFromPhone(spec.phone)),
    [HANDLER_ENV.callFlow]: JSON.stringify(callFlowFromSpec(spec)),
  };
  for (const [option, name] of Object.entries(OPTION_ENV)) {
    if (values[option] !== undefined) env[name] = values[option];
  }
  // Locally the token is passed directly; a parameter name would need AWS credentials.
  if (env[HANDLER_ENV.authToken]) delete env[HANDLER_ENV.authTokenParameter];
  const ownUrl = env[HANDLER_ENV.publicBaseUrl] === undefined;
  if (ownUrl) env[HANDLER_ENV.publicBaseUrl] = `http://127.0.0.1:${port || 1}`;

  const { publicBaseUrl, ...config } = readHandlerConfig(env);
  return startLocalWebhookHost({
    config: ownUrl ? config : { ...config, publicBaseUrl },
    port,
    ...(opts.log ? { log: opts.log } : {}),
  });
}

export async function run(
  argv: string[],
  err: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  let host: LocalWebhookHost;
  try {
    host = await startHandlers(argv, { out: err });
  } catch (e) {
    // The stack file's own problems, located; no usage text, the arguments were fine.
    if (e instanceof StackValidationError) {
      err.write(`handlers: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError || e instanceof HandlerConfigError) {
      err.write(`handlers: ${e.message}\n${USAGE}\n`);
      err.write(
        `options fall back to ${Object.values(OPTION_ENV).join(", ")} from the environment\n`,
      );
      return 2;
    }
    throw e;
  }
  err.write(
    `call handlers for stack ${host.config.stack} on ${host.url} (public base URL ${host.config.publicBaseUrl})\n` +
      ROUTES.map((r) => `  ${r.method.padEnd(4)} ${host.config.publicBaseUrl}${r.path}\n`).join(""),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await host.close();
  return 0;
}
