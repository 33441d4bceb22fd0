// A local stand-in for API Gateway (HTTP API, payload 2.0, `$default` stage): serves the same
// webhook functions over node:http, turning each request into the event AWS would deliver (so
// base64 form bodies, lowercase headers and rawPath/rawQueryString bugs show up locally) and
// writing the structured result back. The emulator's virtual calls and routing engine dial it.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { HandlerConfig } from "./config";
import { jsonLogger, type Logger } from "./log";
import { ROUTES, routeKey, type Route } from "./routes";
import { loadRuntime, type ParameterReader } from "./runtime";
import { createHandler, type ApiHandler, type ApiResult } from "./twilioRequest";
import { WEBHOOKS } from "./webhooks";

export interface LocalWebhookHostOptions {
  /** Without publicBaseUrl, the host's own URL (`http://127.0.0.1:<port>`) is used. */
  config: Omit<HandlerConfig, "publicBaseUrl"> & { publicBaseUrl?: string };
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  log?: Logger;
  /** For `authToken.from = "ssm"`; default: AWS SDK v3 GetParameter. */
  readParameter?: ParameterReader;
}

export interface LocalWebhookHost {
  /** e.g. http://127.0.0.1:4100 (no trailing slash). */
  url: string;
  /** The config the handlers run with (publicBaseUrl filled in). */
  config: HandlerConfig;
  close(): Promise<void>;
}

/** Starts the host; resolves once it listens and the auth token is resolved. */
export async function startLocalWebhookHost(
  opts: LocalWebhookHostOptions,
): Promise<LocalWebhookHost> {
  const log = opts.log ?? jsonLogger();
  const host = opts.host ?? "127.0.0.1";
  let handlers: Map<string, { route: Route; handler: ApiHandler }> = new Map();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void serve(req, Buffer.concat(chunks), handlers)
        .then((result) => writeResult(res, result))
        .catch((err: unknown) => {
          log.error("local webhook host failed", { error: String(err) });
          writeResult(res, { statusCode: 500, body: "Internal Server Error" });
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const config: HandlerConfig = { ...opts.config, publicBaseUrl: opts.config.publicBaseUrl ?? url };
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });

  try {
    // Once, at start: the validation-off warning and any token problem show up here.
    const runtime = {
      ...(await loadRuntime(config, log, opts.readParameter)),
      clock: emulatorCallTime,
    };
    handlers = new Map(
      ROUTES.map((route) => [
        routeKey(route),
        { route, handler: createHandler(WEBHOOKS[route.name], async () => runtime, log) },
      ]),
    );
  } catch (err) {
    await close();
    throw err;
  }
  return { url, config, close };
}

/**
 * The emulator sends each call's virtual time (`npm run call --at`) in this header on every webhook
 * of the call; only the local host reads it, so a deployed handler cannot be told another time.
 */
export const CALL_TIME_HEADER = "x-emulator-call-time";

/** The call's virtual time when the emulator sent one, else the system clock. */
export function emulatorCallTime(event: { headers?: Record<string, string | undefined> }): Date {
  const sent = Object.entries(event.headers ?? {}).find(
    ([k]) => k.toLowerCase() === CALL_TIME_HEADER,
  )?.[1];
  const at = sent === undefined ? NaN : Date.parse(sent);
  return Number.isNaN(at) ? new Date() : new Date(at);
}

async function serve(
  req: http.IncomingMessage,
  body: Buffer,
  handlers: Map<string, { route: Route; handler: ApiHandler }>,
): Promise<ApiResult> {
  const target = req.url ?? "/";
  const rawPath = target.split("?")[0];
  const key = `${req.method ?? "GET"} ${rawPath}`;
  const entry = handlers.get(key);
  // API Gateway's own answer for a request no route matches.
  if (!entry) return NOT_FOUND;
  const event = apiGatewayEvent({
    method: req.method ?? "GET",
    target,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
    localPort: req.socket.localPort ?? 0,
    body,
    routeKey: key,
    now: new Date(),
    requestId: randomBytes(10).toString("base64url"),
  });
  return entry.handler(event);
}

const NOT_FOUND: ApiResult = {
  statusCode: 404,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ message: "Not Found" }),
};

export interface RawRequest {
  method: string;
  /** The request target as received: path and optional `?query`. */
  target: string;
  /** Node's rawHeaders: name, value, name, value… */
  rawHeaders: string[];
  httpVersion: string;
  sourceIp: string;
  localPort: number;
  body: Buffer;
  /** The matched route key, e.g. `POST /incoming-call`. */
  routeKey: string;
  now: Date;
  requestId: string;
}

/** Content types HTTP API passes as text; everything else (form posts included) arrives base64. */
const TEXT_TYPES =
  /^(text\/[^;]*|application\/json|application\/xml|application\/javascript)\s*(;|$)/i;

/** The HTTP API payload 2.0 event for a request, as API Gateway builds it on the `$default` stage. */
export function apiGatewayEvent(r: RawRequest): APIGatewayProxyEventV2 {
  const queryAt = r.target.indexOf("?");
  const rawPath = queryAt === -1 ? r.target : r.target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : r.target.slice(queryAt + 1);

  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) {
    const name = r.rawHeaders[i].toLowerCase();
    const value = r.rawHeaders[i + 1];
    // Payload 2.0 moves cookies out of the headers; repeated headers are comma-joined.
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((c) => c.trim())
          .filter(Boolean),
      );
    } else {
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
  }
  headers["x-forwarded-for"] ??= r.sourceIp;
  headers["x-forwarded-port"] ??= String(r.localPort);
  headers["x-forwarded-proto"] ??= "http";

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[k] =
        k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
    }
  }

  const domainName = (headers.host ?? "localhost").replace(/:\d+$/, "");
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const hasBody = r.body.length > 0;
  return {
    version: "2.0",
    routeKey: r.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName,
      domainPrefix: domainName.split(".")[0],
      http: {
        method: r.method,
        path: rawPath,
        protocol: `HTTP/${r.httpVersion}`,
        sourceIp: r.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: r.requestId,
      routeKey: r.routeKey,
      stage: "$default",
      time: clfTime(r.now),
      timeEpoch: r.now.getTime(),
    },
    ...(hasBody ? { body: isText ? r.body.toString("utf8") : r.body.toString("base64") } : {}),
    isBase64Encoded: hasBody && !isText,
  };
}

const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
const pad = (n: number) => String(n).padStart(2, "0");
/** API Gateway's requestContext.time, e.g. `21/Apr/2020:15:08:21 +0000`. */
export const clfTime = (d: Date): string =>
  `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;

function writeResult(res: http.ServerResponse, result: ApiResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}
