// An official twilio client pointed at the emulator. The seam itself (each domain's `baseUrl`)
// has one home, infra/taskrouter/twilioClient.ts, which the providers and tools use
// too; this keeps the emulator tests' signature and their default of no retries.
import {
  createTwilioClient,
  type TwilioClientOptions as ClientOptions,
} from "../../infra/taskrouter/twilioClient";

export type TwilioClient = ReturnType<typeof createTwilioClient>;

export interface TwilioClientOptions {
  /** Appended to the User-Agent header (e.g. ["pulumi-provider/1"]). */
  userAgentExtensions?: string[];
  /** Retry 429, 503 and dropped connections (full-jitter backoff). Default false: faults surface. */
  autoRetry?: boolean;
  /** Retries after the first attempt when autoRetry is on. Default 3. */
  maxRetries?: number;
  /** Cap of one backoff delay in ms when autoRetry is on. Default 3000. */
  maxRetryDelay?: number;
  /** Request timeout in ms (twilio default 30000). */
  timeout?: number;
  /** Pace TaskRouter requests within its rate limits. Default true; false lets a test draw 429s. */
  pace?: boolean;
}

/**
 * An official twilio client. `baseUrl` = the emulator origin (http://127.0.0.1:PORT); undefined,
 * null or "" = real Twilio.
 */
export function twilioClientFor(
  baseUrl: string | undefined | null,
  accountSid: string,
  authToken: string,
  opts: TwilioClientOptions = {},
): TwilioClient {
  const options: ClientOptions = {
    userAgentExtensions: opts.userAgentExtensions,
    timeoutMs: opts.timeout,
    ...(opts.pace === false && { rateLimits: false as const }),
    retry: opts.autoRetry
      ? {
          attempts: (opts.maxRetries ?? 3) + 1,
          baseDelayMs: 100,
          maxDelayMs: opts.maxRetryDelay ?? 3000,
        }
      : { attempts: 1 },
  };
  return createTwilioClient({ accountSid, authToken, baseUrl: baseUrl || undefined }, options);
}
