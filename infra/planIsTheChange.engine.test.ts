// The preview is the change (issue 14), under the real engine: for every kind of single edit a stack
// file can carry, `pulumi preview` reports per resource exactly the operation the next `up`
// performs, marks exactly the changed fields, and the up's writes to the local Twilio are exactly
// those operations. One stack and one emulator for the whole table (edit → preview → up → next
// edit), since each engine run costs seconds of CPU; the edits accumulate. The stack starts as a
// copy of the deployed stacks/local.yaml (tools/engineTest.ts, shared with infra/index.engine.test.ts).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { parse, stringify } from "yaml";
import type { Emulator } from "../emulator";
import { admin } from "../emulator/testing";
import type { StackSpec } from "./taskrouter/model";
import {
  cleanUpEngineTests,
  engineWorkDir,
  fromLocalBaseline,
  NUMBER,
  recordedWrites,
} from "../tools/engineTest";
import { PlanLog, REPO_ROOT, type PlannedResource } from "../tools/localStack";

const OTHER_NUMBER = "+15555550101";
const P = "contact-centre-";

/** The writes an operation on a resource of `type` makes, as "METHOD path" with SIDs abbreviated. */
function writesOf(r: PlannedResource): string[] {
  const ws = "/v1/Workspaces";
  const collection: Record<string, string> = {
    Workspace: ws,
    Activity: `${ws}/WS…/Activities`,
    Worker: `${ws}/WS…/Workers`,
    TaskQueue: `${ws}/WS…/TaskQueues`,
    Workflow: `${ws}/WS…/Workflows`,
  };
  const sid: Record<string, string> = {
    Workspace: "WS…",
    Activity: "WA…",
    Worker: "WK…",
    TaskQueue: "WQ…",
    Workflow: "WW…",
  };
  if (r.type === "WorkspaceActivities") return r.op === "same" ? [] : [`POST ${ws}/WS…`];
  if (r.type === "PhoneNumberVoiceUrl") {
    // Configured on create and update, restored on delete: always a POST to the number.
    const post = "POST /2010-04-01/Accounts/AC…/IncomingPhoneNumbers/PN….json";
    return { same: [], update: [post], create: [post], delete: [post], replace: [post, post] }[
      r.op as "same"
    ];
  }
  const create = `POST ${collection[r.type]}`;
  const instance = `${collection[r.type]}/${sid[r.type]}`;
  return {
    same: [],
    update: [`POST ${instance}`],
    create: [create],
    delete: [`DELETE ${instance}`],
    replace: [`DELETE ${instance}`, create],
  }[r.op as "same"];
}

interface Edit {
  /** What the edit is, as a test name. */
  what: string;
  edit: (spec: StackSpec) => void;
  /** The expected `PlanLog.changes()`: `op name [fields]` per changed resource. */
  changes: string[];
  /**
   * The up's writes, where they are not those of its operations: a create that reuses the stack's
   * own object by name writes to that object, and the delete of the key it left is skipped.
   */
  writes?: string[];
}

const q = (key: string) => `${P}queue-${key}`;

/** Every kind of single edit, in an order where each applies to the result of the one before. */
const EDITS: Edit[] = [
  // The workspace: every field.
  {
    what: "workspace queue order",
    edit: (s) => (s.workspace.queueOrder = "LIFO"),
    changes: [`update ${P}workspace [prioritizeQueueOrder]`],
  },
  {
    what: "workspace multitasking",
    edit: (s) => (s.workspace.multitasking = true),
    changes: [`update ${P}workspace [multiTaskEnabled]`],
  },
  {
    what: "workspace events filter",
    edit: (s) => (s.workspace.eventsFilter = ["task.created"]),
    changes: [`update ${P}workspace [eventsFilter]`],
  },
  {
    what: "workspace events off",
    edit: (s) => (s.workspace.events = false),
    changes: [`update ${P}workspace [eventCallbackUrl]`],
  },
  {
    what: "workspace friendly name",
    edit: (s) => (s.workspace.friendlyName = "Contact Centre (renamed)"),
    changes: [`update ${P}workspace [friendlyName]`],
  },
  // Activities: add, rename (a new name is a new activity), flip availability, remove, the
  // workspace's default and timeout activities.
  {
    what: "add an activity",
    edit: (s) => (s.activities.Break = { available: false }),
    changes: [`create ${P}activity-break`],
  },
  {
    what: "rename an activity",
    edit: (s) => {
      delete s.activities.Break;
      s.activities.Lunch = { available: false };
    },
    changes: [`delete ${P}activity-break`, `create ${P}activity-lunch`],
  },
  {
    what: "flip an activity's availability",
    edit: (s) => (s.activities.Lunch = { available: true }),
    changes: [`replace ${P}activity-lunch [available]`],
  },
  {
    what: "remove an activity",
    edit: (s) => delete s.activities.Lunch,
    changes: [`delete ${P}activity-lunch`],
  },
  {
    what: "the timeout activity",
    edit: (s) => (s.timeoutActivity = "Unavailable"),
    changes: [`update ${P}workspace-activities [timeoutActivity timeoutActivitySid]`],
  },
  {
    what: "the default activity",
    edit: (s) => (s.defaultActivity = "Unavailable"),
    changes: [`update ${P}workspace-activities [defaultActivity defaultActivitySid]`],
  },
  // Workers: attributes, declared activity, add, rename, remove.
  {
    what: "a worker's skill",
    edit: (s) => (s.workers.Alice.attributes!.languages = ["english", "hindi"]),
    changes: [`update ${P}worker-alice [attributes.languages[1]]`],
  },
  {
    what: "a worker's declared activity",
    edit: (s) => (s.workers.Priya.activity = "Unavailable"),
    changes: [`update ${P}worker-priya [activity]`],
  },
  {
    what: "add a worker",
    edit: (s) => (s.workers.Ravi = { activity: "Offline", attributes: { languages: ["hindi"] } }),
    changes: [`create ${P}worker-ravi`],
  },
  {
    what: "rename a worker",
    edit: (s) => {
      s.workers.Ravindra = s.workers.Ravi;
      delete s.workers.Ravi;
    },
    changes: [`delete ${P}worker-ravi`, `create ${P}worker-ravindra`],
  },
  {
    what: "remove a worker",
    edit: (s) => delete s.workers.Ravindra,
    changes: [`delete ${P}worker-ravindra`],
  },
  // Queues: every field, add (not routed to: the workflow stays), rename, remove.
  {
    what: "a queue's target workers",
    edit: (s) => (s.queues.english.targetWorkers = 'languages HAS "english" AND 1==1'),
    changes: [`update ${q("english")} [targetWorkers]`],
  },
  {
    what: "a queue's task order",
    edit: (s) => (s.queues.english.taskOrder = "LIFO"),
    changes: [`update ${q("english")} [taskOrder]`],
  },
  {
    what: "a queue's max reserved workers",
    edit: (s) => (s.queues.english.maxReservedWorkers = 2),
    changes: [`update ${q("english")} [maxReservedWorkers]`],
  },
  {
    what: "a queue's reservation activity",
    edit: (s) => (s.queues.english.reservationActivity = "Unavailable"),
    changes: [`update ${q("english")} [reservationActivity reservationActivitySid]`],
  },
  {
    what: "a queue's assignment activity",
    edit: (s) => (s.queues.english.assignmentActivity = "Unavailable"),
    changes: [`update ${q("english")} [assignmentActivity assignmentActivitySid]`],
  },
  {
    what: "rename a queue (friendly name)",
    edit: (s) => (s.queues.hindi.friendlyName = "Hindi Speakers"),
    changes: [`update ${q("hindi")} [friendlyName]`],
  },
  {
    what: "rename a queue's key",
    edit: (s) => {
      s.queues.hindi_speakers = s.queues.hindi;
      delete s.queues.hindi;
      for (const f of s.workflow.filters ?? []) {
        for (const t of f.targets) if (t.queue === "hindi") t.queue = "hindi_speakers";
      }
    },
    // The new resource takes over the same queue (one update), the old one lets go of it without a
    // delete, and the workflow, whose document holds the same SID, does not change.
    changes: [`delete ${q("hindi")}`, `create ${q("hindi-speakers")}`],
    writes: ["POST /v1/Workspaces/WS…/TaskQueues/WQ…"],
  },
  {
    what: "add a queue",
    edit: (s) => (s.queues.spanish = { friendlyName: "Spanish", targetWorkers: "1==1" }),
    changes: [`create ${q("spanish")}`],
  },
  {
    what: "route to the new queue",
    edit: (s) => s.workflow.filters![0].targets.push({ queue: "spanish" }),
    changes: [
      `update ${P}workflow [configuration.task_routing.filters[0].targets[2] queueNames.spanish queues.spanish]`,
    ],
  },
  {
    what: "stop routing to it",
    edit: (s) => s.workflow.filters![0].targets.pop(),
    changes: [
      `update ${P}workflow [configuration.task_routing.filters[0].targets[2] queueNames.spanish queues.spanish]`,
    ],
  },
  {
    what: "remove a queue",
    edit: (s) => delete s.queues.spanish,
    changes: [`delete ${q("spanish")}`],
  },
  // The workflow: every field.
  {
    what: "the workflow's friendly name",
    edit: (s) => (s.workflow.friendlyName = "Language routing v2"),
    changes: [`update ${P}workflow [friendlyName]`],
  },
  {
    what: "the workflow's reservation timeout",
    edit: (s) => (s.workflow.reservationTimeout = 45),
    changes: [`update ${P}workflow [taskReservationTimeout]`],
  },
  {
    what: "a target's timeout",
    edit: (s) => (s.workflow.filters![0].targets[0].timeout = 20),
    changes: [`update ${P}workflow [configuration.task_routing.filters[0].targets[0].timeout]`],
  },
  {
    what: "a filter's expression",
    edit: (s) => (s.workflow.filters![1].expression = 'selected_language == "hi"'),
    changes: [`update ${P}workflow [configuration.task_routing.filters[1].expression]`],
  },
  {
    what: "the default target",
    edit: (s) => (s.workflow.defaultTarget = { queue: "english" }),
    changes: [`update ${P}workflow [configuration.task_routing.default_filter.queue]`],
  },
  // The phone number: the IVR is the handlers' (no Twilio change); another number replaces.
  {
    what: "the IVR greeting",
    edit: (s) => (s.phone!.ivr.greeting = "Welcome. Press 1 for English, 2 for Hindi."),
    changes: [],
  },
  {
    what: "the phone number",
    edit: (s) => (s.phone!.number = OTHER_NUMBER),
    changes: [`delete ${P}phone-number-15555550100`, `create ${P}phone-number-15555550101`],
  },
];

describe("the preview is the change (real engine, one stack through every kind of edit)", function () {
  this.timeout(120_000);
  let emu: Emulator;
  let stack: Stack;
  let spec: StackSpec;
  let routingFile: string;

  before(async function () {
    this.timeout(45 * 60_000); // a first build compiles the CLI from Go modules
    spec = parse(fs.readFileSync(path.join(REPO_ROOT, "stacks", "local.yaml"), "utf8"));
    // stacks/local.yaml deployed (the baseline, tools/engineTest.ts); from here on the stack reads
    // one routing file, rewritten by each edit as a user edits theirs.
    ({ emu, stack } = await fromLocalBaseline({ numbers: [NUMBER, OTHER_NUMBER] }));
    routingFile = path.join(engineWorkDir("plan-test"), "routing.yaml");
    fs.writeFileSync(routingFile, stringify(spec));
    await stack.setConfig("contact-centre:routingFile", { value: routingFile });
  });
  after(cleanUpEngineTests);

  const writes = () => recordedWrites(emu);

  for (const { what, edit, changes, writes: expectedWrites } of EDITS) {
    it(`${what}: the preview's operations and fields are the up's, and the up writes exactly those`, async () => {
      edit(spec);
      fs.writeFileSync(routingFile, stringify(spec));
      const preview = new PlanLog();
      await admin(emu, "DELETE", "/requests");
      await stack.preview({ onEvent: preview.onEvent, diff: true });
      assert.deepEqual(await writes(), [], "a preview writes nothing");
      assert.deepEqual(preview.changes(), changes);

      const up = new PlanLog();
      await stack.up({ onEvent: up.onEvent });
      assert.deepEqual(up.changes(), preview.changes());
      assert.deepEqual(
        await writes(),
        expectedWrites ?? up.resources().flatMap(writesOf).sort(),
        "the up's writes are its operations",
      );
    });
  }

  it("previews no change after the last up", async () => {
    const after = new PlanLog();
    await stack.preview({ onEvent: after.onEvent });
    assert.deepEqual(after.changes(), []);
  });
});
