// The CALL_FLOW the handlers run (infra/functions/callFlow.ts), built from a loaded stack. Pure.
// Today's stack has one `phone:`; it becomes the one line, open around the clock, with no exits:
// the behaviour the handlers had before lines, hours and exits existed.
import type { CallFlow } from "../functions/callFlow";
import type { ContactCentreSpec } from "./model";

/** The settings a stack that declares no voicemail, callback or agent leg gets. */
export const CALL_FLOW_DEFAULTS: Pick<CallFlow, "voicemail" | "callback" | "agentLeg"> = {
  voicemail: {
    prompt: "Please leave a message after the tone.",
    maxLength: 120,
    attributes: { type: "voicemail" },
    taskChannel: "default",
  },
  callback: {
    confirmation: "Thank you. We will call you back.",
    attributes: { type: "callback" },
    taskChannel: "voice",
    preferLastAgent: false,
  },
  // Twilio's dequeue instruction rings the agent for 30 s unless told otherwise
  // (https://www.twilio.com/docs/taskrouter/api/reservations, Timeout).
  agentLeg: { ringTimeout: 30 },
};

/** The name the one line of a `phone:` stack carries in CALL_FLOW and in the handlers' logs. */
export const PHONE_LINE_NAME = "phone";

export function callFlowFromSpec(spec: ContactCentreSpec): CallFlow {
  const { phone } = spec;
  return {
    lines: [
      {
        name: PHONE_LINE_NAME,
        number: phone.number,
        ivr: {
          ...phone.ivr,
          ...(phone.holdMusicUrl !== undefined && { holdMusicUrl: phone.holdMusicUrl }),
        },
        taskAttributes: {},
        whenClosed: [],
        whenNobodyAnswers: [],
        recordCalls: false,
      },
    ],
    ...structuredClone(CALL_FLOW_DEFAULTS),
  };
}
