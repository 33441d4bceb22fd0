// GET /hold-music: the Enqueue waitUrl. Twilio re-fetches it only when its verbs run out; the
// music loops forever, so the queue position is said once, when the caller starts waiting. With a
// maximum wait (`maxWait` in our query) the music plays once per fetch instead, and the fetch at
// or past it answers <Leave>: the caller leaves the queue within one track of the limit and the
// Enqueue action (/queue-result) offers the exits.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { DEFAULT_HOLD_MUSIC_URL } from "./config";
import { ivrOf, lineOf } from "./callFlowLines";
import { sayAttributes } from "./ivr";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const holdMusicWebhook: Webhook = {
  route: "holdMusic",
  respond(req, { config }) {
    const line = config.callFlow && lineOf(config.callFlow, req);
    const ivr = ivrOf(config, line);
    const vr = new VoiceResponse();
    const maxWait = Number(req.query.get("maxWait") ?? NaN);
    const limited = Number.isInteger(maxWait) && maxWait > 0;
    if (limited && Number(req.param("QueueTime")) >= maxWait) {
      vr.leave();
      return twimlResult(vr.toString());
    }
    const position = Number(req.param("QueuePosition"));
    if (Number.isInteger(position) && position > 0) {
      vr.say(sayAttributes(ivr), `You are number ${position} in the queue.`);
    }
    vr.play({ loop: limited ? 1 : 0 }, ivr.holdMusicUrl ?? DEFAULT_HOLD_MUSIC_URL);
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(holdMusicWebhook);
