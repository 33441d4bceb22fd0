// POST /dial-back: the TwiML of the agent's leg of a callback (the `call` instruction's url):
// tells the agent who they are calling, then dials the customer from the line's number.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { flowLine, goodbye } from "./callFlowLines";
import { sayAttributes } from "./ivr";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";
import { E164 } from "../taskrouter/formats";

export const dialBackWebhook: Webhook = {
  route: "dialBack",
  respond(req, { config, log }) {
    const found = flowLine(config, req);
    const customer = req.query.get("customer") ?? "";
    if (!found || !E164.test(customer)) {
      log.warn("dial-back refused", { line: req.query.get("line"), customer });
      return twimlResult(goodbye(config));
    }
    const vr = new VoiceResponse();
    vr.say(sayAttributes(found.line.ivr), `Calling back a customer of ${found.line.name}.`);
    vr.dial({ callerId: found.line.number }).number(customer);
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(dialBackWebhook);
