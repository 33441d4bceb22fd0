// POST /incoming-call: the phone number's voice URL. See ivr.ts for the whole IVR flow.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { GOODBYE, ivrOf, lineIsOpen, lineOf, offerExits } from "./callFlowLines";
import { LAST_ATTEMPT, attemptOf, menuOptions, sayAttributes } from "./ivr";
import { routeUrl } from "./routes";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const incomingCallWebhook: Webhook = {
  route: "incomingCall",
  respond(req, { config, log, now }) {
    const { publicBaseUrl } = config;
    const vr = new VoiceResponse();
    const line = config.callFlow && lineOf(config.callFlow, req);
    if (config.callFlow && !line) {
      // A number routed here that the stack does not list: say so rather than guess a line.
      log.warn("call to an unknown line", { To: req.param("To") ?? null });
      vr.say(sayAttributes(config.ivr), `This number is not in service. ${GOODBYE}`);
      vr.hangup();
      return twimlResult(vr.toString());
    }
    const ivr = ivrOf(config, line);
    const say = sayAttributes(ivr);
    if (line?.hours && !lineIsOpen(line, now)) {
      vr.say(say, line.hours.closedMessage);
      offerExits(vr, publicBaseUrl, line, "closed");
      return twimlResult(vr.toString());
    }
    const attempt = attemptOf(req.query);
    const enqueueUrl = routeUrl(publicBaseUrl, "enqueueCall");
    if (attempt === 1) vr.say(say, ivr.greeting);
    const gather = vr.gather({
      input: ["dtmf"],
      numDigits: 1,
      method: "POST",
      action: attempt === 1 ? enqueueUrl : `${enqueueUrl}?attempt=${LAST_ATTEMPT}`,
    });
    for (const option of menuOptions(ivr)) {
      gather.say(say, `For ${option.label}, press ${option.spoken}.`);
    }
    // Reached only when the caller pressed nothing.
    vr.redirect(
      { method: "POST" },
      attempt === 1
        ? `${routeUrl(publicBaseUrl, "incomingCall")}?attempt=${LAST_ATTEMPT}`
        : `${enqueueUrl}?attempt=${LAST_ATTEMPT}`,
    );
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(incomingCallWebhook);
