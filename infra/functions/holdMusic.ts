// GET /hold-music: the Enqueue waitUrl. Twilio re-fetches it only when its verbs run out; the
// music loops forever, so the queue position is said once, when the caller starts waiting.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { DEFAULT_HOLD_MUSIC_URL } from "./config";
import { sayAttributes } from "./ivr";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const holdMusicWebhook: Webhook = {
  route: "holdMusic",
  respond(req, { config }) {
    const { ivr } = config;
    const vr = new VoiceResponse();
    const position = Number(req.param("QueuePosition"));
    if (Number.isInteger(position) && position > 0) {
      vr.say(sayAttributes(ivr), `You are number ${position} in the queue.`);
    }
    vr.play({ loop: 0 }, ivr.holdMusicUrl ?? DEFAULT_HOLD_MUSIC_URL);
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(holdMusicWebhook);
