// POST /enqueue-call: the menu's Gather action. Maps the digit to task attributes and hands the
// call to TaskRouter; see ivr.ts for re-prompt and default rules.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { LAST_ATTEMPT, attemptOf } from "./ivr";
import { routeUrl } from "./routes";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const enqueueCallWebhook: Webhook = {
  route: "enqueueCall",
  respond(req, { config, log }) {
    const { ivr, publicBaseUrl } = config;
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
    const attributes = option
      ? { selected_option: option.label, ...option.attributes }
      : { ...ivr.defaultAttributes };
    vr.enqueue({
      workflowSid: config.workflowSid,
      waitUrl: routeUrl(publicBaseUrl, "holdMusic"),
      waitUrlMethod: "GET",
    }).task({}, JSON.stringify(attributes));
    log.info("call enqueued", {
      CallSid: req.param("CallSid") ?? null,
      Digits: digit,
      selected_option: option ? option.label : null,
    });
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(enqueueCallWebhook);
