// The one place that knows how to point the official `twilio` client at the emulator.
// Seam (notes §14.3 A): each domain's public `baseUrl` is read per request by Domain.absoluteUrl(),
// so setting `client.taskrouter.baseUrl` and `client.api.baseUrl` sends every TaskRouter and
// API 2010 request to the emulator. Production code calls the same function without a base URL.
import twilio from "twilio";

export type TwilioClient = ReturnType<typeof twilio>;

export interface TwilioClientOptions {
  /** Appended to the User-Agent header (e.g. ["pulumi-provider/1"]). */
  userAgentExtensions?: string[];
  /** twilio-node's opt-in retry of 429s (full-jitter backoff). Default false. */
  autoRetry?: boolean;
  maxRetries?: number;
  maxRetryDelay?: number;
  /** Request timeout in ms (twilio default 30000). */
  timeout?: number;
}

/**
 * An official twilio client. `baseUrl` = the emulator origin (http://127.0.0.1:PORT); undefined,
 * null or "" = real Twilio. Edge and region stay unset: they would rewrite a local host name.
 */
export function twilioClientFor(
  baseUrl: string | undefined | null,
  accountSid: string,
  authToken: string,
  opts: TwilioClientOptions = {},
): TwilioClient {
  const local = typeof baseUrl === "string" && baseUrl !== "";
  if (local && (process.env.TWILIO_EDGE || process.env.TWILIO_REGION)) {
    throw new Error(
      "twilioClientFor: unset TWILIO_EDGE and TWILIO_REGION to use the emulator (they rewrite the host name)",
    );
  }
  const client = twilio(accountSid, authToken, {
    accountSid,
    userAgentExtensions: opts.userAgentExtensions,
    autoRetry: opts.autoRetry ?? false,
    maxRetries: opts.maxRetries,
    maxRetryDelay: opts.maxRetryDelay,
    timeout: opts.timeout,
    ...(local ? { edge: undefined, region: undefined } : {}),
  });
  if (local) {
    const origin = baseUrl.replace(/\/+$/, "");
    client.taskrouter.baseUrl = origin;
    client.api.baseUrl = origin;
  }
  return client;
}
