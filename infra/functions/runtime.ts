// Cold-start wiring for the Lambdas: read the environment once, fetch the auth token once, and say
// loudly when signature validation is off. The local webhook host uses `loadRuntime` with its own
// config instead of the environment.
import { readHandlerConfig, type HandlerConfig } from "./config";
import { jsonLogger, type Logger } from "./log";
import { createHandler, type ApiHandler, type HandlerRuntime, type Webhook } from "./twilioRequest";

/** Reads a SecureString parameter's decrypted value. */
export type ParameterReader = (name: string) => Promise<string>;

/** The minimal SSM client surface used, so tests can pass a fake. */
export interface SsmLike {
  send(command: unknown): Promise<{ Parameter?: { Value?: string } }>;
}

/**
 * Reads an SSM SecureString with AWS SDK v3. The SDK is loaded on first use only: the Lambda
 * runtime provides it (it is external to the bundles) and the local stack never needs it.
 */
export async function readSsmParameter(name: string, client?: SsmLike): Promise<string> {
  const ssm = await import("@aws-sdk/client-ssm");
  const c = client ?? (new ssm.SSMClient({}) as unknown as SsmLike);
  const out = await c.send(new ssm.GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = out.Parameter?.Value;
  if (!value) throw new Error(`SSM parameter ${name} has no value`);
  return value;
}

export const SIGNATURE_VALIDATION_OFF_WARNING =
  "SIGNATURE VALIDATION IS OFF: these webhooks accept requests from anyone (local stack only)";

/** Resolves the auth token for a config and logs the validation-off warning when it applies. */
export async function loadRuntime(
  config: HandlerConfig,
  log: Logger,
  readParameter: ParameterReader = readSsmParameter,
): Promise<HandlerRuntime> {
  if (!config.signatureValidation) {
    log.warn(SIGNATURE_VALIDATION_OFF_WARNING, { stack: config.stack ?? null });
  }
  switch (config.authToken.from) {
    case "ssm":
      return { config, authToken: await readParameter(config.authToken.parameterName) };
    case "env":
      return { config, authToken: config.authToken.value };
    case "none":
      return { config };
  }
}

/**
 * A memoised runtime: the first call reads the environment and the token; later calls share the
 * result. A failure is not cached, so the next invocation retries (e.g. a transient SSM error).
 */
export function runtimeFromEnv(
  log: Logger,
  env: () => NodeJS.ProcessEnv = () => process.env,
  readParameter: ParameterReader = readSsmParameter,
): () => Promise<HandlerRuntime> {
  let pending: Promise<HandlerRuntime> | undefined;
  return () => {
    pending ??= Promise.resolve()
      .then(() => loadRuntime(readHandlerConfig(env()), log, readParameter))
      .catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
    return pending;
  };
}

/** The exported `handler` of a Lambda bundle (one webhook per bundle, so one runtime each). */
export function lambdaHandler(webhook: Webhook): ApiHandler {
  const log = jsonLogger();
  return createHandler(webhook, runtimeFromEnv(log), log);
}
