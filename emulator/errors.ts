// The one catalogue of the Twilio errors the emulator produces: one named constructor per code, with
// its HTTP status and message. Every error renders in Twilio's legacy shape {code, message,
// more_info, status}; more_info is Twilio's page for the code (linked beside each constructor).

export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "TwilioError";
  }

  toBody(): { code: number; message: string; more_info: string; status: number } {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

/**
 * An assignment instruction TaskRouter could not carry out (from an assignment callback or REST
 * `Instruction=…`); over REST it answers 400 with the instruction's code.
 */
export class InstructionError extends TwilioError {
  constructor(code: number, message: string) {
    super(400, code, message);
    this.name = "InstructionError";
  }
}

// ---------------------------------------------------------------- REST

/** https://www.twilio.com/docs/errors/20001 Invalid parameter. */
export function invalidParameter(message: string): TwilioError {
  return new TwilioError(400, 20001, message);
}

/** https://www.twilio.com/docs/errors/20003 Authentication failed. */
export function authenticate(): TwilioError {
  return new TwilioError(401, 20003, "Authenticate");
}

/** https://www.twilio.com/docs/errors/20004 Method not allowed. */
export function methodNotAllowed(message = "Method not allowed"): TwilioError {
  return new TwilioError(405, 20004, message);
}

/**
 * https://www.twilio.com/docs/errors/20404 Not found. `path` is the resource path as Twilio prints
 * it (TaskRouter: without the /v1 prefix).
 */
export function notFound(path: string): TwilioError {
  return new TwilioError(404, 20404, `The requested resource ${path} was not found`);
}

/** https://www.twilio.com/docs/errors/20412 Precondition failed: a stale If-Match (ETag = revision). */
export function preconditionFailed(ifMatch: string, revision: number): TwilioError {
  return new TwilioError(
    412,
    20412,
    `Precondition failed: If-Match ${ifMatch} does not match the current ETag "${revision}"`,
  );
}

/** https://www.twilio.com/docs/errors/20429 Too many requests. */
export function tooManyRequests(): TwilioError {
  return new TwilioError(429, 20429, "Too Many Requests");
}

/** https://www.twilio.com/docs/errors/20500 Internal server error. */
export function internalError(): TwilioError {
  return new TwilioError(500, 20500, "Internal Server Error");
}

/** https://www.twilio.com/docs/errors/20503 Service unavailable. */
export function serviceUnavailable(): TwilioError {
  return new TwilioError(503, 20503, "Service Unavailable");
}

/** https://www.twilio.com/docs/errors/40153 Absolute paging is not allowed on TaskRouter lists. */
export function absolutePaging(): TwilioError {
  return new TwilioError(400, 40153, "Absolute Paging used when iterating TaskRouter resources");
}

// ---------------------------------------------------------------- assignment instructions

/** https://www.twilio.com/docs/errors/40100 Reject: the activity_sid is not in the workspace. */
export function rejectInvalidActivity(activitySid: string): InstructionError {
  return new InstructionError(40100, `Invalid activity_sid ${activitySid} in reject instruction`);
}

/** https://www.twilio.com/docs/errors/40110 Call: invalid `to`. */
export function callInvalidTo(to: string | undefined): InstructionError {
  return new InstructionError(40110, `Call: invalid to ${JSON.stringify(to ?? null)}`);
}

/** https://www.twilio.com/docs/errors/40111 Call: invalid `from`. */
export function callInvalidFrom(from: string | undefined): InstructionError {
  return new InstructionError(40111, `Call: invalid from ${JSON.stringify(from ?? null)}`);
}

/** https://www.twilio.com/docs/errors/40112 Call: invalid `url`. */
export function callInvalidUrl(url: string | undefined): InstructionError {
  return new InstructionError(40112, `Call: invalid url ${JSON.stringify(url ?? null)}`);
}

/** https://www.twilio.com/docs/errors/40113 Call: the call could not be placed. */
export function callFailed(reason: string): InstructionError {
  return new InstructionError(40113, `Call: ${reason}`);
}

/** https://www.twilio.com/docs/errors/40120 Redirect: invalid `url`. */
export function redirectInvalidUrl(url: string | undefined): InstructionError {
  return new InstructionError(40120, `Redirect: invalid url ${JSON.stringify(url ?? null)}`);
}

/** https://www.twilio.com/docs/errors/40121 Redirect: invalid `call_sid`. */
export function redirectInvalidCallSid(callSid: string | undefined): InstructionError {
  return new InstructionError(
    40121,
    `Redirect: invalid call_sid ${JSON.stringify(callSid ?? null)}`,
  );
}

/** https://www.twilio.com/docs/errors/40121 Redirect: the call is not in progress. */
export function redirectCallNotInProgress(callSid: string): InstructionError {
  return new InstructionError(40121, `Redirect: call ${callSid} is not in progress`);
}

/** https://www.twilio.com/docs/errors/40122 Redirect: the call could not be redirected. */
export function redirectFailed(): InstructionError {
  return new InstructionError(40122, "Redirect: no voice layer to redirect the call");
}

/** https://www.twilio.com/docs/errors/40130 Dequeue: invalid `post_work_activity_sid`. */
export function dequeueInvalidPostWorkActivity(sid: string): InstructionError {
  return new InstructionError(40130, `Dequeue: invalid post_work_activity_sid ${sid}`);
}

/** https://www.twilio.com/docs/errors/40131 Dequeue: invalid `to`. */
export function dequeueInvalidTo(to: string | undefined): InstructionError {
  return new InstructionError(40131, `Dequeue: invalid to ${JSON.stringify(to ?? null)}`);
}

/** https://www.twilio.com/docs/errors/40132 Dequeue: invalid `from`. */
export function dequeueInvalidFrom(from: string | undefined): InstructionError {
  return new InstructionError(40132, `Dequeue: invalid from ${JSON.stringify(from ?? null)}`);
}

/** https://www.twilio.com/docs/errors/40133 Dequeue: the call could not be dequeued. */
export function dequeueFailed(reason: string): InstructionError {
  return new InstructionError(40133, `Dequeue: ${reason}`);
}

/** https://www.twilio.com/docs/errors/40134 Dequeue: invalid `status_callback_events`. */
export function dequeueInvalidStatusCallbackEvents(events: string): InstructionError {
  return new InstructionError(
    40134,
    `Dequeue: invalid status_callback_events ${JSON.stringify(events)}: a comma-separated list of initiated, ringing, answered, completed`,
  );
}

/** https://www.twilio.com/docs/errors/40157 Dequeue: invalid `status_callback_url`. */
export function dequeueInvalidStatusCallbackUrl(url: string): InstructionError {
  return new InstructionError(
    40157,
    `Dequeue: invalid status_callback_url ${JSON.stringify(url)}: not an HTTP or HTTPS URL`,
  );
}

/** https://www.twilio.com/docs/errors/40158 Call: invalid `status_callback_url`. */
export function callInvalidStatusCallbackUrl(url: string): InstructionError {
  return new InstructionError(
    40158,
    `Call: invalid status_callback_url ${JSON.stringify(url)}: not an HTTP or HTTPS URL`,
  );
}

/** https://www.twilio.com/docs/errors/40140 Dequeue: the task has no call_sid. */
export function dequeueNoCallSid(taskSid: string): InstructionError {
  return new InstructionError(40140, `Dequeue: task ${taskSid} has no call_sid`);
}

/** https://www.twilio.com/docs/errors/55555 An instruction the emulator does not carry out. */
export function invalidInstruction(message: string): InstructionError {
  return new InstructionError(55555, message);
}

// ---------------------------------------------------------------- webhooks and calls

/**
 * A failure Twilio reports about a webhook or a call (in its debugger and call logs), not an HTTP
 * answer of the REST API: the routing engine records these for assignment callbacks, the virtual phone
 * ends a call with one.
 */
export class WebhookError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "WebhookError";
  }
}

/** https://www.twilio.com/docs/errors/11200 HTTP retrieval failure (transport, status, time limit). */
export function httpRetrievalFailure(message: string): WebhookError {
  return new WebhookError(11200, message);
}

/** https://www.twilio.com/docs/errors/11750 TwiML response body too large. */
export function twimlTooLarge(maxBytes: number): WebhookError {
  return new WebhookError(11750, `TwiML response body is larger than ${maxBytes} bytes`);
}

/** https://www.twilio.com/docs/errors/12100 Document parse failure. */
export function twimlParseFailure(detail: string): WebhookError {
  return new WebhookError(12100, `Document parse failure: ${detail}`);
}

/** https://www.twilio.com/docs/errors/12200 Schema validation warning (a verb, noun or attribute TwiML does not allow). */
export function twimlSchema(message: string): WebhookError {
  return new WebhookError(12200, message);
}

/** https://www.twilio.com/docs/errors/12300 Invalid Content-Type for TwiML. */
export function twimlContentType(type: string): WebhookError {
  return new WebhookError(12300, `Invalid Content-Type ${JSON.stringify(type)} for TwiML`);
}

/** https://www.twilio.com/docs/errors/14222 Enqueue: the task could not be created. */
export function enqueueTaskFailed(reason: string): WebhookError {
  return new WebhookError(14222, `Enqueue: could not create Task: ${reason}`);
}

/** https://www.twilio.com/docs/errors/40000 Assignment callback response is not application/json. */
export function callbackContentType(type: string): WebhookError {
  return new WebhookError(
    40000,
    `Assignment callback response Content-Type is ${JSON.stringify(type)}, not application/json`,
  );
}

/** https://www.twilio.com/docs/errors/40001 Assignment callback response is not JSON. */
export function callbackNotJson(): WebhookError {
  return new WebhookError(40001, "Assignment callback response is not valid JSON");
}

/** https://www.twilio.com/docs/errors/40005 Assignment callback response has no instruction. */
export function callbackNoInstruction(): WebhookError {
  return new WebhookError(40005, "Assignment callback response has no instruction");
}

/** https://www.twilio.com/docs/errors/20404 A call to a number the account does not own. */
export function numberNotOwned(to: string): WebhookError {
  return new WebhookError(20404, `The number ${to} is not one the account owns`);
}

/** https://www.twilio.com/docs/errors/20500 A call ended by an unexpected error of the emulator. */
export function callInternalError(message: string): WebhookError {
  return new WebhookError(20500, message);
}
