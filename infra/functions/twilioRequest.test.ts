import assert from "node:assert/strict";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks";
import { memoryLogger } from "./log";
import { ROUTES, type RouteName } from "./routes";
import {
  FORBIDDEN,
  createHandler,
  isSignedByTwilio,
  parseForm,
  parseRequest,
  signedUrl,
  type Webhook,
} from "./twilioRequest";
import { WEBHOOKS } from "./webhooks";
import {
  AUTH_TOKEN,
  BASE_URL,
  CONFIG,
  INCOMING_CALL,
  RESERVATION_ACCEPTED,
  WAITING,
  assignmentParams,
  gathered,
  handleEvent,
  twilioEvent,
  type TwilioEventOptions,
} from "./testdata/twilioEvents";

/** A realistic signed request per route. */
const REQUESTS: Record<RouteName, Omit<TwilioEventOptions, "route">> = {
  incomingCall: { params: INCOMING_CALL },
  enqueueCall: { params: gathered("2") },
  holdMusic: { params: WAITING },
  queueResult: { params: { ...INCOMING_CALL, QueueResult: "leave" }, query: "line=sales" },
  exitChoice: { params: gathered("1"), query: "line=sales&why=closed" },
  voicemail: { params: INCOMING_CALL, query: "line=sales" },
  voicemailRecorded: {
    params: { AccountSid: INCOMING_CALL.AccountSid, RecordingStatus: "completed" },
    query: "line=sales&caller=%2B14155550123",
  },
  callback: { params: INCOMING_CALL, query: "line=sales" },
  assignment: { params: assignmentParams({ contact_uri: "+447700900123" }) },
  dialBack: { params: INCOMING_CALL, query: "line=sales&customer=%2B14155550123" },
  agentLegStatus: { params: { CallSid: INCOMING_CALL.CallSid, CallStatus: "completed" } },
  events: { params: RESERVATION_ACCEPTED },
};
/** Routes that answer with no content. */
const NO_CONTENT: readonly RouteName[] = ["events", "voicemailRecorded", "agentLegStatus"];

describe("Twilio's published signature test vector", () => {
  const url = "https://example.com/myapp.php?foo=1&bar=2";
  const params = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+14158675310",
    Digits: "1234",
    From: "+14158675310",
    To: "+18005551212",
  };

  it("is reproduced by the twilio helpers the handlers use", () => {
    assert.equal(getExpectedTwilioSignature("12345", url, params), "L/OH5YylLD5NRKLltdqwSvS0BnU=");
    assert.equal(validateRequest("12345", "L/OH5YylLD5NRKLltdqwSvS0BnU=", url, params), true);
  });

  it("validates when it arrives as an API Gateway event with a base64 form body", () => {
    const event = twilioEvent({
      route: "incomingCall",
      params,
      query: "foo=1&bar=2",
      signature: "L/OH5YylLD5NRKLltdqwSvS0BnU=",
    });
    event.rawPath = "/myapp.php";
    assert.equal(signedUrl(event, "https://example.com"), url);
    assert.equal(
      isSignedByTwilio(event, parseRequest(event), "12345", "https://example.com"),
      true,
    );
  });
});

describe("the signed URL", () => {
  it("is the public base URL, the raw path and the raw query on the $default stage", () => {
    const event = twilioEvent({ route: "incomingCall", params: {}, query: "attempt=2" });
    assert.equal(signedUrl(event, BASE_URL), `${BASE_URL}/incoming-call?attempt=2`);
  });

  it("drops a named stage from rawPath, because the base URL already holds it", () => {
    const event = twilioEvent({ route: "enqueueCall", params: {}, stage: "prod" });
    assert.equal(event.rawPath, "/prod/enqueue-call");
    assert.equal(signedUrl(event, `${BASE_URL}/prod`), `${BASE_URL}/prod/enqueue-call`);
  });

  it("ignores the Host header", () => {
    const event = twilioEvent({ route: "events", params: {} });
    event.headers.host = "attacker.example";
    assert.equal(signedUrl(event, BASE_URL), `${BASE_URL}/events`);
  });

  it("keeps the query string exactly as received", () => {
    const event = twilioEvent({ route: "holdMusic", params: { QueuePosition: "1", To: "+1 555" } });
    assert.equal(event.rawQueryString, "QueuePosition=1&To=%2B1+555");
    assert.equal(signedUrl(event, BASE_URL), `${BASE_URL}/hold-music?QueuePosition=1&To=%2B1+555`);
  });
});

describe("parseForm", () => {
  it("decodes + and percent escapes and keeps every value of a repeated key", () => {
    assert.deepEqual(parseForm("a=1&b=x+y&a=2&c=%2B1&a=3"), {
      a: ["1", "2", "3"],
      b: "x y",
      c: "+1",
    });
  });

  it("validates a signature over repeated keys", () => {
    const params = { Foo: ["b", "a"], Bar: "1" };
    const event = twilioEvent({ route: "events", params });
    assert.deepEqual(parseRequest(event).params, { Foo: ["b", "a"], Bar: "1" });
    assert.equal(isSignedByTwilio(event, parseRequest(event), AUTH_TOKEN, BASE_URL), true);
  });
});

describe("signature validation on every route", () => {
  for (const { name, method, path } of ROUTES) {
    const base = { route: name, ...REQUESTS[name] };
    /** `responded` counts calls of the route's own code: a rejected request must never reach it. */
    const call = async (event: APIGatewayProxyEventV2) => {
      let responded = 0;
      const counted: Webhook = {
        route: name,
        respond: (req, ctx) => (responded++, WEBHOOKS[name].respond(req, ctx)),
      };
      return { ...(await handleEvent(counted, event)), responded };
    };

    it(`${method} ${path} answers a correctly signed request with 200`, async () => {
      const { result, responded } = await call(twilioEvent(base));
      assert.equal(result.statusCode, NO_CONTENT.includes(name) ? 204 : 200);
      assert.equal(responded, 1);
    });

    const rejected = (reason: string) => [
      { level: "warn", msg: "request rejected", route: name, reason },
    ];

    it(`${method} ${path} answers 403 and does nothing when X-Twilio-Signature is missing`, async () => {
      const { result, lines, responded } = await call(twilioEvent({ ...base, signature: null }));
      assert.deepEqual(result, FORBIDDEN);
      assert.deepEqual(lines, rejected("X-Twilio-Signature is missing"));
      assert.equal(responded, 0);
    });

    it(`${method} ${path} answers 403 and does nothing when signed with another token`, async () => {
      const { result, lines, responded } = await call(
        twilioEvent({ ...base, token: "0".repeat(32) }),
      );
      assert.deepEqual(result, FORBIDDEN);
      assert.deepEqual(lines, rejected("X-Twilio-Signature does not match"));
      assert.equal(responded, 0);
    });

    it(`${method} ${path} answers 403 and does nothing when signed for another URL`, async () => {
      const other = `https://other.example.com${path}`;
      const { result, lines, responded } = await call(twilioEvent({ ...base, signUrl: other }));
      assert.deepEqual(result, FORBIDDEN);
      assert.deepEqual(lines, rejected("X-Twilio-Signature does not match"));
      assert.equal(responded, 0);
    });
  }

  it("answers 403 when a parameter was changed after signing", async () => {
    const event = twilioEvent({ route: "enqueueCall", params: gathered("1") });
    const tampered = twilioEvent({ route: "enqueueCall", params: gathered("2"), signature: "x" });
    tampered.headers["x-twilio-signature"] = event.headers["x-twilio-signature"];
    const { result, lines } = await handleEvent(WEBHOOKS.enqueueCall, tampered);
    assert.deepEqual(result, FORBIDDEN);
    assert.deepEqual(lines, [
      {
        level: "warn",
        msg: "request rejected",
        route: "enqueueCall",
        reason: "X-Twilio-Signature does not match",
      },
    ]);
  });

  it("answers 403 when our redirect's query string was dropped from the signed URL", async () => {
    const event = twilioEvent({
      route: "incomingCall",
      params: INCOMING_CALL,
      query: "attempt=2",
      signUrl: `${BASE_URL}/incoming-call`,
    });
    const { result } = await handleEvent(WEBHOOKS.incomingCall, event);
    assert.deepEqual(result, FORBIDDEN);
  });

  it("accepts a request through a named stage when the base URL includes the stage", async () => {
    const event = twilioEvent({
      route: "incomingCall",
      params: INCOMING_CALL,
      stage: "prod",
      baseUrl: `${BASE_URL}/prod`,
    });
    const config = { ...CONFIG, publicBaseUrl: `${BASE_URL}/prod` };
    const { result } = await handleEvent(WEBHOOKS.incomingCall, event, config);
    assert.equal(result.statusCode, 200);
  });

  it("skips the check when validation is off (the local stack)", async () => {
    const config = { ...CONFIG, stack: "local", signatureValidation: false };
    const event = twilioEvent({ route: "incomingCall", params: INCOMING_CALL, signature: null });
    const result = await createHandler(
      WEBHOOKS.incomingCall,
      async () => ({ config }),
      memoryLogger(),
    )(event);
    assert.equal(result.statusCode, 200);
  });
});

describe("handler failures", () => {
  it("answer 500 with one error log line when the runtime cannot start", async () => {
    const log = memoryLogger();
    const handler = createHandler(
      WEBHOOKS.events,
      () => Promise.reject(new Error("SSM parameter /x has no value")),
      log,
    );
    const result = await handler(twilioEvent({ route: "events", params: RESERVATION_ACCEPTED }));
    assert.deepEqual(result, {
      statusCode: 500,
      headers: { "content-type": "text/plain" },
      body: "Internal Server Error",
    });
    assert.deepEqual(log.lines, [
      {
        level: "error",
        msg: "handler cannot start",
        route: "events",
        error: "Error: SSM parameter /x has no value",
      },
    ]);
  });

  it("answer 500 with one error log line when a webhook throws", async () => {
    const broken = {
      route: "events" as const,
      respond: () => {
        throw new TypeError("boom");
      },
    };
    const { result, lines } = await handleEvent(
      broken,
      twilioEvent({ route: "events", params: RESERVATION_ACCEPTED }),
    );
    assert.equal(result.statusCode, 500);
    assert.deepEqual(lines, [
      { level: "error", msg: "handler failed", route: "events", error: "TypeError: boom" },
    ]);
  });
});
