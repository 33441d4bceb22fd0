// The program's stack configuration: the only module that reads `pulumi.Config`. Project keys are
// declared with types and defaults in Pulumi.yaml (`config:`); keys of other namespaces (`twilio:`,
// `aws:`) cannot be declared there (Pulumi only accepts a fixed `value:` for them), so their rules
// live here. Every problem is reported at once, each naming its key and saying how to fix it.
import * as pulumi from "@pulumi/pulumi";
import { LOCAL_STACK } from "./functions/config";
import { RATE_LIMITS_CONFIG_KEY, rateLimitsFromConfig } from "./taskrouter/rateLimits";

/** Pulumi.yaml `name:`; unqualified keys in Pulumi.<stack>.yaml belong to this namespace. */
export const PROJECT = "contact-centre";

export const WEBHOOK_HOSTS = ["aws", "local"] as const;
export type WebhookHost = (typeof WEBHOOK_HOSTS)[number];

/** Lambda Node.js runtimes AWS still accepts for new functions; both run async handlers only. */
export const LAMBDA_RUNTIMES = ["nodejs22.x", "nodejs24.x"] as const;
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];

/** The values CloudWatch Logs accepts for `retentionInDays`. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** The defaults declared in Pulumi.yaml, repeated because mocked runs get no engine defaults. */
export const DEFAULTS = {
  routingFile: "",
  webhookHost: "aws",
  localWebhookBaseUrl: "",
  lambdaRuntime: "nodejs22.x",
  logRetentionDays: 14,
  protect: false,
} as const;

export interface TwilioConfig {
  accountSid: string;
  /** Always a secret output. */
  authToken: pulumi.Output<string>;
  /** The local Twilio's base URL; absent for real Twilio. */
  apiBaseUrl?: string;
}

export type WebhookConfig =
  | {
      host: "aws";
      region: string;
      lambdaRuntime: LambdaRuntime;
      logRetentionDays: number;
    }
  | {
      host: "local";
      /** The local webhook host, without a trailing slash. */
      baseUrl: string;
    };

export interface StackConfig {
  stack: string;
  /** The routing definition (stacks/<stack>.yaml unless contact-centre:routingFile says otherwise). */
  routingFile: string;
  twilio: TwilioConfig;
  webhooks: WebhookConfig;
  /** `contact-centre:protect: true`: Pulumi's `protect` on every Twilio object. Absent: false. */
  protect?: true;
}

/** Stack config as strings (as the engine passes it), keyed by full name, e.g. `twilio:accountSid`. */
export type RawConfig = Partial<Record<string, string>>;

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$/;

const quote = (s: string) => JSON.stringify(s);
const key = (name: string) => `${PROJECT}:${name}`;

/** An http(s) base URL with no query or fragment; returned without trailing slashes. */
function baseUrl(
  name: string,
  value: string,
  problems: string[],
  hint: string,
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} must be an absolute http(s) URL, got ${quote(value)}${hint}`);
    return undefined;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    problems.push(
      `${name} must be an http(s) URL with no query or fragment, got ${quote(value)}${hint}`,
    );
    return undefined;
  }
  return value.replace(/\/+$/, "");
}

/**
 * Validates raw stack config (pure). `authToken` is passed separately because it is read as a secret
 * output; only its presence matters here. Throws `pulumi.RunError` (message only, no stack trace in
 * `pulumi up`) listing every problem.
 */
export function parseStackConfig(
  stack: string,
  raw: RawConfig,
  authToken: pulumi.Output<string> | undefined,
): StackConfig {
  const problems: string[] = [];
  const get = (k: string): string | undefined => {
    const v = raw[k];
    return v === undefined || v === "" ? undefined : v;
  };

  const accountSid = get("twilio:accountSid");
  if (accountSid === undefined) {
    problems.push(
      "twilio:accountSid is not set: run `pulumi config set twilio:accountSid AC…` with your Twilio Account SID",
    );
  } else if (!ACCOUNT_SID.test(accountSid)) {
    problems.push(
      `twilio:accountSid must be a Twilio Account SID (AC followed by 32 lowercase hex digits), got ${quote(accountSid)}: run \`pulumi config set twilio:accountSid AC…\``,
    );
  }
  if (authToken === undefined) {
    problems.push(
      "twilio:authToken is not set: run `pulumi config set --secret twilio:authToken` (it prompts for the token; never commit it in plaintext)",
    );
  }
  const apiBaseRaw = get("twilio:apiBaseUrl");
  const apiBaseUrl =
    apiBaseRaw === undefined ? undefined : baseUrl("twilio:apiBaseUrl", apiBaseRaw, problems, "");

  // Read again by the providers' configure(); checked here so a bad value fails before any write.
  const rateLimits = rateLimitsFromConfig(get(RATE_LIMITS_CONFIG_KEY));
  if ("problems" in rateLimits) problems.push(...rateLimits.problems);

  const hostRaw = get(key("webhookHost")) ?? DEFAULTS.webhookHost;
  const host = (WEBHOOK_HOSTS as readonly string[]).includes(hostRaw)
    ? (hostRaw as WebhookHost)
    : undefined;
  if (host === undefined) {
    problems.push(
      `${key("webhookHost")} must be one of ${WEBHOOK_HOSTS.join(", ")}, got ${quote(hostRaw)}`,
    );
  }

  const runtimeRaw = get(key("lambdaRuntime")) ?? DEFAULTS.lambdaRuntime;
  if (!(LAMBDA_RUNTIMES as readonly string[]).includes(runtimeRaw)) {
    problems.push(
      `${key("lambdaRuntime")} must be one of ${LAMBDA_RUNTIMES.join(", ")}, got ${quote(runtimeRaw)}`,
    );
  }
  const retentionRaw = get(key("logRetentionDays")) ?? String(DEFAULTS.logRetentionDays);
  const retention = Number(retentionRaw);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    problems.push(
      `${key("logRetentionDays")} must be one of the CloudWatch Logs retention periods (${LOG_RETENTION_DAYS.join(", ")}), got ${quote(retentionRaw)}`,
    );
  }

  const protectRaw = get(key("protect")) ?? String(DEFAULTS.protect);
  if (protectRaw !== "true" && protectRaw !== "false") {
    problems.push(`${key("protect")} must be true or false, got ${quote(protectRaw)}`);
  }

  let webhooks: WebhookConfig | undefined;
  if (host === "aws" && stack === LOCAL_STACK) {
    // The handlers trust CONTACT_CENTRE_STACK=local to relax signature checks: never on AWS.
    problems.push(
      `${key("webhookHost")} must be local on the stack named ${LOCAL_STACK} (it is reserved for the local webhook host)`,
    );
  }
  if (host === "aws") {
    const region = get("aws:region");
    if (region === undefined) {
      problems.push("aws:region is not set: run `pulumi config set aws:region <region>`");
    } else if (!AWS_REGION.test(region)) {
      problems.push(`aws:region must be an AWS region such as eu-west-2, got ${quote(region)}`);
    }
    webhooks = {
      host,
      region: region ?? "",
      lambdaRuntime: runtimeRaw as LambdaRuntime,
      logRetentionDays: retention,
    };
  } else if (host === "local") {
    const raw = get(key("localWebhookBaseUrl"));
    const hint = ` (the local webhook host, e.g. http://127.0.0.1:3000; \`npm start\` sets it)`;
    let url: string | undefined;
    if (raw === undefined) {
      problems.push(
        `${key("localWebhookBaseUrl")} is not set but ${key("webhookHost")} is local${hint}`,
      );
    } else {
      url = baseUrl(key("localWebhookBaseUrl"), raw, problems, hint);
    }
    webhooks = { host, baseUrl: url ?? "" };
  }

  if (problems.length > 0 || webhooks === undefined || authToken === undefined) {
    throw new pulumi.RunError(
      `invalid configuration for stack ${quote(stack)} (Pulumi.${stack}.yaml):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
  return {
    stack,
    routingFile: get(key("routingFile")) ?? `stacks/${stack}.yaml`,
    twilio: {
      accountSid: accountSid as string,
      authToken,
      ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
    },
    webhooks,
    ...(protectRaw === "true" && { protect: true as const }),
  };
}

/** Reads and validates this stack's configuration. */
export function readStackConfig(): StackConfig {
  const project = new pulumi.Config(PROJECT);
  const twilio = new pulumi.Config("twilio");
  const aws = new pulumi.Config("aws");
  const raw: RawConfig = {
    "twilio:accountSid": twilio.get("accountSid"),
    "twilio:apiBaseUrl": twilio.get("apiBaseUrl"),
    [RATE_LIMITS_CONFIG_KEY]: twilio.get("rateLimits"),
    "aws:region": aws.get("region"),
  };
  for (const name of Object.keys(DEFAULTS)) raw[key(name)] = project.get(name);
  return parseStackConfig(pulumi.getStack(), raw, twilio.getSecret("authToken"));
}
