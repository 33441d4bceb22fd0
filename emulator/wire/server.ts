// The local Twilio: a node:http server on 127.0.0.1 serving TaskRouter v1, API 2010
// IncomingPhoneNumbers and the test-only admin API under /__emulator/. See emulator/README.md.
import { DEFAULT_RATE_LIMITS, type RateLimits } from "../../infra/taskrouter/rateLimits";
import { RateLimiter } from "./rateLimits";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  authenticate,
  internalError,
  invalidParameter,
  tooManyRequests,
  TwilioError,
} from "../errors";
import { ADMIN_PREFIX, handleAdmin } from "./admin";
import { Faults } from "./faults";
import { Params } from "./params";
import { matchRoute } from "./routes";
import type { RouteResult } from "./route";
import { Store } from "../state/store";
import type { Clock } from "../taskrouter/clock";
import type { Phone } from "../voice/phone";
import type { Engine } from "../taskrouter/engine";
import type { Deliver } from "../taskrouter/deliver";
import { attachRuntime, type Runtime } from "../voice/runtime";

export interface EmulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  accountSid: string;
  authToken: string;
  /** E.164 numbers the account owns. */
  numbers: string[];
  /** With a path, every acknowledged change is written there (atomically) before the response. */
  statePath?: string;
  /** Called with every recorded request once its response is sent (tests validate bodies here). */
  onResponse?: (record: RecordedRequest) => void;
  /**
   * TaskRouter's per-endpoint rate limits (infra/taskrouter/rateLimits.ts), answered 429 above
   * them. Default: enforced with the default limits; `false` turns them off.
   */
  rateLimits?: RateLimits | false;
  /** Routing engine clock (issue 4): "real" (default) or "virtual" (advanced via the admin API). */
  clock?: "real" | "virtual" | Clock;
  /** Outgoing webhooks (callbacks, TwiML); default fetch. */
  deliver?: Deliver;
  /** Virtual call talk time in seconds (default 30). */
  talkSeconds?: number;
}

export interface RecordedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  params: Record<string, string | string[]>;
  /** HTTP status sent; null when the connection was dropped by a fault. */
  status: number | null;
  /** Route template that served it (null: unknown route or rejected before routing). */
  route: string | null;
  /** Parsed JSON body of the response (null for 204 and dropped connections). */
  response: unknown;
  /** Fault kind that decided this response, if any. */
  fault: string | null;
}

export interface Emulator {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  accountSid: string;
  authToken: string;
  store: Store;
  /** Every Twilio-API request since start or the last reset (admin requests are not recorded). */
  records: RecordedRequest[];
  faults: Faults;
  /** Routing engine, its clock and the virtual phone (emulator/engineRuntime.ts). */
  clock: Clock;
  engine: Engine;
  phone: Phone;
  /** Writes the state file now (no-op without statePath). The engine calls it after timer-driven changes. */
  persist(): void;
  /** Clears state (back to empty workspaces and unconfigured numbers), records and faults. */
  reset(): void;
  close(): Promise<void>;
}

/** Documented development defaults (README): used by `npm run emulator` when flags are omitted. */
export const DEV_ACCOUNT_SID = "AC00000000000000000000000000000000";
export const DEV_AUTH_TOKEN = "emulator-dev-auth-token";
export const DEV_NUMBER = "+15555550100";

const BODY_LIMIT = 4 * 1024 * 1024;

export interface HandlerDeps {
  store: Store;
  accountSid: string;
  authToken: string;
  statePath?: string;
  records: RecordedRequest[];
  faults: Faults;
  /** Origin used in absolute URLs; read per request because the port is known only after listen. */
  base(): string;
  reset(): void;
  onResponse?: (record: RecordedRequest) => void;
  /** Enforces TaskRouter's rate limits; absent: not enforced. */
  rateLimiter?: RateLimiter;
  /** Admin endpoints of the routing engine, clock and calls (issue 4). */
  runtime?: Runtime;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) over = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(over ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Strict application/x-www-form-urlencoded: ASCII only, valid %XX escapes, valid UTF-8. */
function parseForm(raw: Buffer): Params {
  const text = raw.toString("latin1");
  if (/[^\x21-\x7e]/.test(text.replace(/\+/g, " ").replace(/ /g, "+"))) {
    throw invalidParameter(
      "Malformed form body: characters outside printable ASCII must be percent-encoded",
    );
  }
  const params = new URLSearchParams();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const i = pair.indexOf("=");
    const [k, v] = i < 0 ? [pair, ""] : [pair.slice(0, i), pair.slice(i + 1)];
    try {
      params.append(
        decodeURIComponent(k.replace(/\+/g, " ")),
        decodeURIComponent(v.replace(/\+/g, " ")),
      );
    } catch {
      throw invalidParameter(
        `Malformed form body: invalid percent-encoding in ${JSON.stringify(pair.slice(0, 40))}`,
      );
    }
  }
  return new Params(params);
}

function authorized(req: http.IncomingMessage, accountSid: string, authToken: string): boolean {
  const h = req.headers.authorization;
  if (!h || !/^Basic /i.test(h)) return false;
  const decoded = Buffer.from(h.slice(6).trim(), "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i > 0 && decoded.slice(0, i) === accountSid && decoded.slice(i + 1) === authToken;
}

/** Builds the request handler (no listening), so it can be mounted or tested on its own. */
export function createRequestHandler(deps: HandlerDeps): http.RequestListener {
  let seq = 0;
  let lastSaved = deps.store.version;
  const persistIfChanged = () => {
    if (deps.statePath && deps.store.version !== lastSaved) {
      deps.store.saveTo(deps.statePath);
      lastSaved = deps.store.version;
    }
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new Params(new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)));
    const raw = await readBody(req);

    if (path.startsWith(ADMIN_PREFIX)) {
      if (raw === "too-large") return send(res, 413, { error: "body too large" });
      const admin = { ...deps, reset: () => (deps.reset(), persistIfChanged()) };
      const served = await handleAdmin(admin, method, path, raw);
      return send(res, served.status, served.body);
    }

    const record: RecordedRequest = {
      seq: ++seq,
      time: new Date().toISOString(),
      method,
      path,
      query: query.toJSON(),
      params: {},
      status: null,
      route: null,
      response: null,
      fault: null,
    };
    deps.records.push(record);
    let rateHeaders: Record<string, string> = {};
    const reply = (result: RouteResult) => {
      record.status = result.status;
      record.response = result.body ?? null;
      send(res, result.status, result.body, { ...rateHeaders, ...result.headers });
      try {
        deps.onResponse?.(record);
      } catch (err) {
        process.stderr.write(
          `emulator: onResponse hook failed: ${(err as Error).stack ?? String(err)}\n`,
        );
      }
    };
    const replyError = (err: TwilioError) => {
      const headers: Record<string, string> =
        err.status === 401 ? { "WWW-Authenticate": 'Basic realm="Twilio API"' } : {};
      reply({ status: err.status, body: err.toBody(), headers });
    };

    const decision = deps.faults.decide(method, path);
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.action === "drop") {
      record.fault = "drop";
      req.socket.destroy();
      return;
    }
    if (decision.action !== "none") {
      record.fault = String(decision.action.status);
      return replyError(decision.action);
    }
    const rate = deps.rateLimiter?.admit(method, path, record.query);
    if (rate) rateHeaders = rate.headers;
    if (rate && !rate.admitted) return replyError(tooManyRequests());

    try {
      if (!authorized(req, deps.accountSid, deps.authToken)) {
        throw authenticate();
      }
      if (raw === "too-large")
        throw invalidParameter(`Request body larger than ${BODY_LIMIT} bytes`);
      let form = new Params();
      if (raw.length > 0) {
        const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/x-www-form-urlencoded") {
          throw invalidParameter(
            `Content-Type must be application/x-www-form-urlencoded, not ${JSON.stringify(type)}`,
          );
        }
        form = parseForm(raw);
      }
      record.params = form.toJSON();
      const { route, pathParams } = matchRoute(method, path);
      record.route = route.template;
      const ifMatchHeader = req.headers["if-match"];
      const result = route.handler({
        store: deps.store,
        base: deps.base(),
        path,
        pathParams,
        query,
        form,
        ifMatch: typeof ifMatchHeader === "string" ? ifMatchHeader : undefined,
        history: deps.runtime?.engine.history ?? null,
      });
      persistIfChanged();
      reply(result);
    } catch (err) {
      if (err instanceof TwilioError) {
        // a refused request changed nothing, but a failed write must not be acknowledged
        persistIfChanged();
        return replyError(err);
      }
      process.stderr.write(
        `emulator: internal error on ${method} ${path}: ${(err as Error).stack ?? String(err)}\n`,
      );
      replyError(internalError());
    }
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`emulator: ${(err as Error).stack ?? String(err)}\n`);
      send(res, 500, internalError().toBody());
    });
  };
}

export async function createEmulator(opts: EmulatorOptions): Promise<Emulator> {
  if (!/^AC[0-9a-fA-F]{32}$/.test(opts.accountSid)) {
    throw new Error(
      `emulator: account SID ${opts.accountSid} must be AC followed by 32 hex digits`,
    );
  }
  if (!opts.authToken) throw new Error("emulator: auth token must not be empty");
  const store = new Store({ accountSid: opts.accountSid, numbers: opts.numbers });
  if (opts.statePath) store.loadFrom(opts.statePath);
  const records: RecordedRequest[] = [];
  const faults = new Faults();
  const rateLimiter =
    opts.rateLimits === false ? undefined : new RateLimiter(opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  let base = "";
  const persist = () => {
    if (opts.statePath) store.saveTo(opts.statePath);
  };
  const runtime = attachRuntime(store, {
    clock: opts.clock,
    authToken: opts.authToken,
    deliver: opts.deliver,
    talkSeconds: opts.talkSeconds,
    onChange: persist,
  });
  const reset = () => {
    store.reset();
    records.length = 0;
    faults.clear();
    rateLimiter?.clear();
  };
  const handler = createRequestHandler({
    store,
    accountSid: opts.accountSid,
    authToken: opts.authToken,
    statePath: opts.statePath,
    records,
    faults,
    base: () => base,
    reset,
    onResponse: opts.onResponse,
    rateLimiter,
    runtime,
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    accountSid: opts.accountSid,
    authToken: opts.authToken,
    store,
    records,
    faults,
    clock: runtime.clock,
    engine: runtime.engine,
    phone: runtime.phone,
    persist,
    reset: () => {
      reset();
      persist();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        runtime.stop();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
