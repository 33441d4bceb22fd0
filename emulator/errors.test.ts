import assert from "node:assert/strict";
import * as errors from "./errors";
import { TwilioError } from "./errors";

// Twilio's legacy error body: "code, message, more_info, status"
// (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions).
const CASES: Array<[keyof typeof errors, unknown[], number, number, string]> = [
  ["invalidParameter", ["Invalid X"], 400, 20001, "Invalid X"],
  ["authenticate", [], 401, 20003, "Authenticate"],
  ["methodNotAllowed", [], 405, 20004, "Method not allowed"],
  [
    "notFound",
    ["/Workspaces/WS1"],
    404,
    20404,
    "The requested resource /Workspaces/WS1 was not found",
  ],
  [
    "preconditionFailed",
    ['"1"', 2],
    412,
    20412,
    'Precondition failed: If-Match "1" does not match the current ETag "2"',
  ],
  ["tooManyRequests", [], 429, 20429, "Too Many Requests"],
  ["internalError", [], 500, 20500, "Internal Server Error"],
  ["serviceUnavailable", [], 503, 20503, "Service Unavailable"],
  ["absolutePaging", [], 400, 40153, "Absolute Paging used when iterating TaskRouter resources"],
  ["rejectInvalidActivity", ["WA1"], 400, 40100, "Invalid activity_sid WA1 in reject instruction"],
  ["callInvalidTo", [undefined], 400, 40110, "Call: invalid to null"],
  ["callInvalidFrom", ["x"], 400, 40111, 'Call: invalid from "x"'],
  ["callInvalidUrl", ["ftp:"], 400, 40112, 'Call: invalid url "ftp:"'],
  [
    "callFailed",
    ["no voice layer to place the call"],
    400,
    40113,
    "Call: no voice layer to place the call",
  ],
  [
    "callInvalidStatusCallbackUrl",
    ["x"],
    400,
    40158,
    'Call: invalid status_callback_url "x": not an HTTP or HTTPS URL',
  ],
  [
    "dequeueInvalidStatusCallbackEvents",
    ["answered,hungup"],
    400,
    40134,
    'Dequeue: invalid status_callback_events "answered,hungup": a comma-separated list of initiated, ringing, answered, completed',
  ],
  [
    "dequeueInvalidStatusCallbackUrl",
    [""],
    400,
    40157,
    'Dequeue: invalid status_callback_url "": not an HTTP or HTTPS URL',
  ],
  ["redirectInvalidUrl", [undefined], 400, 40120, "Redirect: invalid url null"],
  ["redirectInvalidCallSid", ["CA"], 400, 40121, 'Redirect: invalid call_sid "CA"'],
  ["redirectCallNotInProgress", ["CA1"], 400, 40121, "Redirect: call CA1 is not in progress"],
  ["redirectFailed", [], 400, 40122, "Redirect: no voice layer to redirect the call"],
  [
    "dequeueInvalidPostWorkActivity",
    ["WA9"],
    400,
    40130,
    "Dequeue: invalid post_work_activity_sid WA9",
  ],
  ["dequeueInvalidTo", ["1"], 400, 40131, 'Dequeue: invalid to "1"'],
  ["dequeueInvalidFrom", [undefined], 400, 40132, "Dequeue: invalid from null"],
  ["dequeueFailed", ["invalid timeout 0"], 400, 40133, "Dequeue: invalid timeout 0"],
  ["dequeueNoCallSid", ["WT1"], 400, 40140, "Dequeue: task WT1 has no call_sid"],
  [
    "invalidInstruction",
    ["Instruction conference is not emulated"],
    400,
    55555,
    "Instruction conference is not emulated",
  ],
];

// Webhook and call failures carry a code and a message (Twilio's debugger), no HTTP status.
const WEBHOOK_CASES: Array<[keyof typeof errors, unknown[], number, string]> = [
  [
    "httpRetrievalFailure",
    ["Assignment callback answered HTTP 500"],
    11200,
    "Assignment callback answered HTTP 500",
  ],
  ["twimlTooLarge", [65536], 11750, "TwiML response body is larger than 65536 bytes"],
  [
    "twimlParseFailure",
    ["bad (line 1, column 2)"],
    12100,
    "Document parse failure: bad (line 1, column 2)",
  ],
  ["twimlSchema", ["<Dial> is not supported"], 12200, "<Dial> is not supported"],
  ["twimlContentType", ["text/plain"], 12300, 'Invalid Content-Type "text/plain" for TwiML'],
  ["enqueueTaskFailed", ["no workflow"], 14222, "Enqueue: could not create Task: no workflow"],
  [
    "callbackContentType",
    ["text/html"],
    40000,
    'Assignment callback response Content-Type is "text/html", not application/json',
  ],
  ["callbackNotJson", [], 40001, "Assignment callback response is not valid JSON"],
  ["callbackNoInstruction", [], 40005, "Assignment callback response has no instruction"],
  [
    "numberNotOwned",
    ["+15555550199"],
    20404,
    "The number +15555550199 is not one the account owns",
  ],
  ["callInternalError", ["boom"], 20500, "boom"],
];

describe("error catalogue", () => {
  for (const [name, args, code, message] of WEBHOOK_CASES) {
    it(`${name} is webhook failure ${code}`, () => {
      const err = (errors[name] as (...a: unknown[]) => errors.WebhookError)(...args);
      assert.ok(err instanceof errors.WebhookError);
      assert.deepEqual([err.code, err.message], [code, message]);
    });
  }

  for (const [name, args, status, code, message] of CASES) {
    it(`${name} renders ${status} / ${code} in Twilio's body shape`, () => {
      const make = errors[name] as (...a: unknown[]) => TwilioError;
      const err = make(...args);
      assert.ok(err instanceof TwilioError);
      assert.deepEqual(err.toBody(), {
        code,
        message,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      });
      assert.deepEqual(Object.keys(err.toBody()), ["code", "message", "more_info", "status"]);
    });
  }

  it("lists every constructor the catalogue exports", () => {
    const constructors = Object.entries(errors)
      .filter(([, v]) => typeof v === "function" && !/^[A-Z]/.test(v.name))
      .map(([k]) => k)
      .sort();
    assert.deepEqual(constructors, [...CASES, ...WEBHOOK_CASES].map(([n]) => n).sort());
  });

  it("makes instruction errors InstructionErrors, so the engine can tell them apart", () => {
    assert.ok(errors.dequeueNoCallSid("WT1") instanceof errors.InstructionError);
    assert.equal(errors.invalidParameter("x") instanceof errors.InstructionError, false);
  });
});
