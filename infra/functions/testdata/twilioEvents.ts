// Test fixtures: AWS's sample HTTP API v2 event filled with real Twilio parameter sets, signed the
// way Twilio signs them. Test support only; never imported by the handlers.
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { HandlerConfig } from "../config";
import { memoryLogger } from "../log";
import { route as routeOf, type RouteName } from "../routes";
import {
  createHandler,
  type FormParams,
  type HandlerRuntime,
  type Webhook,
} from "../twilioRequest";
import sample from "./apigw-v2-request-no-authorizer.json";

export const AUTH_TOKEN = "9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b";
export const BASE_URL = "https://abc123defg.execute-api.eu-west-1.amazonaws.com";

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, "0");
export const SIDS = {
  account: sid("AC", 0xa1),
  workspace: sid("WS", 0xb2),
  workflow: sid("WW", 0xc3),
  wrapUp: sid("WA", 0xd4),
  call: sid("CA", 0xe5),
  queue: sid("QU", 0xf6),
  taskQueue: sid("WQ", 0x17),
  task: sid("WT", 0x28),
  worker: sid("WK", 0x39),
  reservation: sid("WR", 0x4a),
  event: sid("EV", 0x5b),
  available: sid("WA", 0x6c),
} as const;

export const CENTRE_NUMBER = "+15555550100";
export const CALLER = "+14155550123";
export const AGENT = "+447700900123";

export const CONFIG: HandlerConfig = {
  stack: "dev",
  workspaceSid: SIDS.workspace,
  workflowSid: SIDS.workflow,
  wrapUpActivitySid: SIDS.wrapUp,
  centreNumber: CENTRE_NUMBER,
  ivr: {
    greeting: "Thanks for calling Owl Shoes.",
    voice: "Polly.Joanna",
    language: "en-US",
    options: {
      "2": { label: "Spanish", attributes: { selected_language: "spanish" } },
      "1": { label: "English", attributes: { selected_language: "english" } },
      "#": { label: "an operator", attributes: { selected_language: "english", vip: true } },
    },
    defaultAttributes: { selected_language: "english", ivr: "no-input" },
    holdMusicUrl: "https://media.example.com/hold/jazz.mp3",
  },
  publicBaseUrl: BASE_URL,
  authToken: { from: "env", value: AUTH_TOKEN },
  signatureValidation: true,
};

/** An inbound call's voice webhook parameters (the phone number's voice URL). */
export const INCOMING_CALL: Record<string, string> = {
  AccountSid: SIDS.account,
  ApiVersion: "2010-04-01",
  CallSid: SIDS.call,
  CallStatus: "ringing",
  CallToken: "%7B%22parentCallInfoToken%22%3A%22eyJhbGciOiJFUzI1NiJ9%22%7D",
  Called: CENTRE_NUMBER,
  CalledCity: "",
  CalledCountry: "US",
  CalledState: "",
  CalledZip: "",
  Caller: CALLER,
  CallerCity: "SAN FRANCISCO",
  CallerCountry: "US",
  CallerState: "CA",
  CallerZip: "94105",
  Direction: "inbound",
  From: CALLER,
  FromCity: "SAN FRANCISCO",
  FromCountry: "US",
  FromState: "CA",
  FromZip: "94105",
  StirVerstat: "TN-Validation-Passed-A",
  To: CENTRE_NUMBER,
  ToCity: "",
  ToCountry: "US",
  ToState: "",
  ToZip: "",
};

/** The Gather action request after the caller pressed `digit`. */
export const gathered = (digit: string): Record<string, string> => ({
  ...INCOMING_CALL,
  CallStatus: "in-progress",
  Digits: digit,
  FinishedOnKey: "",
  msg: "Gather End",
});

/** The Enqueue waitUrl request (GET: these travel in the query string). */
export const WAITING: Record<string, string> = {
  ...INCOMING_CALL,
  CallStatus: "in-progress",
  QueueSid: SIDS.queue,
  QueuePosition: "3",
  QueueTime: "42",
  AvgQueueTime: "65",
  CurrentQueueSize: "5",
  MaxQueueSize: "100",
};

/** The assignment callback for a reservation of a worker with `workerAttributes`. */
export const assignmentParams = (workerAttributes: unknown): Record<string, string> => ({
  AccountSid: SIDS.account,
  ReservationSid: SIDS.reservation,
  TaskAge: "12",
  TaskAttributes: JSON.stringify({
    call_sid: SIDS.call,
    account_sid: SIDS.account,
    from: CALLER,
    to: CENTRE_NUMBER,
    direction: "inbound",
    call_status: "in-progress",
    api_version: "2010-04-01",
    caller_country: "US",
    selected_option: "Spanish",
    selected_language: "spanish",
  }),
  TaskPriority: "0",
  TaskQueueSid: SIDS.taskQueue,
  TaskSid: SIDS.task,
  Timestamp: "1767225600",
  WorkerAttributes: JSON.stringify(workerAttributes),
  WorkerSid: SIDS.worker,
  WorkflowSid: SIDS.workflow,
  WorkspaceSid: SIDS.workspace,
});

/** A TaskRouter event callback (reservation.accepted). */
export const RESERVATION_ACCEPTED: Record<string, string> = {
  AccountSid: SIDS.account,
  EventDescription: `Reservation ${SIDS.reservation} accepted by worker Alice`,
  EventType: "reservation.accepted",
  ResourceSid: SIDS.reservation,
  ResourceType: "reservation",
  ReservationSid: SIDS.reservation,
  Sid: SIDS.event,
  TaskAge: "14",
  TaskAssignmentStatus: "assigned",
  TaskAttributes: JSON.stringify({ from: CALLER, selected_language: "spanish" }),
  TaskPriority: "0",
  TaskQueueName: "Spanish",
  TaskQueueSid: SIDS.taskQueue,
  TaskSid: SIDS.task,
  Timestamp: "1767225602",
  TimestampMs: "1767225602137",
  WorkerActivityName: "Busy",
  WorkerActivitySid: SIDS.available,
  WorkerAttributes: JSON.stringify({ contact_uri: AGENT, languages: ["spanish"] }),
  WorkerName: "Alice",
  WorkerSid: SIDS.worker,
  WorkflowName: "Owl Shoes",
  WorkflowSid: SIDS.workflow,
  WorkspaceName: "Owl Shoes",
  WorkspaceSid: SIDS.workspace,
};

export const formBody = (params: FormParams): string => {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  }
  return form.toString();
};

export interface TwilioEventOptions {
  route: RouteName;
  /** Form body of a POST; query of a GET. */
  params: FormParams;
  /** Raw query of a POST (our redirect state), e.g. `attempt=2`. */
  query?: string;
  /** Base URL Twilio called; default BASE_URL. */
  baseUrl?: string;
  /** Token used to sign; default AUTH_TOKEN. */
  token?: string;
  /** Sign this URL instead of the one requested (a request signed for another URL). */
  signUrl?: string;
  /** null: no X-Twilio-Signature header. */
  signature?: string | null;
  /** A named API Gateway stage (prefixes rawPath); default `$default`. */
  stage?: string;
}

/** The event API Gateway delivers for a Twilio request, signed like Twilio signs it. */
export function twilioEvent(opts: TwilioEventOptions): APIGatewayProxyEventV2 {
  const { method, path } = routeOf(opts.route);
  const isGet = method === "GET";
  // A GET's parameters are appended to the URL's own query, as Twilio does.
  const rawQueryString = isGet
    ? [opts.query, formBody(opts.params)].filter(Boolean).join("&")
    : (opts.query ?? "");
  const url = (opts.baseUrl ?? BASE_URL) + path + (rawQueryString ? `?${rawQueryString}` : "");
  const signature =
    opts.signature === undefined
      ? getExpectedTwilioSignature(
          opts.token ?? AUTH_TOKEN,
          opts.signUrl ?? url,
          isGet ? {} : opts.params,
        )
      : opts.signature;
  const stage = opts.stage ?? "$default";
  const rawPath = (stage === "$default" ? "" : `/${stage}`) + path;
  const body = isGet ? "" : formBody(opts.params);

  const event = structuredClone(sample) as unknown as APIGatewayProxyEventV2;
  const host = sample.headers.host;
  event.routeKey = `${method} ${path}`;
  event.rawPath = rawPath;
  event.rawQueryString = rawQueryString;
  event.headers = {
    accept: "*/*",
    "cache-control": "max-age=259200",
    "content-length": String(Buffer.byteLength(body)),
    host,
    "i-twilio-idempotency-token": "4c7f3a0e-8d2b-4e51-9a6f-2b1c0d9e8f7a",
    "user-agent": "TwilioProxy/1.1",
    "x-amzn-trace-id": sample.headers["x-amzn-trace-id"],
    "x-forwarded-for": "54.172.60.1",
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https",
    "x-home-region": "us1",
    ...(isGet ? {} : { "content-type": "application/x-www-form-urlencoded" }),
    ...(signature === null ? {} : { "x-twilio-signature": signature }),
  };
  if (rawQueryString) {
    const q: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) q[k] = k in q ? `${q[k]},${v}` : v;
    event.queryStringParameters = q;
  }
  event.requestContext = {
    ...event.requestContext,
    http: {
      method,
      path: rawPath,
      protocol: "HTTP/1.1",
      sourceIp: "54.172.60.1",
      userAgent: "TwilioProxy/1.1",
    },
    routeKey: `${method} ${path}`,
    stage,
  };
  if (isGet) {
    delete event.body;
    event.isBase64Encoded = false;
  } else {
    event.body = Buffer.from(body, "utf8").toString("base64");
    event.isBase64Encoded = true;
  }
  return event;
}

/**
 * Runs `event` through `webhook` as its Lambda would, with `config` and AUTH_TOKEN; returns the
 * response and the lines it logged.
 */
export async function handleEvent(
  webhook: Webhook,
  event: APIGatewayProxyEventV2,
  config: HandlerConfig = CONFIG,
  extra: Pick<HandlerRuntime, "clock" | "rest"> = {},
) {
  const log = memoryLogger();
  const runtime = async (): Promise<HandlerRuntime> => ({
    config,
    authToken: AUTH_TOKEN,
    ...extra,
  });
  const result = await createHandler(webhook, runtime, log)(event);
  return { result, lines: log.lines };
}
