// POST /callback: books a callback while the caller is still on the line: creates the callback
// task (the caller's number, and the agent who last answered them when the stack prefers them),
// then confirms and hangs up.
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { GOODBYE, flowLine, goodbye, lineAttributes } from "./callFlowLines";
import { sayAttributes } from "./ivr";
import { lambdaHandler } from "./runtime";
import { twimlResult, type Webhook } from "./twilioRequest";

export const callbackWebhook: Webhook = {
  route: "callback",
  async respond(req, { config, log, rest }) {
    const found = flowLine(config, req);
    const caller = req.param("From") ?? "";
    if (!found || !caller) return twimlResult(goodbye(config));
    const { flow, line } = found;
    const api = rest(req.param("AccountSid") ?? "");
    const lastAgent = flow.callback.preferLastAgent ? await api.lastAgentSid(caller) : undefined;
    const taskSid = await api.createTask({
      workflowSid: config.workflowSid,
      taskChannel: flow.callback.taskChannel,
      attributes: {
        ...flow.callback.attributes,
        ...lineAttributes(line, caller),
        call_flow: "callback",
        ...(lastAgent === undefined ? {} : { last_agent_sid: lastAgent }),
      },
    });
    log.info("callback task created", {
      CallSid: req.param("CallSid") ?? null,
      TaskSid: taskSid,
      line: line.name,
      last_agent_sid: lastAgent ?? null,
    });
    const vr = new VoiceResponse();
    vr.say(sayAttributes(line.ivr), `${flow.callback.confirmation} ${GOODBYE}`);
    vr.hangup();
    return twimlResult(vr.toString());
  },
};

export const handler = lambdaHandler(callbackWebhook);
