import assert from "node:assert/strict";
import { HandlerConfigError, handlerEnv, ivrMenuFromPhone, readHandlerConfig } from "./config";
import { CALL_FLOW } from "./testdata/callFlow";
import { AUTH_TOKEN, BASE_URL, CONFIG, SIDS } from "./testdata/twilioEvents";

const deployedEnv = (): Record<string, string> => ({
  WORKSPACE_SID: SIDS.workspace,
  WORKFLOW_SID: SIDS.workflow,
  WRAP_UP_ACTIVITY_SID: SIDS.wrapUp,
  CENTRE_NUMBER: "+15555550100",
  IVR_MENU: JSON.stringify(CONFIG.ivr),
  PUBLIC_BASE_URL: BASE_URL,
  TWILIO_AUTH_TOKEN_PARAMETER: "/contact-centre/dev/twilio-auth-token",
  CONTACT_CENTRE_STACK: "dev",
});

const fails = (env: Record<string, string | undefined>, message: string) =>
  assert.throws(() => readHandlerConfig(env), { name: "HandlerConfigError", message });

describe("readHandlerConfig", () => {
  it("reads a deployed stack's environment, taking the token from SSM with validation on", () => {
    assert.deepEqual(readHandlerConfig(deployedEnv()), {
      stack: "dev",
      workspaceSid: SIDS.workspace,
      workflowSid: SIDS.workflow,
      wrapUpActivitySid: SIDS.wrapUp,
      centreNumber: "+15555550100",
      ivr: CONFIG.ivr,
      publicBaseUrl: BASE_URL,
      authToken: { from: "ssm", parameterName: "/contact-centre/dev/twilio-auth-token" },
      signatureValidation: true,
    });
  });

  it("turns handlerEnv's output back into the same config", () => {
    const local = { ...CONFIG, stack: "local" };
    assert.deepEqual(readHandlerConfig(handlerEnv(local)), local);
  });

  it("names a missing variable", () => {
    fails(
      { ...deployedEnv(), WORKFLOW_SID: undefined },
      "invalid handler configuration: WORKFLOW_SID is not set",
    );
  });

  it("treats an empty variable as missing and reports every problem at once", () => {
    fails(
      { ...deployedEnv(), CENTRE_NUMBER: "", PUBLIC_BASE_URL: undefined, IVR_MENU: undefined },
      "invalid handler configuration: CENTRE_NUMBER is not set; PUBLIC_BASE_URL is not set; IVR_MENU is not set",
    );
  });

  it("rejects SIDs of the wrong kind and a number that is not E.164", () => {
    fails(
      { ...deployedEnv(), WRAP_UP_ACTIVITY_SID: SIDS.workflow, CENTRE_NUMBER: "555-0100" },
      `invalid handler configuration: WRAP_UP_ACTIVITY_SID must be an activity SID (WA followed by 32 hex digits), got "${SIDS.workflow}"; CENTRE_NUMBER must be an E.164 number such as +15555550100, got "555-0100"`,
    );
  });

  it("rejects a public base URL with a trailing slash, a query or no scheme", () => {
    fails(
      { ...deployedEnv(), PUBLIC_BASE_URL: `${BASE_URL}/` },
      `invalid handler configuration: PUBLIC_BASE_URL must not end with a slash, got "${BASE_URL}/"`,
    );
    fails(
      { ...deployedEnv(), PUBLIC_BASE_URL: `${BASE_URL}?x=1` },
      `invalid handler configuration: PUBLIC_BASE_URL must have no query or fragment, got "${BASE_URL}?x=1"`,
    );
    fails(
      { ...deployedEnv(), PUBLIC_BASE_URL: "abc.execute-api.eu-west-1.amazonaws.com" },
      'invalid handler configuration: PUBLIC_BASE_URL must be an absolute URL, got "abc.execute-api.eu-west-1.amazonaws.com"',
    );
  });

  it("rejects an IVR menu that is not JSON", () => {
    fails(
      { ...deployedEnv(), IVR_MENU: "{greeting: hi}" },
      `invalid handler configuration: IVR_MENU is not valid JSON (${jsonError("{greeting: hi}")})`,
    );
  });

  it("names each invalid part of the IVR menu by its JSON path", () => {
    const menu = {
      greeting: "",
      voice: "Polly.Joanna",
      options: { "12": { label: "Sales", attributes: {} }, "3": { attributes: [] } },
      defaultAttributes: {},
      holdMusicUrl: "ftp://x",
    };
    fails(
      { ...deployedEnv(), IVR_MENU: JSON.stringify(menu) },
      'invalid handler configuration: IVR_MENU.greeting must be a non-empty string; IVR_MENU.language must be a non-empty string; IVR_MENU.options["3"].label must be a non-empty string; IVR_MENU.options["3"].attributes must be an object; IVR_MENU.options["12"]: the key must be one keypad key (0-9, *, #); IVR_MENU.holdMusicUrl must be an http(s) URL',
    );
  });

  it("allows TWILIO_SIGNATURE_VALIDATION=off on the local stack, with no token needed", () => {
    const env = {
      ...deployedEnv(),
      CONTACT_CENTRE_STACK: "local",
      TWILIO_AUTH_TOKEN_PARAMETER: undefined,
      TWILIO_SIGNATURE_VALIDATION: "off",
    };
    const config = readHandlerConfig(env);
    assert.equal(config.signatureValidation, false);
    assert.deepEqual(config.authToken, { from: "none" });
  });

  it("refuses TWILIO_SIGNATURE_VALIDATION=off outside the local stack", () => {
    fails(
      { ...deployedEnv(), TWILIO_SIGNATURE_VALIDATION: "off" },
      'invalid handler configuration: TWILIO_SIGNATURE_VALIDATION=off is allowed only with CONTACT_CENTRE_STACK=local (it is "dev")',
    );
    fails(
      { ...deployedEnv(), CONTACT_CENTRE_STACK: undefined, TWILIO_SIGNATURE_VALIDATION: "off" },
      "invalid handler configuration: TWILIO_SIGNATURE_VALIDATION=off is allowed only with CONTACT_CENTRE_STACK=local (it is not set)",
    );
  });

  it("refuses a validation value other than on or off", () => {
    fails(
      { ...deployedEnv(), TWILIO_SIGNATURE_VALIDATION: "false" },
      'invalid handler configuration: TWILIO_SIGNATURE_VALIDATION must be "on" or "off", got "false"',
    );
  });

  it("takes the token itself only on the local stack", () => {
    const local = {
      ...deployedEnv(),
      CONTACT_CENTRE_STACK: "local",
      TWILIO_AUTH_TOKEN_PARAMETER: undefined,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    };
    assert.deepEqual(readHandlerConfig(local).authToken, { from: "env", value: AUTH_TOKEN });
    fails(
      { ...local, CONTACT_CENTRE_STACK: "prod" },
      'invalid handler configuration: TWILIO_AUTH_TOKEN is allowed only with CONTACT_CENTRE_STACK=local (it is "prod")',
    );
  });

  it("needs a token source while validation is on, and only one", () => {
    fails(
      { ...deployedEnv(), TWILIO_AUTH_TOKEN_PARAMETER: undefined },
      "invalid handler configuration: TWILIO_AUTH_TOKEN_PARAMETER is not set (signature validation needs the auth token)",
    );
    fails(
      { ...deployedEnv(), CONTACT_CENTRE_STACK: "local", TWILIO_AUTH_TOKEN: AUTH_TOKEN },
      "invalid handler configuration: set only one of TWILIO_AUTH_TOKEN_PARAMETER and TWILIO_AUTH_TOKEN, not both",
    );
  });

  it("reads CALL_FLOW and TWILIO_API_BASE_URL on the local stack and writes them back", () => {
    const local = {
      ...CONFIG,
      stack: "local",
      callFlow: CALL_FLOW,
      twilioApiBaseUrl: "http://127.0.0.1:3033",
    };
    assert.deepEqual(readHandlerConfig(handlerEnv(local)), local);
    assert.deepEqual(
      readHandlerConfig({ ...deployedEnv(), CALL_FLOW: JSON.stringify(CALL_FLOW) }),
      {
        ...readHandlerConfig(deployedEnv()),
        callFlow: CALL_FLOW,
      },
    );
  });

  it("refuses TWILIO_API_BASE_URL outside the local stack, and one that is not a base URL", () => {
    fails(
      { ...deployedEnv(), TWILIO_API_BASE_URL: "http://127.0.0.1:3033/" },
      "invalid handler configuration: TWILIO_API_BASE_URL must not end with a slash, " +
        'got "http://127.0.0.1:3033/"; TWILIO_API_BASE_URL is allowed only with ' +
        'CONTACT_CENTRE_STACK=local (it is "dev")',
    );
  });

  it("rejects a CALL_FLOW that is not JSON", () => {
    fails(
      { ...deployedEnv(), CALL_FLOW: "{lines" },
      "invalid handler configuration: CALL_FLOW is not valid JSON (" +
        errorOf(() => JSON.parse("{lines")) +
        ")",
    );
  });

  it("names each invalid part of CALL_FLOW by its JSON path, all at once", () => {
    const sales = CALL_FLOW.lines[0];
    const bad = {
      ...CALL_FLOW,
      lines: [
        {
          ...sales,
          ivr: { ...sales.ivr, options: { "1": { label: "x", attributes: {}, maxWait: 0 } } },
          hours: {
            ...sales.hours,
            timeZone: "Mars/Olympus",
            weekly: {
              mon: [
                { open: "09:00", close: "08:00" },
                { open: "25:00", close: "12:00" },
              ],
              tue: [
                { open: "09:00", close: "13:00" },
                { open: "12:00", close: "17:00" },
              ],
              funday: [],
            },
            closures: [{ name: "Boxing Day", from: "2026-12-26T00:00", to: "2026-12-26T00:00" }],
          },
          whenClosed: ["voicemail", "fax", "voicemail"],
          maxWait: -5,
        },
        { ...CALL_FLOW.lines[1], number: sales.number, recordCalls: "yes" },
      ],
      voicemail: { ...CALL_FLOW.voicemail, maxLength: 1.5 },
      callback: { ...CALL_FLOW.callback, preferLastAgent: undefined },
      agentLeg: {},
    };
    fails(
      { ...deployedEnv(), CALL_FLOW: JSON.stringify(bad) },
      "invalid handler configuration: " +
        [
          'CALL_FLOW.lines[0].ivr.options["1"].maxWait must be a whole number of seconds above 0',
          'CALL_FLOW.lines[0].hours.timeZone: unknown time zone "Mars/Olympus": use an IANA name such as Europe/London',
          "CALL_FLOW.lines[0].hours.weekly.mon[0]: closes (08:00) at or before it opens (09:00); a range past midnight is two ranges, one on each day",
          'CALL_FLOW.lines[0].hours.weekly.mon[1].open: "25:00" is not a time of day: use HH:MM, 00:00 to 23:59',
          "CALL_FLOW.lines[0].hours.weekly.tue[1]: 12:00-17:00 overlaps 09:00-13:00",
          "CALL_FLOW.lines[0].hours.weekly.funday: unknown day: use mon, tue, wed, thu, fri, sat, sun",
          "CALL_FLOW.lines[0].hours.closures[0]: Boxing Day ends (2026-12-26T00:00) at or before it starts (2026-12-26T00:00)",
          'CALL_FLOW.lines[0].whenClosed[1] must be "voicemail" or "callback", got "fax"',
          'CALL_FLOW.lines[0].whenClosed[2] repeats "voicemail"',
          "CALL_FLOW.lines[0].maxWait must be a whole number of seconds above 0",
          "CALL_FLOW.lines[1].number +441234567890 is also .lines[0].number",
          "CALL_FLOW.lines[1].recordCalls must be true or false",
          "CALL_FLOW.voicemail.maxLength must be a whole number of seconds above 0",
          "CALL_FLOW.callback.preferLastAgent must be true or false",
          "CALL_FLOW.agentLeg.ringTimeout must be a whole number of seconds above 0",
        ].join("; "),
    );
  });

  it("throws a HandlerConfigError", () => {
    assert.throws(() => readHandlerConfig({}), HandlerConfigError);
  });
});

describe("ivrMenuFromPhone", () => {
  it("adds the hold music URL to the stack's IVR", () => {
    const { holdMusicUrl, ...ivr } = CONFIG.ivr;
    assert.deepEqual(ivrMenuFromPhone({ ivr, holdMusicUrl }), CONFIG.ivr);
    assert.deepEqual(ivrMenuFromPhone({ ivr }), ivr);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return "";
  } catch (err) {
    return (err as Error).message;
  }
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a throw");
}
