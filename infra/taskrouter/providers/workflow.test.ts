import assert from "node:assert/strict";
import * as impl from "./impl";
import {
  deleteReadDelete,
  message,
  newWorkspace,
  noteWorkspace,
  TEST_ACCOUNT_SID,
  UNKNOWN,
  useProviders,
} from "./testing";
import type { WorkflowInputs } from "./workflow";
import type { TaskRoutingConfiguration } from "../workflowConfig";

describe("Workflow provider", () => {
  const fx = useProviders();
  let ws: string;
  let english: string;
  let everyone: string;
  let declared: WorkflowInputs;
  const routing = (first: string, fallback: string): TaskRoutingConfiguration => ({
    task_routing: {
      filters: [
        {
          filter_friendly_name: "English",
          expression: 'selected_language == "english"',
          targets: [{ queue: first, timeout: 30 }, { queue: fallback }],
        },
      ],
      default_filter: { queue: fallback },
    },
  });
  beforeEach(async () => {
    ws = (await newWorkspace(fx)).sid;
    const queues = fx.client.taskrouter.v1.workspaces(ws).taskQueues;
    english = (await queues.create({ friendlyName: "English" })).sid;
    everyone = (await queues.create({ friendlyName: "Everyone" })).sid;
    declared = {
      workspaceSid: ws,
      friendlyName: "Inbound calls",
      configuration: routing(english, everyone),
      assignmentCallbackUrl: "https://api.example.com/assignment",
      taskReservationTimeout: 30,
    };
  });

  it("puts in the SIDs where the document names a queue by its key in queues", async () => {
    const { inputs, failures } = await impl.workflow.check(
      {},
      {
        ...declared,
        configuration: routing("english", "everyone"),
        queues: { english, everyone },
        queueNames: { english: "English", everyone: "Everyone" },
      },
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.configuration, routing(english, everyone));
    assert.deepEqual(inputs.queues, { english, everyone });
  });

  it("in preview, resolves a queue whose SID is unknown by its name when it exists, else leaves it unknown", async () => {
    // A renamed key: the new queue resource will hold the existing "English" queue (its own check
    // reuses or adopts it), so the document is known and equal to the one deployed.
    const renamed = await impl.workflow.check(
      {},
      {
        ...declared,
        configuration: routing("english_speakers", "everyone"),
        queues: { english_speakers: UNKNOWN, everyone },
        queueNames: { english_speakers: "English", everyone: "Everyone" },
      },
    );
    assert.deepEqual(renamed.failures, []);
    assert.deepEqual(renamed.inputs.configuration, routing(english, everyone));
    assert.deepEqual(renamed.inputs.queues, { english_speakers: english, everyone });
    // A queue that does not exist yet: its SID is unknown until the up creates it.
    const added = await impl.workflow.check(
      {},
      {
        ...declared,
        configuration: routing("spanish", "everyone"),
        queues: { spanish: UNKNOWN, everyone },
        queueNames: { spanish: "Spanish", everyone: "Everyone" },
      },
    );
    assert.deepEqual(added.failures, []);
    assert.deepEqual(added.inputs.configuration, routing(UNKNOWN, everyone));
  });

  it("checks the routing document and reports each problem with its path", async () => {
    const bad = {
      task_routing: {
        filters: [
          {
            filter_friendly_name: "Broken",
            expression: 'selected_language == "english" AND',
            targets: [{ queue: "english", expression: "level > 1", timeout: 0 }],
          },
        ],
        default_filter: { queue: everyone },
      },
    };
    const { failures } = await impl.workflow.check(
      {},
      { ...declared, configuration: bad, taskReservationTimeout: 86401 },
    );
    assert.deepEqual(failures, [
      {
        property: "taskReservationTimeout",
        reason: "reservation timeout must be 1..86400 seconds (got 86401)",
      },
      {
        property: "configuration",
        reason:
          "task_routing.filters[0].expression: expression does not parse: expected a value at column 35",
      },
      {
        property: "configuration",
        reason:
          'task_routing.filters[0].targets[0].queue: must be a TaskQueue SID (WQ and 32 hex digits), got "english"',
      },
      {
        property: "configuration",
        reason:
          'task_routing.filters[0].targets[0].expression: target expression key "level" must start with task. or worker.',
      },
      {
        property: "configuration",
        reason:
          "task_routing.filters[0].targets[0].timeout: timeout must be a positive number of seconds (got 0)",
      },
    ]);
  });

  it("accepts a configuration whose queue SIDs are unknown in preview", async () => {
    const { failures, inputs } = await impl.workflow.check(
      {},
      { ...declared, configuration: routing(UNKNOWN, UNKNOWN) },
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(
      await impl.workflow.diff("WW1", { ...declared, sid: "WW1", adopted: false }, inputs),
      {
        replaces: [],
      },
    );
  });

  it("sends the configuration as canonical JSON and keeps it as an object in outputs", async () => {
    const { id, outs } = await impl.workflow.create(declared);
    assert.deepEqual(outs, {
      ...declared,
      sid: id,
      adopted: false,
      accountSid: TEST_ACCOUNT_SID,
      documentContentType: "application/json",
    });
    const sent = fx.emu.records.find((r) => r.method === "POST" && r.path.endsWith("/Workflows"))
      ?.params.Configuration;
    assert.equal(
      sent,
      JSON.stringify({
        task_routing: {
          filters: [
            {
              filter_friendly_name: "English",
              expression: 'selected_language == "english"',
              targets: [{ queue: english, timeout: 30 }, { queue: everyone }],
            },
          ],
          default_filter: { queue: everyone },
        },
      }),
    );
  });

  it("compares configurations structurally: key order is not a change, a new target is", async () => {
    const { id, outs } = await impl.workflow.create(declared);
    const reordered = JSON.parse(
      JSON.stringify({
        task_routing: {
          default_filter: { queue: everyone },
          filters: [
            {
              targets: [{ timeout: 30, queue: english }, { queue: everyone }],
              expression: 'selected_language == "english"',
              filter_friendly_name: "English",
            },
          ],
        },
      }),
    );
    assert.deepEqual(
      await impl.workflow.diff(id, outs, { ...declared, configuration: reordered }),
      {
        changes: false,
        replaces: [],
      },
    );
    assert.deepEqual(
      await impl.workflow.diff(id, outs, {
        ...declared,
        configuration: routing(everyone, english),
      }),
      { replaces: [] },
    );
  });

  it("updates every field and returns what Twilio stored", async () => {
    const { id, outs } = await impl.workflow.create(declared);
    // No assignment callback any more: it is cleared.
    const { assignmentCallbackUrl: _dropped, ...kept } = declared;
    const news: WorkflowInputs = {
      ...kept,
      friendlyName: "Inbound",
      configuration: routing(everyone, english),
      fallbackAssignmentCallbackUrl: "https://fallback.example.com/assignment",
      taskReservationTimeout: 120,
    };
    const { outs: updated } = await impl.workflow.update(id, outs, news);
    assert.deepEqual(updated, {
      ...news,
      sid: id,
      adopted: false,
      accountSid: TEST_ACCOUNT_SID,
      documentContentType: "application/json",
    });
    const { sid: _sid, adopted: _a, accountSid: _c, documentContentType: _d, ...inputs } = updated;
    assert.deepEqual(await impl.workflow.read(id, updated), { id, props: updated, inputs });
  });

  it("adopts a workflow of the same name and applies the declared configuration", async () => {
    noteWorkspace(ws, false); // the stack adopted the workspace
    const existing = await fx.client.taskrouter.v1.workspaces(ws).workflows.create({
      friendlyName: "Inbound calls",
      configuration: JSON.stringify({ task_routing: { default_filter: { queue: english } } }),
    });
    const { id, outs } = await impl.workflow.create({ ...declared, adopt: "restore" });
    assert.equal(id, existing.sid);
    assert.equal(outs.adopted, true);
    assert.deepEqual(outs.configuration, declared.configuration);
    assert.equal((await fx.client.taskrouter.v1.workspaces(ws).workflows.list()).length, 1);
  });

  it("names the workflow and Twilio's reason when the configuration names an unknown queue", async () => {
    const unknownQueue = "WQ" + "f".repeat(32);
    await assert.rejects(
      impl.workflow.create({ ...declared, configuration: routing(unknownQueue, everyone) }),
      message(
        'creating TaskRouter Workflow "Inbound calls": Invalid Configuration: ' +
          "task_routing.filters[0].targets[0].queue: task queue WQ… not found in workspace WS… " +
          "[code 20001, status 400]",
      ),
    );
  });

  it("reads a deleted workflow as gone and treats deleting it again as success", async () => {
    const { id, outs } = await impl.workflow.create(declared);
    await deleteReadDelete(fx, impl.workflow, id, outs, "/v1/Workspaces/WS…/Workflows/WW…");
  });
});
