// POST /enqueue-call: the menu's Gather action. Maps the digit to task attributes and hands the
// call to TaskRouter; see ivr.ts for re-prompt and default rules.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { ivrOf, lineAttributes, lineOf, lineUrl } from "./callFlowLines";
import { LAST_ATTEMPT, attemptOf } from "./ivr";
import { routeUrl } from "./routes";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const enqueueCallWebhook: Webhook = {
  route: "enqueueCall",
  respond(req, { config, log }) {
    const { publicBaseUrl } = config;
    const line = config.callFlow && lineOf(config.callFlow, req);
    const ivr = ivrOf(config, line);
    const digit = req.param("Digits") ?? "";
    const option = Object.hasOwn(ivr.options, digit) ? ivr.options[digit] : undefined;
    const vr = new VoiceResponse();
    if (!option && attemptOf(req.query) < LAST_ATTEMPT) {
      vr.redirect(
        { method: "POST" },
        `${routeUrl(publicBaseUrl, "incomingCall")}?attempt=${LAST_ATTEMPT}`,
      );
      return twimlResult(vr.toString());
    }
    // selected_option records the caller's choice for reports; the stack's attributes win on a clash.
    const chosen = option
      ? { selected_option: option.label, ...option.attributes }
      : { ...ivr.defaultAttributes };
    if (!line) {
      vr.enqueue({
        workflowSid: config.workflowSid,
        waitUrl: routeUrl(publicBaseUrl, "holdMusic"),
        waitUrlMethod: "GET",
      }).task({}, JSON.stringify(chosen));
    } else {
      // The line's attributes under the option's; who called which line last, so no stack can
      // overwrite them. The wait URL carries the maximum wait that applies (option's, else line's).
      const attributes = {
        ...line.taskAttributes,
        ...chosen,
        ...lineAttributes(line, req.param("From") ?? ""),
      };
      const maxWait = (option && "maxWait" in option ? option.maxWait : undefined) ?? line.maxWait;
      vr.enqueue({
        workflowSid: config.workflowSid,
        action: lineUrl(publicBaseUrl, "queueResult", line),
        method: "POST",
        waitUrl: lineUrl(
          publicBaseUrl,
          "holdMusic",
          line,
          maxWait === undefined ? {} : { maxWait: String(maxWait) },
        ),
        waitUrlMethod: "GET",
      }).task({}, JSON.stringify(attributes));
    }
    log.info("call enqueued", {
      CallSid: req.param("CallSid") ?? null,
      Digits: digit,
      selected_option: option ? option.label : null,
    });
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(enqueueCallWebhook);
