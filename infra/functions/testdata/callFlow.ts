// A two-line call flow for handler tests, built by hand (the stack's `callFlowFromSpec` is
// H-stack's, wired at merge): a sales line open weekdays in London with a holiday and a maximum
// wait, and a support line open around the clock that only offers voicemail.
import type { CallFlow } from "../callFlow";

export const SALES_NUMBER = "+441234567890";
export const SUPPORT_NUMBER = "+15555550199";

export const CALL_FLOW: CallFlow = {
  lines: [
    {
      name: "sales",
      number: SALES_NUMBER,
      ivr: {
        greeting: "Thanks for calling Owl Shoes sales.",
        voice: "Polly.Amy",
        language: "en-GB",
        options: {
          "1": { label: "new orders", attributes: { skill: "orders" }, maxWait: 60 },
          "2": { label: "returns", attributes: { skill: "returns" } },
        },
        defaultAttributes: { skill: "orders" },
      },
      taskAttributes: { department: "sales" },
      hours: {
        timeZone: "Europe/London",
        weekly: {
          mon: [{ open: "09:00", close: "17:30" }],
          tue: [{ open: "09:00", close: "17:30" }],
          wed: [{ open: "09:00", close: "17:30" }],
          thu: [{ open: "09:00", close: "17:30" }],
          fri: [{ open: "09:00", close: "17:30" }],
          sun: [{ open: "00:30", close: "02:30" }],
        },
        closures: [{ name: "Christmas", from: "2026-12-25T00:00", to: "2026-12-27T00:00" }],
        closedMessage: "Owl Shoes sales is closed.",
      },
      whenClosed: ["voicemail", "callback"],
      maxWait: 300,
      whenNobodyAnswers: ["voicemail", "callback"],
      recordCalls: true,
    },
    {
      name: "support",
      number: SUPPORT_NUMBER,
      ivr: {
        greeting: "Owl Shoes support.",
        voice: "Polly.Joanna",
        language: "en-US",
        options: { "1": { label: "support", attributes: { skill: "support" } } },
        defaultAttributes: { skill: "support" },
      },
      taskAttributes: { department: "support" },
      whenClosed: [],
      whenNobodyAnswers: ["voicemail"],
      recordCalls: false,
    },
  ],
  voicemail: {
    prompt: "Please leave a message after the tone.",
    maxLength: 120,
    attributes: { type: "voicemail" },
    taskChannel: "voicemail",
  },
  callback: {
    confirmation: "We will call you back.",
    attributes: { type: "callback" },
    taskChannel: "callback",
    preferLastAgent: true,
  },
  agentLeg: { ringTimeout: 20 },
};
