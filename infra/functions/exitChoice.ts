// POST /exit-choice: the exits menu's Gather action (callFlowLines.offerExits). A known key goes
// to that exit; any other key says goodbye.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import {
  chosenExit,
  exitRoute,
  flowLine,
  goodbye,
  lineUrl,
  type ExitReason,
} from "./callFlowLines";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const exitChoiceWebhook: Webhook = {
  route: "exitChoice",
  respond(req, { config }) {
    const found = flowLine(config, req);
    const why: ExitReason = req.query.get("why") === "closed" ? "closed" : "nobodyAnswers";
    const exit = found && chosenExit(found.line, why, req.param("Digits") ?? "");
    if (!found || !exit) return twimlResult(goodbye(config));
    const vr = new VoiceResponse();
    vr.redirect({ method: "POST" }, lineUrl(config.publicBaseUrl, exitRoute(exit), found.line));
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(exitChoiceWebhook);
