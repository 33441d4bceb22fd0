// Errors in Twilio's legacy shape: {code, message, more_info, status}.

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

export function badRequest(message: string): TwilioError {
  return new TwilioError(400, 20001, message);
}

/** `path` is the resource path as Twilio prints it (TaskRouter: without the /v1 prefix). */
export function notFound(path: string): TwilioError {
  return new TwilioError(404, 20404, `The requested resource ${path} was not found`);
}

export function methodNotAllowed(message = "Method not allowed"): TwilioError {
  return new TwilioError(405, 20004, message);
}
