// The call handlers' configuration contract: the environment variables the stack sets on each
// Lambda (infra/callHandlers.ts) and the local webhook host sets in-process. Pure: no I/O, so the
// AWS wiring, the local host and the tests share one validation. Type-only import of the model,
// so nothing from @sinclair/typebox reaches the bundles.
import { E164, HTTP_URL, KEYPAD_KEY } from "../taskrouter/formats";
import type { ContactCentreSpec } from "../taskrouter/model";
import type { CallFlow } from "./callFlow";
import { callFlowProblems } from "./callFlowProblems";

/** Environment variable names, by HandlerConfig field. */
export const HANDLER_ENV = {
  workspaceSid: "WORKSPACE_SID",
  workflowSid: "WORKFLOW_SID",
  wrapUpActivitySid: "WRAP_UP_ACTIVITY_SID",
  centreNumber: "CENTRE_NUMBER",
  /** JSON of `ContactCentreSpec["phone"]["ivr"]` plus `holdMusicUrl` (see `ivrMenuFromPhone`). */
  ivrMenu: "IVR_MENU",
  /** JSON of `CallFlow` (callFlow.ts): lines, hours, exits, agent leg. Optional while stacks move to it. */
  callFlow: "CALL_FLOW",
  /** Base URL of Twilio's REST API for the handlers' own requests: the local stack only (the emulator). */
  twilioApiBaseUrl: "TWILIO_API_BASE_URL",
  /** Base URL the routes hang under, no trailing slash (API endpoint, stage or custom domain). */
  publicBaseUrl: "PUBLIC_BASE_URL",
  /** Name of the SSM SecureString holding the account auth token (deployed stacks). */
  authTokenParameter: "TWILIO_AUTH_TOKEN_PARAMETER",
  /** The auth token itself: the local stack only. */
  authToken: "TWILIO_AUTH_TOKEN",
  /** `on` (default) or `off`; `off` only with CONTACT_CENTRE_STACK=local. */
  signatureValidation: "TWILIO_SIGNATURE_VALIDATION",
  /** The stack name; `local` unlocks TWILIO_AUTH_TOKEN and TWILIO_SIGNATURE_VALIDATION=off. */
  stack: "CONTACT_CENTRE_STACK",
} as const;

/** The only stack allowed to carry the token in plain env or to switch validation off. */
export const LOCAL_STACK = "local";

/** Played while a caller waits when the stack names no hold music (Twilio's public classical track). */
export const DEFAULT_HOLD_MUSIC_URL =
  "https://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3";

/** What IVR_MENU holds. */
export type IvrMenu = ContactCentreSpec["phone"]["ivr"] & { holdMusicUrl?: string };

export type AuthTokenSource =
  | { from: "ssm"; parameterName: string }
  | { from: "env"; value: string }
  /** Only with signature validation off. */
  | { from: "none" };

export interface HandlerConfig {
  /** CONTACT_CENTRE_STACK, when set. */
  stack?: string;
  workspaceSid: string;
  workflowSid: string;
  wrapUpActivitySid: string;
  /** E.164; the caller ID of the agent leg. */
  centreNumber: string;
  ivr: IvrMenu;
  /** CALL_FLOW, when set: the handlers then run its lines, hours and exits. */
  callFlow?: CallFlow;
  /** TWILIO_API_BASE_URL (local stack only); absent = Twilio's own domains. */
  twilioApiBaseUrl?: string;
  publicBaseUrl: string;
  authToken: AuthTokenSource;
  signatureValidation: boolean;
}

export class HandlerConfigError extends Error {
  override name = "HandlerConfigError";
}

/** The IVR_MENU value for a loaded stack. */
export function ivrMenuFromPhone(
  phone: Pick<ContactCentreSpec["phone"], "ivr" | "holdMusicUrl">,
): IvrMenu {
  return phone.holdMusicUrl === undefined
    ? { ...phone.ivr }
    : { ...phone.ivr, holdMusicUrl: phone.holdMusicUrl };
}

const SID = (prefix: string, what: string) => ({
  re: new RegExp(`^${prefix}[0-9a-fA-F]{32}$`),
  rule: `must be ${what} SID (${prefix} followed by 32 hex digits)`,
});
const SIDS = {
  workspaceSid: SID("WS", "a workspace"),
  workflowSid: SID("WW", "a workflow"),
  wrapUpActivitySid: SID("WA", "an activity"),
} as const;

/**
 * Reads and validates the handler environment. Every problem is reported at once, each naming its
 * variable: `HandlerConfigError("invalid handler configuration: WORKFLOW_SID is not set; …")`.
 */
export function readHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === "" ? undefined : v;
  };
  const required = (name: string): string => {
    const v = get(name);
    if (v === undefined) problems.push(`${name} is not set`);
    return v ?? "";
  };

  const sids = {} as Record<keyof typeof SIDS, string>;
  for (const key of Object.keys(SIDS) as (keyof typeof SIDS)[]) {
    const name = HANDLER_ENV[key];
    const v = required(name);
    if (v && !SIDS[key].re.test(v)) problems.push(`${name} ${SIDS[key].rule}, got ${quote(v)}`);
    sids[key] = v;
  }

  const centreNumber = required(HANDLER_ENV.centreNumber);
  if (centreNumber && !E164.test(centreNumber)) {
    problems.push(
      `${HANDLER_ENV.centreNumber} must be an E.164 number such as +15555550100, got ${quote(centreNumber)}`,
    );
  }

  const publicBaseUrl = required(HANDLER_ENV.publicBaseUrl);
  if (publicBaseUrl) {
    const why = baseUrlProblem(publicBaseUrl);
    if (why) problems.push(`${HANDLER_ENV.publicBaseUrl} ${why}, got ${quote(publicBaseUrl)}`);
  }

  const ivrText = required(HANDLER_ENV.ivrMenu);
  let ivr = undefined as unknown as IvrMenu;
  if (ivrText) {
    try {
      ivr = JSON.parse(ivrText) as IvrMenu;
      problems.push(...ivrMenuProblems(ivr).map((p) => `${HANDLER_ENV.ivrMenu}${p}`));
    } catch (err) {
      problems.push(`${HANDLER_ENV.ivrMenu} is not valid JSON (${(err as Error).message})`);
    }
  }

  const flowText = get(HANDLER_ENV.callFlow);
  let callFlow: CallFlow | undefined;
  if (flowText !== undefined) {
    try {
      callFlow = JSON.parse(flowText) as CallFlow;
      problems.push(...callFlowProblems(callFlow).map((p) => `${HANDLER_ENV.callFlow}${p}`));
    } catch (err) {
      problems.push(`${HANDLER_ENV.callFlow} is not valid JSON (${(err as Error).message})`);
    }
  }

  const stack = get(HANDLER_ENV.stack);
  const isLocal = stack === LOCAL_STACK;
  const stackSays = `CONTACT_CENTRE_STACK=${LOCAL_STACK} (it is ${stack === undefined ? "not set" : quote(stack)})`;

  const twilioApiBaseUrl = get(HANDLER_ENV.twilioApiBaseUrl);
  if (twilioApiBaseUrl !== undefined) {
    const why = baseUrlProblem(twilioApiBaseUrl);
    if (why) {
      problems.push(`${HANDLER_ENV.twilioApiBaseUrl} ${why}, got ${quote(twilioApiBaseUrl)}`);
    }
    if (!isLocal)
      problems.push(`${HANDLER_ENV.twilioApiBaseUrl} is allowed only with ${stackSays}`);
  }

  const validation = get(HANDLER_ENV.signatureValidation) ?? "on";
  if (validation !== "on" && validation !== "off") {
    problems.push(
      `${HANDLER_ENV.signatureValidation} must be "on" or "off", got ${quote(validation)}`,
    );
  } else if (validation === "off" && !isLocal) {
    problems.push(`${HANDLER_ENV.signatureValidation}=off is allowed only with ${stackSays}`);
  }
  const signatureValidation = validation !== "off";

  const parameterName = get(HANDLER_ENV.authTokenParameter);
  const token = get(HANDLER_ENV.authToken);
  let authToken: AuthTokenSource = { from: "none" };
  if (parameterName !== undefined && token !== undefined) {
    problems.push(
      `set only one of ${HANDLER_ENV.authTokenParameter} and ${HANDLER_ENV.authToken}, not both`,
    );
  } else if (token !== undefined) {
    if (!isLocal) problems.push(`${HANDLER_ENV.authToken} is allowed only with ${stackSays}`);
    authToken = { from: "env", value: token };
  } else if (parameterName !== undefined) {
    authToken = { from: "ssm", parameterName };
  } else if (signatureValidation) {
    problems.push(
      `${HANDLER_ENV.authTokenParameter} is not set (signature validation needs the auth token)`,
    );
  }

  if (problems.length > 0) {
    throw new HandlerConfigError(`invalid handler configuration: ${problems.join("; ")}`);
  }
  return {
    ...(stack === undefined ? {} : { stack }),
    ...sids,
    centreNumber,
    ivr,
    ...(callFlow === undefined ? {} : { callFlow }),
    ...(twilioApiBaseUrl === undefined ? {} : { twilioApiBaseUrl }),
    publicBaseUrl,
    authToken,
    signatureValidation,
  };
}

/** The environment that `readHandlerConfig` turns back into `config` (local host, tests). */
export function handlerEnv(config: HandlerConfig): Record<string, string> {
  const env: Record<string, string> = {
    [HANDLER_ENV.workspaceSid]: config.workspaceSid,
    [HANDLER_ENV.workflowSid]: config.workflowSid,
    [HANDLER_ENV.wrapUpActivitySid]: config.wrapUpActivitySid,
    [HANDLER_ENV.centreNumber]: config.centreNumber,
    [HANDLER_ENV.ivrMenu]: JSON.stringify(config.ivr),
    [HANDLER_ENV.publicBaseUrl]: config.publicBaseUrl,
    [HANDLER_ENV.signatureValidation]: config.signatureValidation ? "on" : "off",
  };
  if (config.stack !== undefined) env[HANDLER_ENV.stack] = config.stack;
  if (config.callFlow !== undefined) env[HANDLER_ENV.callFlow] = JSON.stringify(config.callFlow);
  if (config.twilioApiBaseUrl !== undefined) {
    env[HANDLER_ENV.twilioApiBaseUrl] = config.twilioApiBaseUrl;
  }
  if (config.authToken.from === "ssm") {
    env[HANDLER_ENV.authTokenParameter] = config.authToken.parameterName;
  }
  if (config.authToken.from === "env") env[HANDLER_ENV.authToken] = config.authToken.value;
  return env;
}

const quote = (s: string) => JSON.stringify(s);

function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL";
  if (url.search || url.hash || value.includes("?") || value.includes("#")) {
    return "must have no query or fragment";
  }
  if (value.endsWith("/")) return "must not end with a slash";
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Problems in a parsed IVR_MENU, each starting with the JSON path (`.options["1"].label …`). */
function ivrMenuProblems(menu: unknown): string[] {
  if (!isObject(menu)) return [" must be a JSON object"];
  const out: string[] = [];
  for (const key of ["greeting", "voice", "language"]) {
    if (!isText(menu[key])) out.push(`.${key} must be a non-empty string`);
  }
  if (!isObject(menu.options)) {
    out.push(".options must be an object of keypad key → option");
  } else {
    for (const [digit, option] of Object.entries(menu.options)) {
      const at = `.options[${quote(digit)}]`;
      if (!KEYPAD_KEY.test(digit)) out.push(`${at}: the key must be one keypad key (0-9, *, #)`);
      if (!isObject(option)) {
        out.push(`${at} must be an object with label and attributes`);
        continue;
      }
      if (!isText(option.label)) out.push(`${at}.label must be a non-empty string`);
      if (!isObject(option.attributes)) out.push(`${at}.attributes must be an object`);
    }
  }
  if (!isObject(menu.defaultAttributes)) out.push(".defaultAttributes must be an object");
  if (menu.holdMusicUrl !== undefined) {
    const url = menu.holdMusicUrl;
    if (typeof url !== "string" || !HTTP_URL.test(url)) {
      out.push(".holdMusicUrl must be an http(s) URL");
    }
  }
  return out;
}
