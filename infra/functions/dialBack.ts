// POST /dial-back: the TwiML of the agent's leg of a callback (the `call` instruction's url):
// tells the agent who they are calling, then dials the customer from the line's number. The
// <Dial>'s action comes back here with DialCallStatus: a customer who did not answer has the
// callback re-queued (callbackOutcome.ts), and the agent is told so.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { retryCallback, TASK_SID, WORKER_SID } from "./callbackOutcome";
import { flowLine, goodbye, lineUrl } from "./callFlowLines";
import { sayAttributes } from "./ivr";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";
import { E164 } from "../taskrouter/formats";

/** What the agent hears when the customer was not reached, by retryCallback's result. */
const NOT_REACHED = {
  "re-queued": "The customer did not answer. The callback goes back to the queue.",
  "given up": "The customer did not answer. That was the last attempt.",
  "already ended": "The customer did not answer.",
} as const;

export const dialBackWebhook: Webhook = {
  route: "dialBack",
  async respond(req, { config, log, rest }) {
    const found = flowLine(config, req);
    const customer = req.query.get("customer") ?? "";
    const task = req.query.get("task") ?? "";
    const worker = req.query.get("worker") ?? "";
    if (!found || !E164.test(customer) || !TASK_SID.test(task) || !WORKER_SID.test(worker)) {
      log.warn("dial-back refused", { line: req.query.get("line"), customer, task, worker });
      return twimlResult(goodbye(config));
    }
    const { line } = found;
    const vr = new VoiceResponse();
    const dialled = req.param("DialCallStatus");
    if (dialled === undefined) {
      vr.say(sayAttributes(line.ivr), `Calling back a customer of ${line.name}.`);
      const action = lineUrl(config.publicBaseUrl, "dialBack", line, { customer, task, worker });
      vr.dial({ callerId: line.number, action }).number(customer);
      return twimlResult(vr.toString());
    }
    if (dialled !== "completed") {
      const api = rest(req.param("AccountSid") ?? "");
      const result = await retryCallback(api, config, log, task, `customer ${dialled}`, worker);
      vr.say(sayAttributes(line.ivr), NOT_REACHED[result]);
    }
    vr.hangup();
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(dialBackWebhook);
