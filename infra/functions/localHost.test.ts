import assert from "node:assert/strict";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import {
  apiGatewayEvent,
  clfTime,
  startLocalWebhookHost,
  type LocalWebhookHost,
} from "./localHost";
import { memoryLogger } from "./log";
import { SIGNATURE_VALIDATION_OFF_WARNING } from "./runtime";
import { CALL_FLOW, SALES_NUMBER } from "./testdata/callFlow";
import {
  AGENT,
  AUTH_TOKEN,
  CENTRE_NUMBER,
  CONFIG,
  INCOMING_CALL,
  RESERVATION_ACCEPTED,
  SIDS,
  WAITING,
  assignmentParams,
  formBody,
  gathered,
} from "./testdata/twilioEvents";

const { publicBaseUrl: _, ...LOCAL_CONFIG } = { ...CONFIG, stack: "local" };

describe("apiGatewayEvent", () => {
  it("builds the HTTP API payload 2.0 event API Gateway delivers for a Twilio form POST", () => {
    const body = Buffer.from("CallSid=CA1&From=%2B14155550123&Digits=1");
    const event = apiGatewayEvent({
      method: "POST",
      target: "/enqueue-call?attempt=2&x=a%20b&x=c",
      rawHeaders: [
        "Host",
        "127.0.0.1:4100",
        "Content-Type",
        "application/x-www-form-urlencoded",
        "X-Twilio-Signature",
        "abc=",
        "User-Agent",
        "TwilioProxy/1.1",
        "Cookie",
        "a=1; b=2",
        "X-Repeat",
        "one",
        "x-repeat",
        "two",
      ],
      httpVersion: "1.1",
      sourceIp: "127.0.0.1",
      localPort: 4100,
      body,
      routeKey: "POST /enqueue-call",
      now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      requestId: "req-1",
    });
    assert.deepEqual(event, {
      version: "2.0",
      routeKey: "POST /enqueue-call",
      rawPath: "/enqueue-call",
      rawQueryString: "attempt=2&x=a%20b&x=c",
      cookies: ["a=1", "b=2"],
      headers: {
        host: "127.0.0.1:4100",
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": "abc=",
        "user-agent": "TwilioProxy/1.1",
        "x-repeat": "one,two",
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-port": "4100",
        "x-forwarded-proto": "http",
      },
      queryStringParameters: { attempt: "2", x: "a b,c" },
      requestContext: {
        accountId: "000000000000",
        apiId: "local",
        domainName: "127.0.0.1",
        domainPrefix: "127",
        http: {
          method: "POST",
          path: "/enqueue-call",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "TwilioProxy/1.1",
        },
        requestId: "req-1",
        routeKey: "POST /enqueue-call",
        stage: "$default",
        time: "02/Jan/2026:03:04:05 +0000",
        timeEpoch: Date.UTC(2026, 0, 2, 3, 4, 5),
      },
      body: body.toString("base64"),
      isBase64Encoded: true,
    });
  });

  it("passes JSON bodies as text and leaves out the body of a GET", () => {
    const base = {
      rawHeaders: ["Content-Type", "application/json; charset=utf-8"],
      httpVersion: "1.1",
      sourceIp: "::1",
      localPort: 1,
      routeKey: "POST /events",
      now: new Date(0),
      requestId: "r",
    };
    const json = apiGatewayEvent({
      ...base,
      method: "POST",
      target: "/events",
      body: Buffer.from('{"a":1}'),
    });
    assert.equal(json.body, '{"a":1}');
    assert.equal(json.isBase64Encoded, false);
    const get = apiGatewayEvent({
      ...base,
      method: "GET",
      target: "/hold-music",
      body: Buffer.alloc(0),
    });
    assert.equal("body" in get, false);
    assert.equal(get.isBase64Encoded, false);
    assert.equal("queryStringParameters" in get, false);
    assert.equal(get.rawQueryString, "");
  });

  it("formats requestContext.time like API Gateway", () => {
    assert.equal(clfTime(new Date(Date.UTC(2020, 3, 21, 15, 8, 21))), "21/Apr/2020:15:08:21 +0000");
  });
});

describe("the local webhook host over HTTP", () => {
  let host: LocalWebhookHost;
  const log = memoryLogger();

  before(async () => {
    host = await startLocalWebhookHost({ config: LOCAL_CONFIG, log });
  });
  after(() => host.close());
  beforeEach(() => log.lines.splice(0));

  /** Sends what Twilio would: a signed form POST (or GET with the params in the query). */
  async function twilio(method: "GET" | "POST", path: string, params: Record<string, string>) {
    let url = host.url + path;
    const body = formBody(params);
    if (method === "GET") url += `?${body}`;
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, url, method === "GET" ? {} : params);
    const res = await fetch(url, {
      method,
      headers: {
        "x-twilio-signature": signature,
        ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(method === "POST" ? { body } : {}),
    });
    return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  }

  it("uses its own URL as the public base URL when none is given", () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(host.config.publicBaseUrl, host.url);
  });

  it("serves POST /incoming-call with the menu TwiML", async () => {
    const res = await twilio("POST", "/incoming-call", INCOMING_CALL);
    assert.equal(res.status, 200);
    assert.equal(res.type, "text/xml");
    assert.equal(
      res.text,
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Say voice="Polly.Joanna" language="en-US">Thanks for calling Owl Shoes.</Say>' +
        `<Gather input="dtmf" numDigits="1" method="POST" action="${host.url}/enqueue-call">` +
        '<Say voice="Polly.Joanna" language="en-US">For English, press 1.</Say>' +
        '<Say voice="Polly.Joanna" language="en-US">For Spanish, press 2.</Say>' +
        '<Say voice="Polly.Joanna" language="en-US">For an operator, press pound.</Say>' +
        `</Gather><Redirect method="POST">${host.url}/incoming-call?attempt=2</Redirect></Response>`,
    );
  });

  it("serves POST /enqueue-call?attempt=2 (a signed query string) with the Enqueue", async () => {
    const res = await twilio("POST", "/enqueue-call?attempt=2", gathered("1"));
    assert.equal(res.status, 200);
    assert.equal(
      res.text,
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        `<Enqueue workflowSid="${SIDS.workflow}" waitUrl="${host.url}/hold-music" waitUrlMethod="GET">` +
        '<Task>{"selected_option":"English","selected_language":"english"}</Task></Enqueue></Response>',
    );
  });

  it("serves GET /hold-music with Twilio's parameters in the query", async () => {
    const res = await twilio("GET", "/hold-music", WAITING);
    assert.equal(res.status, 200);
    assert.equal(
      res.text,
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Say voice="Polly.Joanna" language="en-US">You are number 3 in the queue.</Say>' +
        '<Play loop="0">https://media.example.com/hold/jazz.mp3</Play></Response>',
    );
  });

  it("serves POST /assignment with the dequeue instruction as JSON", async () => {
    const res = await twilio("POST", "/assignment", assignmentParams({ contact_uri: AGENT }));
    assert.equal(res.status, 200);
    assert.equal(res.type, "application/json");
    assert.deepEqual(JSON.parse(res.text), {
      instruction: "dequeue",
      from: CENTRE_NUMBER,
      to: AGENT,
      post_work_activity_sid: SIDS.wrapUp,
    });
  });

  it("serves POST /events with 204 and one log line", async () => {
    const res = await twilio("POST", "/events", RESERVATION_ACCEPTED);
    assert.equal(res.status, 204);
    assert.equal(res.text, "");
    assert.deepEqual(
      log.lines.map((l) => [l.msg, l.EventType]),
      [["taskrouter event", "reservation.accepted"]],
    );
  });

  it("answers 403 to an unsigned POST and logs no event", async () => {
    const res = await fetch(`${host.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: formBody(RESERVATION_ACCEPTED),
    });
    assert.equal(res.status, 403);
    assert.equal(await res.text(), "Twilio Request Validation Failed.");
    assert.deepEqual(log.lines, [
      {
        level: "warn",
        msg: "request rejected",
        route: "events",
        reason: "X-Twilio-Signature is missing",
      },
    ]);
  });

  it("answers 404 like API Gateway for a path or method no route has", async () => {
    for (const [method, path] of [
      ["POST", "/nope"],
      ["GET", "/incoming-call"],
      ["POST", "/hold-music"],
    ]) {
      const res = await fetch(host.url + path, { method });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(await res.json(), { message: "Not Found" });
    }
  });
});

describe("the local webhook host with signature validation off", () => {
  it("warns once at start and serves unsigned requests", async () => {
    const log = memoryLogger();
    const host = await startLocalWebhookHost({
      config: { ...LOCAL_CONFIG, signatureValidation: false, authToken: { from: "none" } },
      log,
    });
    try {
      assert.deepEqual(log.lines, [
        { level: "warn", msg: SIGNATURE_VALIDATION_OFF_WARNING, stack: "local" },
      ]);
      const res = await fetch(`${host.url}/incoming-call`, {
        method: "POST",
        body: new URLSearchParams(INCOMING_CALL),
      });
      assert.equal(res.status, 200);
      assert.equal(log.lines.length, 1);
    } finally {
      await host.close();
    }
  });

  it("refuses to start when the auth token cannot be read", async () => {
    await assert.rejects(
      startLocalWebhookHost({
        config: { ...LOCAL_CONFIG, authToken: { from: "ssm", parameterName: "/x" } },
        log: memoryLogger(),
        readParameter: () => Promise.reject(new Error("no credentials")),
      }),
      { message: "no credentials" },
    );
  });
});

describe("the local webhook host judges hours at the emulator's call time", () => {
  let host: LocalWebhookHost;
  before(async () => {
    host = await startLocalWebhookHost({
      config: { ...LOCAL_CONFIG, callFlow: CALL_FLOW },
      log: memoryLogger(),
    });
  });
  after(() => host.close());

  const incoming = async (callTime?: string) => {
    const params = { ...INCOMING_CALL, To: SALES_NUMBER };
    const url = `${host.url}/incoming-call`;
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "x-twilio-signature": getExpectedTwilioSignature(AUTH_TOKEN, url, params),
        "content-type": "application/x-www-form-urlencoded",
        ...(callTime === undefined ? {} : { "X-Emulator-Call-Time": callTime }),
      },
      body: formBody(params),
    });
    return res.text();
  };

  it("X-Emulator-Call-Time on Christmas Day: the closed message; on a Wednesday at 10:00: the IVR", async () => {
    assert.match(
      await incoming("2026-12-25T10:00:00Z"),
      /<Say [^>]*>Owl Shoes sales is closed\.<\/Say>/,
    );
    assert.match(
      await incoming("2026-12-02T10:00:00Z"),
      /<Say [^>]*>Thanks for calling Owl Shoes sales\.<\/Say>/,
    );
  });
});
