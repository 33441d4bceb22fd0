import assert from "node:assert/strict";
import { loadStack } from "./loadStack";
import type { ContactCentreSpec } from "./model";
import { buildWorkflowConfiguration, canonicalWorkflowJson } from "./workflowConfig";

const SIDS = {
  english: "WQ00000000000000000000000000000001",
  hindi: "WQ00000000000000000000000000000002",
  everyone: "WQ00000000000000000000000000000003",
};

describe("buildWorkflowConfiguration", () => {
  it("builds dev's task_routing document exactly", () => {
    const { spec } = loadStack("stacks/dev.yaml");
    assert.equal(
      canonicalWorkflowJson(buildWorkflowConfiguration(spec, SIDS)),
      '{"task_routing":{"filters":[' +
        '{"filter_friendly_name":"English","expression":"selected_language == \\"english\\"","targets":[' +
        '{"queue":"WQ00000000000000000000000000000001","timeout":30},{"queue":"WQ00000000000000000000000000000003"}]},' +
        '{"filter_friendly_name":"Hindi","expression":"selected_language == \\"hindi\\"","targets":[' +
        '{"queue":"WQ00000000000000000000000000000002","timeout":30},{"queue":"WQ00000000000000000000000000000003"}]}],' +
        '"default_filter":{"queue":"WQ00000000000000000000000000000003"}}}',
    );
  });

  it("writes every target option in Twilio's names and a fixed order", () => {
    const workflow: ContactCentreSpec["workflow"] = {
      friendlyName: "W",
      reservationTimeout: 120,
      filters: [
        {
          name: "VIP",
          expression: "vip == true",
          targets: [
            {
              skipIf: "workers.available == 0",
              orderBy: "worker.level DESC",
              timeout: 10,
              priority: 5,
              expression: "worker.level > 2",
              queue: "english",
            },
          ],
        },
      ],
      defaultTarget: { queue: "everyone" },
    };
    assert.equal(
      JSON.stringify(buildWorkflowConfiguration({ workflow }, SIDS)),
      '{"task_routing":{"filters":[{"filter_friendly_name":"VIP","expression":"vip == true","targets":[' +
        '{"queue":"WQ00000000000000000000000000000001","expression":"worker.level > 2","priority":5,"timeout":10,' +
        '"order_by":"worker.level DESC","skip_if":"workers.available == 0"}]}],' +
        '"default_filter":{"queue":"WQ00000000000000000000000000000003"}}}',
    );
  });

  it("keeps an empty filter list when there are no filters", () => {
    const workflow = {
      friendlyName: "W",
      reservationTimeout: 120,
      filters: [],
      defaultTarget: { queue: "hindi" },
    };
    assert.deepEqual(buildWorkflowConfiguration({ workflow }, SIDS), {
      task_routing: {
        filters: [],
        default_filter: { queue: "WQ00000000000000000000000000000002" },
      },
    });
  });

  it("throws naming the queue and where it is used when a SID is missing", () => {
    const { spec } = loadStack("stacks/dev.yaml");
    const { hindi: _hindi, ...withoutHindi } = SIDS;
    assert.throws(() => buildWorkflowConfiguration(spec, withoutHindi), {
      message: 'no queue SID for queue "hindi" (workflow.filters[1].targets[0].queue)',
    });
  });

  it("treats an undefined SID as missing", () => {
    const { spec } = loadStack("stacks/dev.yaml");
    const sids = { ...SIDS, everyone: undefined } as unknown as Record<string, string>;
    assert.throws(() => buildWorkflowConfiguration(spec, sids), {
      message: 'no queue SID for queue "everyone" (workflow.filters[0].targets[1].queue)',
    });
  });

  it("does not take an inherited property for a SID", () => {
    const workflow = {
      friendlyName: "W",
      reservationTimeout: 120,
      filters: [],
      defaultTarget: { queue: "constructor" },
    };
    assert.throws(() => buildWorkflowConfiguration({ workflow }, SIDS), {
      message: 'no queue SID for queue "constructor" (workflow.defaultTarget.queue)',
    });
  });
});

describe("canonicalWorkflowJson", () => {
  it("orders keys canonically and puts unmodelled keys after, sorted", () => {
    const fromTwilio = {
      task_routing: {
        default_filter: { queue: "WQ3" },
        filters: [
          {
            targets: [
              { timeout: 5, queue: "WQ1", known_worker_sid: "task.agent", zeta: 1, alpha: 2 },
            ],
            expression: "1==1",
            filter_friendly_name: "F",
          },
        ],
      },
    };
    assert.equal(
      canonicalWorkflowJson(fromTwilio),
      '{"task_routing":{"filters":[{"filter_friendly_name":"F","expression":"1==1","targets":' +
        '[{"queue":"WQ1","timeout":5,"known_worker_sid":"task.agent","alpha":2,"zeta":1}]}],' +
        '"default_filter":{"queue":"WQ3"}}}',
    );
  });

  it("gives equal strings for the same document written in different key orders", () => {
    const a = { task_routing: { filters: [], default_filter: { queue: "WQ1" } } };
    const b = { task_routing: { default_filter: { queue: "WQ1" }, filters: [] } };
    assert.equal(canonicalWorkflowJson(a), canonicalWorkflowJson(b));
  });
});
