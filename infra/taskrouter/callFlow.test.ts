import assert from "node:assert/strict";
import { callFlowFromSpec } from "./callFlow";
import { stackSpec } from "./testFixtures";

describe("callFlowFromSpec", () => {
  it("turns a phone: stack into one line open around the clock, with no exits, and the defaults", () => {
    const spec = stackSpec();
    spec.phone.holdMusicUrl = "https://example.com/hold.mp3";
    assert.deepEqual(callFlowFromSpec(spec), {
      lines: [
        {
          name: "phone",
          number: "+15555550100",
          ivr: {
            greeting: "Hello",
            voice: "Polly.Joanna",
            language: "en-US",
            options: {
              "1": { label: "English", attributes: { lang: "english" } },
              "2": { label: "Hindi", attributes: { lang: "hindi" } },
            },
            defaultAttributes: {},
            holdMusicUrl: "https://example.com/hold.mp3",
          },
          taskAttributes: {},
          whenClosed: [],
          whenNobodyAnswers: [],
          recordCalls: false,
        },
      ],
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
      agentLeg: { ringTimeout: 30 },
    });
  });

  it("leaves out holdMusicUrl when the stack has none, and shares no object with the defaults", () => {
    const first = callFlowFromSpec(stackSpec());
    assert.equal("holdMusicUrl" in first.lines[0].ivr, false);
    first.voicemail.attributes.type = "changed";
    assert.deepEqual(callFlowFromSpec(stackSpec()).voicemail.attributes, { type: "voicemail" });
  });
});
