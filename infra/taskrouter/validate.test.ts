import assert from "node:assert/strict";
import type { ContactCentreSpec } from "./model";
import { stackSpec } from "./testFixtures";
import {
  checkAttributeHyphens,
  checkAttributesSize,
  checkContactUri,
  checkE164,
  checkExpression,
  checkHttpUrl,
  checkIvrDigit,
  checkName,
  checkOrderBy,
  checkPriority,
  checkReservationTimeout,
  checkTargetTimeout,
  formatPath,
  parsePath,
  type SpecIssue,
} from "./validate";
import { validateSpec } from "./validateSpec";

const error = (path: string, message: string): SpecIssue => ({ severity: "error", path, message });
const warning = (path: string, message: string): SpecIssue => ({
  severity: "warning",
  path,
  message,
});

describe("single-value rules", () => {
  const table: { rule: string; check: () => string | undefined; expected: string | undefined }[] = [
    {
      rule: "reservation timeout 0",
      check: () => checkReservationTimeout(0),
      expected: "reservation timeout must be 1..86400 seconds (got 0)",
    },
    { rule: "reservation timeout 1", check: () => checkReservationTimeout(1), expected: undefined },
    {
      rule: "reservation timeout 86400",
      check: () => checkReservationTimeout(86400),
      expected: undefined,
    },
    {
      rule: "reservation timeout 86401",
      check: () => checkReservationTimeout(86401),
      expected: "reservation timeout must be 1..86400 seconds (got 86401)",
    },
    {
      rule: "priority -1",
      check: () => checkPriority(-1),
      expected: "priority must be 0..2147483647 (got -1)",
    },
    { rule: "priority 0", check: () => checkPriority(0), expected: undefined },
    { rule: "priority 2147483647", check: () => checkPriority(2147483647), expected: undefined },
    {
      rule: "priority 2147483648",
      check: () => checkPriority(2147483648),
      expected: "priority must be 0..2147483647 (got 2147483648)",
    },
    {
      rule: "target timeout -1",
      check: () => checkTargetTimeout(-1),
      expected: "timeout must be a positive number of seconds (got -1)",
    },
    {
      rule: "target timeout 0",
      check: () => checkTargetTimeout(0),
      expected: "timeout must be a positive number of seconds (got 0)",
    },
    { rule: "target timeout 1", check: () => checkTargetTimeout(1), expected: undefined },
    { rule: "E.164 +15555550100", check: () => checkE164("+15555550100"), expected: undefined },
    {
      rule: "E.164 with 15 digits",
      check: () => checkE164("+123456789012345"),
      expected: undefined,
    },
    {
      rule: "E.164 with 16 digits",
      check: () => checkE164("+1234567890123456"),
      expected: '"+1234567890123456" is not an E.164 number (+, country code, up to 15 digits)',
    },
    { rule: "E.164 with 2 digits", check: () => checkE164("+12"), expected: undefined },
    {
      rule: "E.164 with 1 digit",
      check: () => checkE164("+1"),
      expected: '"+1" is not an E.164 number (+, country code, up to 15 digits)',
    },
    {
      rule: "E.164 without +",
      check: () => checkE164("15555550100"),
      expected: '"15555550100" is not an E.164 number (+, country code, up to 15 digits)',
    },
    {
      rule: "E.164 starting +0",
      check: () => checkE164("+05555550100"),
      expected: '"+05555550100" is not an E.164 number (+, country code, up to 15 digits)',
    },
    {
      rule: "E.164 with a hyphen",
      check: () => checkE164("+1555-5550100"),
      expected: '"+1555-5550100" is not an E.164 number (+, country code, up to 15 digits)',
    },
    {
      rule: "contact_uri E.164",
      check: () => checkContactUri("+15555550101"),
      expected: undefined,
    },
    {
      rule: "contact_uri client:",
      check: () => checkContactUri("client:shyam"),
      expected: undefined,
    },
    {
      rule: "contact_uri sip:",
      check: () => checkContactUri("sip:shyam@example.com"),
      expected: undefined,
    },
    {
      rule: "contact_uri sip: with port and transport",
      check: () => checkContactUri("sip:agent1@10.0.0.5:5060;transport=tls"),
      expected: undefined,
    },
    {
      rule: "contact_uri sip: host only",
      check: () => checkContactUri("sip:pbx.example.com"),
      expected: undefined,
    },
    {
      rule: "contact_uri sip: with a space",
      check: () => checkContactUri("sip:not a uri"),
      expected: 'contact_uri "sip:not a uri" is not a SIP URI (sip:[user@]host[:port][;params])',
    },
    {
      rule: "contact_uri sip: without a host",
      check: () => checkContactUri("sip:shyam@"),
      expected: 'contact_uri "sip:shyam@" is not a SIP URI (sip:[user@]host[:port][;params])',
    },
    {
      rule: "contact_uri sip: with a URL",
      check: () => checkContactUri("sip:https://example.com/x"),
      expected:
        'contact_uri "sip:https://example.com/x" is not a SIP URI (sip:[user@]host[:port][;params])',
    },
    {
      rule: "order_by with two keys",
      check: () => checkOrderBy("worker.english_level ASC, worker.spanish_level DESC"),
      expected: undefined,
    },
    {
      rule: "order_by over a task attribute",
      check: () => checkOrderBy("task.priority"),
      expected:
        'order_by "task.priority": cannot read "task.priority" (expected worker.<attribute> [ASC|DESC], comma-separated)',
    },
    {
      rule: "order_by with an empty key",
      check: () => checkOrderBy("worker.level,"),
      expected:
        'order_by "worker.level,": cannot read "" (expected worker.<attribute> [ASC|DESC], comma-separated)',
    },
    {
      rule: "name with spaces and accents",
      check: () => checkName("worker", "Zoë Ann"),
      expected: undefined,
    },
    {
      rule: "name with a tab",
      check: () => checkName("worker", "Zoë\tAnn"),
      expected: 'worker "Zoë\\tAnn" contains the control character U+0009 at column 4',
    },
    {
      rule: "name with a C1 control character",
      check: () => checkName("activity", "Away\u0085"),
      expected: 'activity "Away\u0085" contains the control character U+0085 at column 5',
    },
    {
      rule: "name that is a SID",
      check: () => checkName("queue key", "WQ0123456789abcdef0123456789ABCDEF"),
      expected:
        'queue key "WQ0123456789abcdef0123456789ABCDEF" is a Twilio SID; stack files use logical names, never SIDs',
    },
    {
      rule: "name like a SID but short",
      check: () => checkName("worker", "WK0123"),
      expected: undefined,
    },
    {
      rule: "contact_uri bare name",
      check: () => checkContactUri("shyam"),
      expected: 'contact_uri "shyam" is not an E.164 number, client:<identity> or sip:<uri>',
    },
    {
      rule: "contact_uri empty client",
      check: () => checkContactUri("client:"),
      expected: 'contact_uri "client:" is not an E.164 number, client:<identity> or sip:<uri>',
    },
    {
      rule: "contact_uri number",
      check: () => checkContactUri(15555550101),
      expected: "contact_uri 15555550101 is not an E.164 number, client:<identity> or sip:<uri>",
    },
    { rule: "IVR key 0", check: () => checkIvrDigit("0"), expected: undefined },
    { rule: "IVR key 9", check: () => checkIvrDigit("9"), expected: undefined },
    { rule: "IVR key *", check: () => checkIvrDigit("*"), expected: undefined },
    { rule: "IVR key #", check: () => checkIvrDigit("#"), expected: undefined },
    {
      rule: "IVR key 10",
      check: () => checkIvrDigit("10"),
      expected: 'IVR option key "10" is not a single keypad key (0-9, *, #)',
    },
    {
      rule: "IVR key a",
      check: () => checkIvrDigit("a"),
      expected: 'IVR option key "a" is not a single keypad key (0-9, *, #)',
    },
    {
      rule: "IVR key empty",
      check: () => checkIvrDigit(""),
      expected: 'IVR option key "" is not a single keypad key (0-9, *, #)',
    },
    {
      rule: "hold music https URL",
      check: () => checkHttpUrl("https://example.com/hold.mp3"),
      expected: undefined,
    },
    { rule: "hold music http URL", check: () => checkHttpUrl("http://x/y"), expected: undefined },
    {
      rule: "hold music relative path",
      check: () => checkHttpUrl("hold.mp3"),
      expected: '"hold.mp3" is not an absolute http(s) URL',
    },
    {
      rule: "hold music ftp URL",
      check: () => checkHttpUrl("ftp://example.com/hold.mp3"),
      expected: '"ftp://example.com/hold.mp3" is not an absolute http(s) URL',
    },
    {
      rule: "hold music URL with a space",
      check: () => checkHttpUrl("https://example.com/hold music.mp3"),
      expected: '"https://example.com/hold music.mp3" is not an absolute http(s) URL',
    },
    // {"x":"…"} is 8 characters around the value.
    {
      rule: "attributes of 4096 characters",
      check: () => checkAttributesSize({ x: "a".repeat(4088) }),
      expected: undefined,
    },
    {
      rule: "attributes of 4097 characters",
      check: () => checkAttributesSize({ x: "a".repeat(4089) }),
      expected: "attributes are 4097 characters as JSON (max 4096)",
    },
  ];
  for (const { rule, check, expected } of table) {
    it(`${expected === undefined ? "accepts" : "rejects"} ${rule}`, () =>
      assert.equal(check(), expected));
  }
});

describe("checkAttributeHyphens", () => {
  it("reports every string with a hyphen, at any depth, by path", () => {
    assert.deepEqual(
      checkAttributeHyphens({
        team: "a-b",
        languages: ["hindi", "en-US"],
        nested: { x: { y: "-" } },
        level: -1,
      }),
      [
        error("team", 'attribute value "a-b" contains a hyphen (not supported by TaskRouter)'),
        error(
          "languages[1]",
          'attribute value "en-US" contains a hyphen (not supported by TaskRouter)',
        ),
        error("nested.x.y", 'attribute value "-" contains a hyphen (not supported by TaskRouter)'),
      ],
    );
  });

  it("accepts values without hyphens, negative numbers included", () => {
    assert.deepEqual(
      checkAttributeHyphens({ languages: ["en_US"], level: -1, on: true, none: null }),
      [],
    );
  });
});

describe("checkExpression", () => {
  const table: {
    source: string;
    role: Parameters<typeof checkExpression>[1];
    expected: string[];
  }[] = [
    { source: 'languages HAS "hindi"', role: "targetWorkers", expected: [] },
    {
      source: 'languages HAS "hindi',
      role: "targetWorkers",
      expected: ["expression does not parse: unterminated string starting at column 15"],
    },
    {
      source: "languages HAS",
      role: "filter",
      expected: ["expression does not parse: expected a value at column 14"],
    },
    {
      source: 'lang == "en-US"',
      role: "filter",
      expected: ['expression has a hyphen in "en-US" at column 9 (not supported by TaskRouter)'],
    },
    {
      source: 'lang IN ["en_GB", "en-US"]',
      role: "filter",
      expected: ['expression has a hyphen in "en-US" at column 19 (not supported by TaskRouter)'],
    },
    {
      source: "skill-level == 1",
      role: "filter",
      expected: ["expression does not parse: hyphens are not supported in keys at column 6"],
    },
    { source: "level > -1", role: "filter", expected: [] },
    { source: "task.lang IN worker.languages", role: "target", expected: [] },
    {
      source: 'languages HAS "hindi"',
      role: "target",
      expected: ['target expression key "languages" must start with task. or worker.'],
    },
    {
      source: "task.a == b AND tasks.c == worker.d",
      role: "target",
      expected: [
        'target expression key "b" must start with task. or worker.',
        'target expression key "tasks.c" must start with task. or worker.',
      ],
    },
    { source: "workers.available == 0", role: "skipIf", expected: [] },
  ];
  for (const { source, role, expected } of table) {
    it(`${expected.length ? "rejects" : "accepts"} the ${role} expression ${source}`, () =>
      assert.deepEqual(checkExpression(source, role), expected));
  }
});

describe("formatPath and parsePath", () => {
  const table: { segments: (string | number)[]; text: string }[] = [
    {
      segments: ["workflow", "filters", 0, "targets", 1, "queue"],
      text: "workflow.filters[0].targets[1].queue",
    },
    { segments: ["activities", "Wrap-Up", "available"], text: 'activities["Wrap-Up"].available' },
    { segments: ["phone", "ivr", "options", "1"], text: 'phone.ivr.options["1"]' },
    { segments: ["workers", 'Dr "Q"'], text: 'workers["Dr \\"Q\\""]' },
    { segments: [], text: "" },
  ];
  for (const { segments, text } of table) {
    it(`writes and reads back ${text || "the root"}`, () => {
      assert.equal(formatPath(segments), text);
      assert.deepEqual(parsePath(text), segments);
    });
  }

  it("rejects a malformed path with its column", () => {
    assert.throws(() => parsePath("a..b"), { message: 'invalid path "a..b" at column 2' });
  });
});

describe("validateSpec", () => {
  it("accepts a valid centre with no issue", () => assert.deepEqual(validateSpec(stackSpec()), []));

  const table: {
    name: string;
    change: (spec: ContactCentreSpec) => void;
    expected: SpecIssue[];
  }[] = [
    {
      name: "rejects worker names that differ only in case",
      change: (s) =>
        (s.workers.shyam = { activity: "Offline", attributes: { languages: ["hindi"] } }),
      expected: [
        error(
          "workers.shyam",
          'worker "shyam" duplicates "Shyam" (names are unique ignoring case)',
        ),
      ],
    },
    {
      name: "rejects activity names that differ only in case",
      change: (s) => (s.activities.offline = { available: false }),
      expected: [
        error(
          "activities.offline",
          'activity "offline" duplicates "Offline" (names are unique ignoring case)',
        ),
      ],
    },
    {
      name: "rejects two queues with the same friendly name",
      change: (s) => (s.queues.hindi.friendlyName = "english"),
      expected: [
        error(
          "queues.hindi.friendlyName",
          'queue friendly name "english" duplicates "English" (names are unique ignoring case)',
        ),
      ],
    },
    {
      name: "rejects two filters with the same name",
      change: (s) => s.workflow.filters.push({ ...s.workflow.filters[0] }),
      expected: [
        error(
          "workflow.filters[1].name",
          'filter "Hindi" duplicates "Hindi" (names are unique ignoring case)',
        ),
      ],
    },
    {
      name: "rejects a target naming an unknown queue, listing the known ones",
      change: (s) => (s.workflow.filters[0].targets[0].queue = "hindii"),
      expected: [
        error(
          "workflow.filters[0].targets[0].queue",
          'unknown queue "hindii" (known: english, hindi)',
        ),
        warning("queues.hindi", "no filter target or default target routes to this queue"),
      ],
    },
    {
      name: "rejects a default target naming an unknown queue",
      change: (s) => (s.workflow.defaultTarget.queue = "nowhere"),
      expected: [
        error("workflow.defaultTarget.queue", 'unknown queue "nowhere" (known: english, hindi)'),
      ],
    },
    {
      name: "rejects an unknown default activity once, not again for workers that default to it",
      change: (s) => {
        s.defaultActivity = "Away";
        s.workers.Alice.activity = "Away";
      },
      expected: [
        error("defaultActivity", 'unknown activity "Away" (known: Available, Offline, Wrap-Up)'),
      ],
    },
    {
      name: "rejects an unknown timeout activity",
      change: (s) => (s.timeoutActivity = "Gone"),
      expected: [
        error("timeoutActivity", 'unknown activity "Gone" (known: Available, Offline, Wrap-Up)'),
      ],
    },
    {
      name: "rejects a missing post-work activity",
      change: (s) => delete s.activities["Wrap-Up"],
      expected: [
        error("postWorkActivity", 'unknown activity "Wrap-Up" (known: Available, Offline)'),
      ],
    },
    {
      name: "rejects an available post-work activity",
      change: (s) => (s.activities["Wrap-Up"].available = true),
      expected: [
        error(
          "postWorkActivity",
          'post-work activity "Wrap-Up" must be unavailable (available: false)',
        ),
      ],
    },
    {
      name: "rejects unknown worker and queue activities",
      change: (s) => {
        s.workers.Shyam.activity = "Busy";
        s.queues.hindi.reservationActivity = "Reserved";
        s.queues.hindi.assignmentActivity = "Busy";
      },
      expected: [
        error(
          "workers.Shyam.activity",
          'unknown activity "Busy" (known: Available, Offline, Wrap-Up)',
        ),
        error(
          "queues.hindi.reservationActivity",
          'unknown activity "Reserved" (known: Available, Offline, Wrap-Up)',
        ),
        error(
          "queues.hindi.assignmentActivity",
          'unknown activity "Busy" (known: Available, Offline, Wrap-Up)',
        ),
      ],
    },
    {
      name: "rejects a reservation timeout of 86401",
      change: (s) => (s.workflow.reservationTimeout = 86401),
      expected: [
        error(
          "workflow.reservationTimeout",
          "reservation timeout must be 1..86400 seconds (got 86401)",
        ),
      ],
    },
    {
      name: "rejects a target priority of 2147483648 and a target timeout of 0",
      change: (s) =>
        Object.assign(s.workflow.filters[0].targets[1], { priority: 2147483648, timeout: 0 }),
      expected: [
        error(
          "workflow.filters[0].targets[1].priority",
          "priority must be 0..2147483647 (got 2147483648)",
        ),
        error(
          "workflow.filters[0].targets[1].timeout",
          "timeout must be a positive number of seconds (got 0)",
        ),
      ],
    },
    {
      name: "rejects worker attributes over 4096 characters as JSON",
      change: (s) =>
        (s.workers.Alice.attributes = { languages: ["english"], notes: "a".repeat(4096) }),
      expected: [
        error("workers.Alice.attributes", "attributes are 4132 characters as JSON (max 4096)"),
      ],
    },
    {
      name: "rejects a contact_uri that is not a number, client or SIP address",
      change: (s) => (s.workers.Shyam.attributes.contact_uri = "5555550101"),
      expected: [
        error(
          "workers.Shyam.attributes.contact_uri",
          'contact_uri "5555550101" is not an E.164 number, client:<identity> or sip:<uri>',
        ),
      ],
    },
    {
      name: "rejects a phone number that is not E.164",
      change: (s) => (s.phone.number = "555 0100"),
      expected: [
        error(
          "phone.number",
          '"555 0100" is not an E.164 number (+, country code, up to 15 digits)',
        ),
      ],
    },
    {
      name: "rejects a hyphen in an IVR label, which becomes the task attribute selected_option",
      change: (s) => (s.phone.ivr.options["1"].label = "English-speaking"),
      expected: [
        error(
          'phone.ivr.options["1"].label',
          'label "English-speaking" becomes the task attribute selected_option and contains a hyphen (not supported by TaskRouter)',
        ),
      ],
    },
    {
      name: "rejects a hold music URL the handlers could not play",
      change: (s) => (s.phone.holdMusicUrl = "hold.mp3"),
      expected: [error("phone.holdMusicUrl", '"hold.mp3" is not an absolute http(s) URL')],
    },
    {
      name: "rejects IVR option keys that are not a single keypad key",
      change: (s) => (s.phone.ivr.options["12"] = { label: "Twelve", attributes: {} }),
      expected: [
        error(
          'phone.ivr.options["12"]',
          'IVR option key "12" is not a single keypad key (0-9, *, #)',
        ),
      ],
    },
    {
      name: "rejects hyphens in worker and task attribute values",
      change: (s) => {
        s.workers.Alice.attributes.languages = ["en-GB"];
        s.phone.ivr.options["1"].attributes.lang = "en-GB";
        s.phone.ivr.defaultAttributes = { lang: "en-US" };
      },
      expected: [
        error(
          "workers.Alice.attributes.languages[0]",
          'attribute value "en-GB" contains a hyphen (not supported by TaskRouter)',
        ),
        error(
          'phone.ivr.options["1"].attributes.lang',
          'attribute value "en-GB" contains a hyphen (not supported by TaskRouter)',
        ),
        error(
          "phone.ivr.defaultAttributes.lang",
          'attribute value "en-US" contains a hyphen (not supported by TaskRouter)',
        ),
        warning("queues.english.targetWorkers", 'no worker matches "languages HAS \\"english\\""'),
      ],
    },
    {
      name: "rejects expressions that do not parse or hold hyphens, wherever they are",
      change: (s) => {
        s.queues.english.targetWorkers = "languages HAS";
        s.workflow.filters[0].expression = 'lang == "hi-IN"';
        Object.assign(s.workflow.filters[0].targets[0], {
          expression: "worker.level >",
          skipIf: "workers.available = 0",
        });
      },
      expected: [
        error(
          "queues.english.targetWorkers",
          "expression does not parse: expected a value at column 14",
        ),
        error(
          "workflow.filters[0].expression",
          'expression has a hyphen in "hi-IN" at column 9 (not supported by TaskRouter)',
        ),
        error(
          "workflow.filters[0].targets[0].expression",
          "expression does not parse: expected a value at column 15",
        ),
        error(
          "workflow.filters[0].targets[0].skipIf",
          'expression does not parse: "=" is not an operator (use "==") at column 19',
        ),
      ],
    },
    {
      name: "rejects target expression keys without the task. or worker. prefix",
      change: (s) => (s.workflow.filters[0].targets[0].expression = "level > 2"),
      expected: [
        error(
          "workflow.filters[0].targets[0].expression",
          'target expression key "level" must start with task. or worker.',
        ),
      ],
    },
    {
      name: "warns about a queue no filter or default target reaches",
      change: (s) => (s.queues.spare = { ...s.queues.english, friendlyName: "Spare" }),
      expected: [
        warning("queues.spare", "no filter target or default target routes to this queue"),
      ],
    },
    {
      name: "rejects worker names that become the same resource name",
      change: (s) => {
        s.workers["Ann-Marie"] = { activity: "Offline", attributes: {} };
        s.workers["ann marie"] = { activity: "Offline", attributes: {} };
      },
      expected: [
        error(
          'workers["ann marie"]',
          'worker "ann marie" and "Ann-Marie" both become the Pulumi resource name "<centre>-worker-ann-marie" (case and punctuation are dropped); rename one',
        ),
      ],
    },
    {
      name: "rejects activity names that become the same resource name",
      change: (s) => (s.activities["Wrap Up"] = { available: false }),
      expected: [
        error(
          'activities["Wrap Up"]',
          'activity "Wrap Up" and "Wrap-Up" both become the Pulumi resource name "<centre>-activity-wrap-up" (case and punctuation are dropped); rename one',
        ),
      ],
    },
    {
      name: "rejects queue keys that become the same resource name",
      change: (s) => {
        s.queues.spare_1 = { ...s.queues.english, friendlyName: "Spare one" };
        s.queues.Spare__1 = { ...s.queues.english, friendlyName: "Spare 1" };
        s.workflow.filters[0].targets.push({ queue: "spare_1" }, { queue: "Spare__1" });
      },
      expected: [
        error(
          "queues.Spare__1",
          'queue "Spare__1" and "spare_1" both become the Pulumi resource name "<centre>-queue-spare-1" (case and punctuation are dropped); rename one',
        ),
      ],
    },
    {
      name: "rejects a centre without an available activity",
      change: (s) => {
        delete s.activities.Available;
        s.workers.Shyam.activity = "Offline";
        s.workers.Alice.activity = "Offline";
      },
      expected: [
        error(
          "activities",
          "no activity is available (available: true), so no worker could ever take a task",
        ),
      ],
    },
    {
      name: "rejects the activity Available declared unavailable (Twilio's own is available)",
      change: (s) => {
        s.activities.available = { available: false };
        delete s.activities.Available;
        s.activities.Ready = { available: true };
        s.workers.Shyam.activity = "Ready";
        s.workers.Alice.activity = "Ready";
      },
      expected: [
        error(
          "activities.available.available",
          'Twilio creates "Available" in every new workspace with available: true, adopts it by name and cannot change its availability; declare available: true or use another name',
        ),
      ],
    },
    {
      name: "rejects the activity Offline declared available",
      change: (s) => (s.activities.Offline.available = true),
      expected: [
        error(
          "activities.Offline.available",
          'Twilio creates "Offline" in every new workspace with available: false, adopts it by name and cannot change its availability; declare available: false or use another name',
        ),
      ],
    },
    {
      name: "rejects more activities than Twilio's 100 per workspace, counting the ones Twilio creates",
      change: (s) => {
        for (let i = 0; i < 97; i++) s.activities[`Away${i}`] = { available: false };
      },
      expected: [
        error(
          "activities",
          "100 activities, plus 1 that Twilio creates in every workspace (Unavailable), exceed Twilio's 100 per workspace",
        ),
      ],
    },
    {
      name: "rejects more workers than Twilio's 15000 per workspace",
      change: (s) => {
        for (let i = 0; i < 14999; i++)
          s.workers[`W${i}`] = { activity: "Offline", attributes: {} };
      },
      expected: [error("workers", "15001 workers exceed Twilio's 15000 per workspace")],
    },
    {
      name: "rejects a workflow configuration over Twilio's 1038576 bytes",
      change: (s) => {
        const expression = `lang == "${"x".repeat(100_000)}"`;
        s.workflow.filters = Array.from({ length: 11 }, (_, i) => ({
          name: `F${i}`,
          expression,
          targets: [{ queue: "english" }],
        }));
      },
      expected: [
        error(
          "workflow",
          "the workflow configuration is 1101382 bytes as JSON (Twilio's max 1038576)",
        ),
        warning("queues.hindi", "no filter target or default target routes to this queue"),
      ],
    },
    {
      name: "rejects a greeting too large for the handlers' Lambda environment",
      change: (s) => (s.phone.ivr.greeting = "Hello. ".repeat(500)),
      expected: [
        error(
          "phone.ivr",
          "the IVR menu (greeting, options, hold music) is 3700 bytes as JSON, and goes into each call handler's Lambda environment (4 KB in all); keep it under 3072 bytes",
        ),
      ],
    },
    {
      name: "rejects IVR option attributes over Twilio's 4096-character task attributes",
      change: (s) => (s.phone.ivr.options["1"].attributes.notes = "a".repeat(4096)),
      expected: [
        error(
          'phone.ivr.options["1"].attributes',
          "attributes are 4153 characters as JSON (max 4096)",
        ),
        error(
          "phone.ivr",
          "the IVR menu (greeting, options, hold music) is 4312 bytes as JSON, and goes into each call handler's Lambda environment (4 KB in all); keep it under 3072 bytes",
        ),
      ],
    },
    {
      name: "rejects an order_by that is not worker.<attribute> [ASC|DESC]",
      change: (s) =>
        (s.workflow.filters[0].targets[0].orderBy = "worker.level SIDEWAYS; DROP TABLE"),
      expected: [
        error(
          "workflow.filters[0].targets[0].orderBy",
          'order_by "worker.level SIDEWAYS; DROP TABLE": cannot read "worker.level SIDEWAYS; DROP TABLE" (expected worker.<attribute> [ASC|DESC], comma-separated)',
        ),
      ],
    },
    {
      name: "accepts a documented order_by",
      change: (s) =>
        (s.workflow.filters[0].targets[0].orderBy =
          "worker.english_level ASC, worker.spanish_level DESC"),
      expected: [],
    },
    {
      name: "rejects a SID where an activity name belongs",
      change: (s) => (s.workers.Alice.activity = "WA0123456789abcdef0123456789abcdef"),
      expected: [
        error(
          "workers.Alice.activity",
          'unknown activity "WA0123456789abcdef0123456789abcdef", a Twilio SID where a logical name belongs (known: Available, Offline, Wrap-Up)',
        ),
      ],
    },
    {
      name: "rejects a SID where a queue key belongs",
      change: (s) => (s.workflow.defaultTarget.queue = "WQ0123456789abcdef0123456789abcdef"),
      expected: [
        error(
          "workflow.defaultTarget.queue",
          'unknown queue "WQ0123456789abcdef0123456789abcdef", a Twilio SID where a logical name belongs (known: english, hindi)',
        ),
      ],
    },
    {
      name: "rejects a SID as a worker name",
      change: (s) =>
        (s.workers.WK0123456789abcdef0123456789abcdef = { activity: "Offline", attributes: {} }),
      expected: [
        error(
          "workers.WK0123456789abcdef0123456789abcdef",
          'worker "WK0123456789abcdef0123456789abcdef" is a Twilio SID; stack files use logical names, never SIDs',
        ),
      ],
    },
    {
      name: "rejects a NUL character in a worker name",
      change: (s) => (s.workers["Al\u0000ice"] = { activity: "Offline", attributes: {} }),
      expected: [
        error(
          'workers["Al\\u0000ice"]',
          'worker "Al\\u0000ice" contains the control character U+0000 at column 3',
        ),
      ],
    },
    {
      name: "rejects a control character in a queue's friendly name",
      change: (s) => (s.queues.hindi.friendlyName = "Hin\u007fdi"),
      expected: [
        error(
          "queues.hindi.friendlyName",
          'queue name "Hin\u007fdi" contains the control character U+007F at column 4',
        ),
      ],
    },
    {
      name: "rejects an unpaired surrogate (not UTF-8) in a filter name",
      change: (s) => (s.workflow.filters[0].name = "Hindi \ud800"),
      expected: [
        error(
          "workflow.filters[0].name",
          'filter name "Hindi \\ud800" contains an unpaired surrogate at column 7 (not valid UTF-8)',
        ),
      ],
    },
    {
      name: "rejects a NUL character in an expression",
      change: (s) => (s.queues.hindi.targetWorkers = 'languages HAS "hin\u0000di"'),
      expected: [
        error(
          "queues.hindi.targetWorkers",
          "expression contains the control character U+0000 at column 19",
        ),
      ],
    },
    {
      name: "accepts newlines and tabs in an expression",
      change: (s) => (s.queues.hindi.targetWorkers = 'languages HAS "hindi"\n\tAND 1 == 1'),
      expected: [],
    },
    {
      name: "warns about a queue whose target workers match no worker",
      change: (s) => (s.queues.hindi.targetWorkers = 'languages HAS "tamil"'),
      expected: [
        warning("queues.hindi.targetWorkers", 'no worker matches "languages HAS \\"tamil\\""'),
      ],
    },
  ];
  for (const { name, change, expected } of table) {
    it(name, () => {
      const spec = stackSpec();
      change(spec);
      assert.deepEqual(validateSpec(spec), expected);
    });
  }
});
