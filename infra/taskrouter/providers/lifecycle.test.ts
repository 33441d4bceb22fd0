// The whole dev contact centre through the providers, in the order Pulumi runs them: create, a
// second `up` in the same deployment after lost state (everything the stack created is reused,
// nothing duplicated), then destroy in reverse dependency order, which Twilio accepts without a
// single refusal. A new deployment that knows nothing of the workspace refuses it.
import assert from "node:assert/strict";
import { loadStack } from "../loadStack";
import { planCentre, withQueueSids } from "../plan";
import * as impl from "./impl";
import { abbreviate, useProviders } from "./testing";
import type { ResourceKind } from "./thin";

describe("The dev contact centre through the providers", () => {
  const fx = useProviders();
  const { spec } = loadStack("stacks/dev.yaml");
  const plan = planCentre(spec);

  /** Creates everything as ContactCentre declares it; returns what destroy needs, in create order. */
  async function up() {
    const created: { kind: ResourceKind; id: string; outs: unknown; reused?: boolean }[] = [];
    const run = async <K extends ResourceKind>(kind: K, news: Record<string, unknown>) => {
      const { inputs, failures } = await impl[kind].check({}, news);
      assert.deepEqual(failures, [], kind);
      const result = await (
        impl[kind].create as (i: unknown) => Promise<{ id: string; outs: { reused?: boolean } }>
      )(inputs);
      created.push({ kind, id: result.id, outs: result.outs, reused: result.outs.reused === true });
      return result;
    };
    const ws = await run("workspace", {
      friendlyName: plan.workspace.friendlyName,
      multiTaskEnabled: plan.workspace.multiTaskEnabled,
      prioritizeQueueOrder: plan.workspace.prioritizeQueueOrder,
      eventCallbackUrl: "https://api.example.com/events",
    });
    const workspaceSid = ws.id;
    const activity: Record<string, string> = {};
    for (const a of plan.activities) {
      activity[a.friendlyName] = (
        await run("activity", {
          workspaceSid,
          friendlyName: a.friendlyName,
          available: a.available,
        })
      ).id;
    }
    await run("workspaceActivities", {
      workspaceSid,
      defaultActivitySid: activity[plan.workspace.defaultActivity],
      timeoutActivitySid: activity[plan.workspace.timeoutActivity],
    });
    for (const w of plan.workers) {
      await run("worker", {
        workspaceSid,
        friendlyName: w.friendlyName,
        activitySid: activity[w.activity],
        attributes: w.attributes,
      });
    }
    const queue: Record<string, string> = {};
    for (const q of plan.queues) {
      queue[q.key] = (
        await run("taskQueue", {
          workspaceSid,
          friendlyName: q.friendlyName,
          targetWorkers: q.targetWorkers,
          taskOrder: q.taskOrder,
          maxReservedWorkers: q.maxReservedWorkers,
        })
      ).id;
    }
    await run("workflow", {
      workspaceSid,
      friendlyName: plan.workflow.friendlyName,
      configuration: withQueueSids(plan.workflow.configuration, queue),
      assignmentCallbackUrl: "https://api.example.com/assignment",
      taskReservationTimeout: plan.workflow.taskReservationTimeout,
    });
    await run("phoneNumberVoiceUrl", {
      phoneNumber: spec.phone.number,
      voiceUrl: "https://api.example.com/incoming-call",
    });
    return { workspaceSid, created };
  }

  async function counts(ws: string) {
    const w = fx.client.taskrouter.v1.workspaces(ws);
    return {
      workspaces: (await fx.client.taskrouter.v1.workspaces.list()).length,
      activities: (await w.activities.list()).length,
      workers: (await w.workers.list()).length,
      queues: (await w.taskQueues.list()).length,
      workflows: (await w.workflows.list()).length,
    };
  }

  it("creates it, reuses all of it after lost state, and destroys it in dependency order", async () => {
    const first = await up();
    const expected = { workspaces: 1, activities: 4, workers: 3, queues: 3, workflows: 1 };
    assert.deepEqual(await counts(first.workspaceSid), expected);
    // The seeded Offline, Unavailable and Available were reused; Wrap-Up was created.
    assert.deepEqual(
      first.created.filter((c) => c.kind === "activity").map((c) => c.reused),
      [true, true, true, false],
    );

    const second = await up();
    assert.deepEqual(await counts(second.workspaceSid), expected);
    assert.deepEqual(
      second.created
        .filter((c) => c.reused === false)
        .filter((c) => c.kind !== "workspaceActivities" && c.kind !== "phoneNumberVoiceUrl"),
      [],
      "every object with a name was reused",
    );
    fx.newProcess(); // a deployment that knows nothing of this workspace: refused before any write
    const { failures } = await impl.workspace.check(
      {},
      { friendlyName: spec.workspace.friendlyName },
    );
    assert.deepEqual(
      failures.map((f) => abbreviate(f.reason)),
      [
        `TaskRouter Workspace "${spec.workspace.friendlyName}" already exists (WS…) and this ` +
          'stack did not create it; nothing was changed. To manage it, add "adopt: { objects: ' +
          '[workspace] }" (or "adopt: { objects: [all] }") to the stack file; otherwise give it ' +
          "another name in the stack file",
      ],
    );

    fx.newProcess(); // destroy is a deployment of its own
    for (const c of [...second.created].reverse()) {
      await (impl[c.kind].delete as (id: string, o: unknown) => Promise<void>)(c.id, c.outs);
    }
    assert.deepEqual(fx.logs.map(abbreviate), [
      'TaskRouter Activity "Offline" (WA…) is the workspace\'s default activity, which Twilio ' +
        "refuses to delete; left in place (it is deleted with workspace WS…)",
    ]);
    assert.deepEqual(await fx.client.taskrouter.v1.workspaces.list(), []);
    const [number] = await fx.client.api.v2010.account.incomingPhoneNumbers.list({
      phoneNumber: spec.phone.number,
    });
    // The second `up` recorded the URL the first one set as "previous": after lost state the
    // original value is unknowable, so that is what destroy restores (docs/providers.md).
    assert.equal(number.voiceUrl, "https://api.example.com/incoming-call");
  });
});
