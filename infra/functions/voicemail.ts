// POST /voicemail: the prompt and <Record>. The recording status callback (/voicemail-recorded)
// makes the task once the recording exists; the Record action (this route with done=1) thanks
// the caller and hangs up, since without an action Twilio would request this document again
// (https://www.twilio.com/docs/voice/twiml/record#attributes-action).
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { GOODBYE, flowLine, goodbye, lineUrl } from "./callFlowLines";
import { sayAttributes } from "./ivr";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const voicemailWebhook: Webhook = {
  route: "voicemail",
  respond(req, { config }) {
    const found = flowLine(config, req);
    if (!found) return twimlResult(goodbye(config));
    const { flow, line } = found;
    const say = sayAttributes(line.ivr);
    const vr = new VoiceResponse();
    if (req.query.get("done") === "1") {
      vr.say(say, `Thank you. ${GOODBYE}`);
      vr.hangup();
      return twimlResult(vr.toString());
    }
    vr.say(say, flow.voicemail.prompt);
    vr.record({
      action: lineUrl(config.publicBaseUrl, "voicemail", line, { done: "1" }),
      method: "POST",
      maxLength: flow.voicemail.maxLength,
      playBeep: true,
      recordingStatusCallback: lineUrl(config.publicBaseUrl, "voicemailRecorded", line, {
        caller: req.param("From") ?? "",
      }),
      recordingStatusCallbackMethod: "POST",
    });
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(voicemailWebhook);
