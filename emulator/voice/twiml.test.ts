import { strict as assert } from "node:assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import {
  checkTwimlContentType,
  collectDigits,
  parseTwiml,
  promptSeconds,
  TwimlError,
} from "./twiml";

describe("TwiML parsing", () => {
  it("reads the IVR the twilio builder writes, with Twilio's defaults", () => {
    const vr = new VoiceResponse();
    vr.say({ voice: "Polly.Joanna", language: "en-US" }, "Welcome & hello");
    const g = vr.gather({ input: ["dtmf"], numDigits: 1, action: "/menu", timeout: 7 });
    g.say("Press 1 for English, 2 for Hindi.");
    g.pause({ length: 2 });
    vr.redirect("/incoming-call");
    assert.deepEqual(parseTwiml(vr.toString()), [
      { verb: "Say", text: "Welcome & hello", voice: "Polly.Joanna", language: "en-US", loop: 1 },
      {
        verb: "Gather",
        action: "/menu",
        method: "POST",
        timeout: 7,
        finishOnKey: "#",
        numDigits: 1,
        actionOnEmptyResult: false,
        input: "dtmf",
        prompts: [
          {
            verb: "Say",
            text: "Press 1 for English, 2 for Hindi.",
            voice: "man",
            language: "en-US",
            loop: 1,
          },
          { verb: "Pause", length: 2 },
        ],
      },
      { verb: "Redirect", url: "/incoming-call", method: "POST" },
    ]);
  });

  it("reads Enqueue with a workflow, wait URL and nested Task", () => {
    const vr = new VoiceResponse();
    vr.enqueue({
      workflowSid: "WW" + "0".repeat(32),
      waitUrl: "/hold",
      waitUrlMethod: "GET",
      action: "/after",
    }).task({ priority: 5, timeout: 200 }, JSON.stringify({ selected_language: "hindi" }));
    vr.hangup();
    assert.deepEqual(parseTwiml(vr.toString()), [
      {
        verb: "Enqueue",
        method: "POST",
        waitUrlMethod: "GET",
        workflowSid: "WW" + "0".repeat(32),
        action: "/after",
        waitUrl: "/hold",
        task: { attributes: { selected_language: "hindi" }, priority: 5, timeout: 200 },
      },
      { verb: "Hangup" },
    ]);
  });

  it("reads <Dial callerId> with one <Number>, or a bare number, with Twilio's defaults", () => {
    // "timeout … Default Value 30"; <Number> "specifies a phone number to dial".
    assert.deepEqual(
      parseTwiml(
        '<Response><Dial callerId="+15555550101" action="/dialed" timeout="20"><Number>+15555550777</Number></Dial></Response>',
      ),
      [
        {
          verb: "Dial",
          number: "+15555550777",
          callerId: "+15555550101",
          action: "/dialed",
          method: "POST",
          timeout: 20,
          timeLimit: 14400,
        },
      ],
    );
    assert.deepEqual(parseTwiml("<Response><Dial>+15555550777</Dial></Response>"), [
      { verb: "Dial", number: "+15555550777", method: "POST", timeout: 30, timeLimit: 14400 },
    ]);
  });

  it("reads Play, Leave and an empty Response", () => {
    assert.deepEqual(
      parseTwiml('<Response><Play loop="0">https://x/m.mp3</Play><Leave/></Response>'),
      [{ verb: "Play", url: "https://x/m.mp3", loop: 0 }, { verb: "Leave" }],
    );
    assert.deepEqual(parseTwiml('<?xml version="1.0" encoding="UTF-8"?><Response/>'), []);
  });

  const refusals: Array<[string, string, number, string]> = [
    [
      "malformed XML",
      "<Response><Say>hi</Response>",
      12100,
      "Document parse failure: Expected closing tag 'Say' (opened in line 1, col 11) instead of closing tag 'Response'. (line 1, column 18)",
    ],
    [
      "a root other than Response",
      "<Reply><Say>x</Say></Reply>",
      12200,
      "the root element must be <Response>",
    ],
    [
      "an unsupported verb",
      "<Response><Reject/></Response>",
      12200,
      "<Reject> is not supported by the emulator's virtual caller",
    ],
    [
      "a Dial of a noun the emulator does not play",
      "<Response><Dial><Client>alice</Client></Dial></Response>",
      12200,
      "<Dial><Client> is not emulated",
    ],
    [
      "a Dial attribute the emulator does not play",
      '<Response><Dial record="record-from-answer">+15555550100</Dial></Response>',
      12200,
      "<Dial> record is not emulated",
    ],
    [
      "a Dial of two numbers at once",
      "<Response><Dial><Number>+15555550100</Number><Number>+15555550101</Number></Dial></Response>",
      12200,
      "<Dial> needs exactly one number (the emulator dials one party)",
    ],
    [
      "a Gather holding a Redirect",
      "<Response><Gather><Redirect>/x</Redirect></Gather></Response>",
      12200,
      "<Gather> may not contain <Redirect>",
    ],
    [
      "a Task body that is not JSON",
      '<Response><Enqueue workflowSid="WW1"><Task>{oops</Task></Enqueue></Response>',
      12200,
      "<Task> body is not valid JSON: {oops",
    ],
    [
      "an Enqueue with neither name nor workflow",
      "<Response><Enqueue/></Response>",
      12200,
      "<Enqueue> needs a queue name or a workflowSid",
    ],
    [
      "a bad numDigits",
      '<Response><Gather numDigits="two"/></Response>',
      12200,
      '<Gather> numDigits="two" is not a non-negative integer',
    ],
    [
      "a bad method",
      '<Response><Redirect method="PUT">/x</Redirect></Response>',
      12200,
      '<Redirect> method="PUT" is not GET or POST',
    ],
  ];
  for (const [what, xml, code, message] of refusals) {
    it(`refuses ${what} with ${code}`, () => {
      assert.throws(
        () => parseTwiml(xml),
        (err: unknown) => {
          assert.ok(err instanceof TwimlError);
          assert.deepEqual({ code: err.code, message: err.message }, { code, message });
          return true;
        },
      );
    });
  }

  it("refuses a body over 64 kB with 11750", () => {
    const xml = `<Response><Say>${"a".repeat(65 * 1024)}</Say></Response>`;
    assert.throws(() => parseTwiml(xml), {
      message: "TwiML response body is larger than 65536 bytes",
    });
  });

  it("accepts XML content types and refuses others with 12300", () => {
    checkTwimlContentType("text/xml; charset=utf-8");
    checkTwimlContentType("application/xml");
    assert.throws(() => checkTwimlContentType("application/json"), {
      message: 'Invalid Content-Type "application/json" for TwiML',
    });
  });
});

describe("TwiML timing and digits", () => {
  it("times speech by words, audio by the configured length, loops multiply", () => {
    const s = (text: string, loop = 1) => ({
      verb: "Say" as const,
      text,
      voice: "man",
      language: "en-US",
      loop,
    });
    assert.equal(promptSeconds(s("Hi"), 30), 1);
    assert.equal(promptSeconds(s("Press 1 for English, 2 for Hindi."), 30), 3);
    assert.equal(promptSeconds(s("one two three", 2), 30), 4);
    assert.equal(promptSeconds({ verb: "Play", url: "u", loop: 2 }, 30), 60);
    assert.equal(promptSeconds({ verb: "Play", url: "u", loop: 0 }, 30), Infinity);
    assert.equal(promptSeconds({ verb: "Pause", length: 4 }, 30), 4);
  });

  it("collects digits up to numDigits or the finish key", () => {
    assert.deepEqual(collectDigits({ numDigits: 1, finishOnKey: "#" }, "23"), {
      digits: "2",
      finishedOnKey: "",
    });
    assert.deepEqual(collectDigits({ finishOnKey: "#" }, "123#9"), {
      digits: "123",
      finishedOnKey: "#",
    });
    assert.deepEqual(collectDigits({ finishOnKey: "" }, "12#"), {
      digits: "12#",
      finishedOnKey: "",
    });
  });
});
