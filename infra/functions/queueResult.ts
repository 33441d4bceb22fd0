// POST /queue-result: the <Enqueue action>, requested when the caller leaves the queue. QueueResult
// says why (https://www.twilio.com/docs/voice/twiml/enqueue#attributes-action): after a bridged
// call or a hang-up there is nobody to talk to; otherwise (<Leave> at the maximum wait, the
// workflow ending without an agent, an error) the caller is offered the line's exits.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { flowLine, goodbye, offerExits } from "./callFlowLines";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

const ENDED = new Set(["bridged", "bridging-in-process", "hangup", "redirected-from-bridged"]);

export const queueResultWebhook: Webhook = {
  route: "queueResult",
  respond(req, { config, log }) {
    const result = req.param("QueueResult") ?? "";
    const vr = new VoiceResponse();
    if (ENDED.has(result)) {
      vr.hangup();
      return twimlResult(vr.toString());
    }
    const found = flowLine(config, req);
    if (!found) {
      log.warn("queue result for an unknown line", { line: req.query.get("line") });
      return twimlResult(goodbye(config));
    }
    log.info("caller left the queue unanswered", {
      CallSid: req.param("CallSid") ?? null,
      QueueResult: result,
      QueueTime: req.param("QueueTime") ?? null,
      line: found.line.name,
    });
    offerExits(vr, config.publicBaseUrl, found.line, "nobodyAnswers");
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(queueResultWebhook);
