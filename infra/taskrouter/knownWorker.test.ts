// A stack file's known-worker target (workflow target `knownWorker`): loaded, validated with
// file:line, built into Twilio's known_worker_sid / known_worker_friendly_name, shown in the diff.
import assert from "node:assert/strict";
import { checkStackText } from "./loadStack";
import { diffRouting } from "./routingDiff";
import { editStackYaml } from "./testFixtures";
import { buildWorkflowConfiguration } from "./workflowConfig";

const withKnown = (value: string) =>
  checkStackText(
    "s.yaml",
    editStackYaml(
      "        - queue: english\n",
      `        - queue: english\n          knownWorker: ${value}\n`,
    ),
  );

describe("stack file: knownWorker targets", () => {
  it("loads { sid: task.<attribute> } and { friendlyName: ... } and builds Twilio's keys", () => {
    const bySid = withKnown("{ sid: task.last_agent_sid }");
    const byName = withKnown("{ friendlyName: task.requested_agent }");
    assert.deepEqual([bySid.problems, byName.problems], [[], []]);
    const sids = { english: "WQenglish", hindi: "WQhindi" };
    const target = (spec: typeof bySid.spec) =>
      buildWorkflowConfiguration(spec!, sids).task_routing.filters[0].targets[1];
    assert.deepEqual(target(bySid.spec), {
      queue: "WQenglish",
      known_worker_sid: "task.last_agent_sid",
    });
    assert.deepEqual(target(byName.spec), {
      queue: "WQenglish",
      known_worker_friendly_name: "task.requested_agent",
    });
  });

  it("names the file, line, path and reason for a bad knownWorker", () => {
    const at = { severity: "error", path: "workflow.filters[0].targets[1].knownWorker" };
    const where = { file: "s.yaml", line: 32, column: 11 };
    assert.deepEqual(withKnown("{ sid: Bala, friendlyName: Bala }").problems, [
      { ...at, message: "needs exactly one of sid or friendlyName", ...where },
    ]);
    assert.deepEqual(withKnown("{ sid: Bala }").problems, [
      { ...at, message: 'sid "Bala" is neither task.<attribute> nor a Worker SID (WK…)', ...where },
    ]);
    assert.deepEqual(withKnown("{ friendlyName: task.2x }").problems, [
      { ...at, message: '"task.2x" is not task.<attribute>', ...where },
    ]);
  });

  it("shows an added known worker in the routing diff and the callers' routes", () => {
    const base = checkStackText("s.yaml", editStackYaml("x", "x")).spec!;
    const head = withKnown("{ sid: task.last_agent_sid }").spec!;
    const diff = diffRouting(base, head);
    assert.deepEqual(diff.targets, [
      {
        kind: "changed",
        subject: "Hindi",
        target: "english",
        field: "knownWorker",
        before: undefined,
        after: { sid: "task.last_agent_sid" },
      },
    ]);
    assert.equal(
      diff.callers[0].after,
      "Hindi: hindi (60 s) → english (only the worker with sid task.last_agent_sid)",
    );
  });
});
