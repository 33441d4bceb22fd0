import assert from "node:assert/strict";
import type { RouteName } from "./routes";
import { WEBHOOKS } from "./webhooks";
import {
  AGENT,
  BASE_URL,
  CENTRE_NUMBER,
  CONFIG,
  INCOMING_CALL,
  RESERVATION_ACCEPTED,
  SIDS,
  WAITING,
  assignmentParams,
  gathered,
  handleEvent,
  twilioEvent,
  type TwilioEventOptions,
} from "./testdata/twilioEvents";

const call = (route: RouteName, opts: Omit<TwilioEventOptions, "route">, config = CONFIG) =>
  handleEvent(WEBHOOKS[route], twilioEvent({ route, ...opts }), config);

const twiml = (inner: string) => ({
  statusCode: 200,
  headers: { "content-type": "text/xml" },
  body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`,
});
const json = (value: unknown) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

const SAY = '<Say voice="Polly.Joanna" language="en-US">';
const MENU =
  `${SAY}For English, press 1.</Say>` +
  `${SAY}For Spanish, press 2.</Say>` +
  `${SAY}For an operator, press pound.</Say>`;
const enqueue = (attributes: unknown) =>
  `<Enqueue workflowSid="${SIDS.workflow}" waitUrl="${BASE_URL}/hold-music" waitUrlMethod="GET">` +
  `<Task>${JSON.stringify(attributes)}</Task></Enqueue>`;

describe("POST /incoming-call", () => {
  it("greets, offers the options in keypad order in one Gather, and re-prompts on no input", async () => {
    const { result, lines } = await call("incomingCall", { params: INCOMING_CALL });
    assert.deepEqual(
      result,
      twiml(
        `${SAY}Thanks for calling Owl Shoes.</Say>` +
          `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/enqueue-call">${MENU}</Gather>` +
          `<Redirect method="POST">${BASE_URL}/incoming-call?attempt=2</Redirect>`,
      ),
    );
    assert.deepEqual(lines, []);
  });

  it("on the re-prompt repeats the menu without the greeting and then routes by default", async () => {
    const { result } = await call("incomingCall", { params: INCOMING_CALL, query: "attempt=2" });
    assert.deepEqual(
      result,
      twiml(
        `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/enqueue-call?attempt=2">${MENU}</Gather>` +
          `<Redirect method="POST">${BASE_URL}/enqueue-call?attempt=2</Redirect>`,
      ),
    );
  });

  it("escapes the stack's text in the TwiML", async () => {
    const ivr = { ...CONFIG.ivr, greeting: "Tom & Jerry's <shop>", options: {} };
    const { result } = await call("incomingCall", { params: INCOMING_CALL }, { ...CONFIG, ivr });
    assert.equal(
      result.body,
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        `${SAY}Tom &amp; Jerry's &lt;shop&gt;</Say>` +
        `<Gather input="dtmf" numDigits="1" method="POST" action="${BASE_URL}/enqueue-call"/>` +
        `<Redirect method="POST">${BASE_URL}/incoming-call?attempt=2</Redirect></Response>`,
    );
  });
});

describe("POST /enqueue-call", () => {
  it("enqueues with the pressed option's attributes and its label", async () => {
    const { result, lines } = await call("enqueueCall", { params: gathered("2") });
    assert.deepEqual(
      result,
      twiml(enqueue({ selected_option: "Spanish", selected_language: "spanish" })),
    );
    assert.deepEqual(lines, [
      {
        level: "info",
        msg: "call enqueued",
        CallSid: SIDS.call,
        Digits: "2",
        selected_option: "Spanish",
      },
    ]);
  });

  it("accepts the pound key as an option", async () => {
    const { result } = await call("enqueueCall", { params: gathered("#") });
    assert.deepEqual(
      result,
      twiml(enqueue({ selected_option: "an operator", selected_language: "english", vip: true })),
    );
  });

  it("re-prompts once for a digit that is not an option", async () => {
    const { result, lines } = await call("enqueueCall", { params: gathered("7") });
    assert.deepEqual(
      result,
      twiml(`<Redirect method="POST">${BASE_URL}/incoming-call?attempt=2</Redirect>`),
    );
    assert.deepEqual(lines, []);
  });

  it("routes with the default attributes after the re-prompt when the digit is still unknown", async () => {
    const { result } = await call("enqueueCall", { params: gathered("9"), query: "attempt=2" });
    assert.deepEqual(result, twiml(enqueue({ selected_language: "english", ivr: "no-input" })));
  });

  it("routes with the default attributes when the re-prompt got no input", async () => {
    const { result, lines } = await call("enqueueCall", {
      params: { ...INCOMING_CALL, CallStatus: "in-progress" },
      query: "attempt=2",
    });
    assert.deepEqual(result, twiml(enqueue({ selected_language: "english", ivr: "no-input" })));
    assert.deepEqual(lines, [
      {
        level: "info",
        msg: "call enqueued",
        CallSid: SIDS.call,
        Digits: "",
        selected_option: null,
      },
    ]);
  });

  it("does not take an inherited property name for an option", async () => {
    const { result } = await call("enqueueCall", { params: gathered("toString") });
    assert.deepEqual(
      result,
      twiml(`<Redirect method="POST">${BASE_URL}/incoming-call?attempt=2</Redirect>`),
    );
  });
});

describe("GET /hold-music", () => {
  it("says the queue position, then loops the stack's hold music", async () => {
    const { result } = await call("holdMusic", { params: WAITING });
    assert.deepEqual(
      result,
      twiml(
        `${SAY}You are number 3 in the queue.</Say>` +
          '<Play loop="0">https://media.example.com/hold/jazz.mp3</Play>',
      ),
    );
  });

  it("plays Twilio's classical track without a position when neither is known", async () => {
    const { QueuePosition: _, ...params } = WAITING;
    const { holdMusicUrl: __, ...ivr } = CONFIG.ivr;
    const { result } = await call("holdMusic", { params }, { ...CONFIG, ivr });
    assert.deepEqual(
      result,
      twiml(
        '<Play loop="0">https://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3</Play>',
      ),
    );
  });
});

describe("POST /assignment", () => {
  it("dequeues the call to the worker's contact_uri from the centre's number into Wrap-Up", async () => {
    const { result, lines } = await call("assignment", {
      params: assignmentParams({ contact_uri: AGENT, languages: ["spanish"] }),
    });
    assert.deepEqual(
      result,
      json({
        instruction: "dequeue",
        from: CENTRE_NUMBER,
        to: AGENT,
        post_work_activity_sid: SIDS.wrapUp,
      }),
    );
    assert.equal(
      result.body,
      `{"instruction":"dequeue","from":"${CENTRE_NUMBER}","to":"${AGENT}","post_work_activity_sid":"${SIDS.wrapUp}"}`,
    );
    assert.deepEqual(lines, [
      {
        level: "info",
        msg: "assignment dequeued",
        TaskSid: SIDS.task,
        WorkerSid: SIDS.worker,
        ReservationSid: SIDS.reservation,
      },
    ]);
  });

  it("rejects a worker without contact_uri and logs why", async () => {
    const { result, lines } = await call("assignment", {
      params: assignmentParams({ languages: ["spanish"] }),
    });
    assert.deepEqual(result, json({ instruction: "reject" }));
    assert.deepEqual(lines, [
      {
        level: "warn",
        msg: "assignment rejected",
        reason: "worker has no contact_uri",
        TaskSid: SIDS.task,
        WorkerSid: SIDS.worker,
        ReservationSid: SIDS.reservation,
      },
    ]);
  });

  it("rejects, rather than failing, when WorkerAttributes is not a JSON object", async () => {
    const params = { ...assignmentParams({}), WorkerAttributes: "[1]" };
    const { result, lines } = await call("assignment", { params });
    assert.deepEqual(result, json({ instruction: "reject" }));
    assert.deepEqual(lines, [
      {
        level: "warn",
        msg: "assignment rejected",
        reason: "WorkerAttributes is not a JSON object",
        TaskSid: SIDS.task,
        WorkerSid: SIDS.worker,
        ReservationSid: SIDS.reservation,
      },
    ]);
  });
});

describe("POST /events", () => {
  it("logs one structured line per event and answers 204", async () => {
    const { result, lines } = await call("events", { params: RESERVATION_ACCEPTED });
    assert.deepEqual(result, { statusCode: 204 });
    assert.deepEqual(lines, [
      {
        level: "info",
        msg: "taskrouter event",
        EventType: "reservation.accepted",
        EventDescription: `Reservation ${SIDS.reservation} accepted by worker Alice`,
        ResourceType: "reservation",
        ResourceSid: SIDS.reservation,
        Timestamp: "1767225602",
        WorkspaceSid: SIDS.workspace,
        WorkflowSid: SIDS.workflow,
        TaskSid: SIDS.task,
        TaskQueueSid: SIDS.taskQueue,
        TaskAssignmentStatus: "assigned",
        ReservationSid: SIDS.reservation,
        WorkerSid: SIDS.worker,
        WorkerActivitySid: SIDS.available,
        WorkerActivityName: "Busy",
      },
    ]);
  });
});
