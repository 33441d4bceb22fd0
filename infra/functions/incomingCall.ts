// POST /incoming-call: the phone number's voice URL. See ivr.ts for the whole IVR flow.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { LAST_ATTEMPT, attemptOf, menuOptions, sayAttributes } from "./ivr";
import { routeUrl } from "./routes";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const incomingCallWebhook: Webhook = {
  route: "incomingCall",
  respond(req, { config }) {
    const { ivr, publicBaseUrl } = config;
    const attempt = attemptOf(req.query);
    const say = sayAttributes(ivr);
    const enqueueUrl = routeUrl(publicBaseUrl, "enqueueCall");
    const vr = new VoiceResponse();
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
