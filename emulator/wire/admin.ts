// The test-only admin API under /__emulator/ (no auth, JSON, never recorded, never faulted): health,
// recorded requests, reset, faults, and the routing engine's clock/calls/engine endpoints.
import { FaultSpecError, type Fault, type Faults } from "./faults";
import type { RouteResult } from "./route";
import type { Runtime } from "../voice/runtime";

export const ADMIN_PREFIX = "/__emulator/";

export interface AdminDeps {
  accountSid: string;
  /** The emulator's origin. */
  base(): string;
  /** Every Twilio-API request since start or the last reset. */
  records: unknown[];
  faults: Faults;
  /** Back to the initial state, persisted. */
  reset(): void;
  /** Admin endpoints of the routing engine, clock and calls. */
  runtime?: Runtime;
}

/** Serves one admin request (`path` starts with ADMIN_PREFIX). */
export async function handleAdmin(
  deps: AdminDeps,
  method: string,
  path: string,
  body: Buffer,
): Promise<RouteResult> {
  const sub = path.slice(ADMIN_PREFIX.length - 1);
  const fail = (status: number, message: string) => ({ status, body: { error: message } });
  switch (`${method} ${sub}`) {
    case "GET /health":
      return { status: 200, body: { ok: true, url: deps.base(), account_sid: deps.accountSid } };
    case "GET /requests":
      return { status: 200, body: { requests: deps.records } };
    case "DELETE /requests":
      deps.records.length = 0;
      return { status: 204 };
    case "POST /reset":
      deps.reset();
      return { status: 204 };
    case "GET /faults":
      return { status: 200, body: { faults: deps.faults.all() } };
    case "DELETE /faults":
      deps.faults.clear();
      return { status: 204 };
    case "POST /faults": {
      let spec: unknown;
      try {
        spec = JSON.parse(body.toString("utf8"));
      } catch {
        return fail(400, "body must be a JSON fault specification");
      }
      try {
        const specs = Array.isArray(spec) ? spec : [spec];
        const added: Fault[] = specs.map((s) => deps.faults.add(s));
        return { status: 201, body: { faults: added } };
      } catch (err) {
        if (err instanceof FaultSpecError) return fail(400, err.message);
        throw err;
      }
    }
    default: {
      const served = await deps.runtime?.admin(method, sub, body);
      if (served) return served;
      return fail(404, `unknown admin endpoint ${method} ${path}`);
    }
  }
}
