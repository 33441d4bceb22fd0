// "Nothing half-built" under the real Pulumi engine: stack files that once made `pulumi up` fail
// after writes had reached Twilio (or deploy a workflow the routing engine could not run) are now
// refused by validation, which the program runs before it registers any resource. One emulator, one
// generated project, a stack per case; each asserts the exact reason and that Twilio saw no write.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { Emulator } from "../emulator";
import type { StackSpec } from "./taskrouter/model";
import { REPO_ROOT } from "../tools/localStack";
import {
  cleanUpEngineTests,
  engineCli,
  engineWorkDir,
  localStackOn,
  testEmulator,
} from "../tools/engineTest";

const LOCAL_YAML = path.join(REPO_ROOT, "stacks", "local.yaml");

describe("stacks that used to half-build are refused before the first write (real engine)", function () {
  this.timeout(120_000);

  let work: string;
  let emu: Emulator;
  let serial = 0;

  before(async function () {
    this.timeout(45 * 60_000); // a first build compiles the CLI from Go modules
    await engineCli();
    work = engineWorkDir("refused-test");
    emu = await testEmulator();
  });
  after(cleanUpEngineTests);

  /** stacks/local.yaml edited by `edit`, written to a temporary file; returns its path. */
  function variant(edit: (spec: StackSpec) => void): string {
    const spec = parse(fs.readFileSync(LOCAL_YAML, "utf8")) as StackSpec;
    edit(spec);
    const file = path.join(work, `variant-${serial + 1}.yaml`);
    fs.writeFileSync(file, stringify(spec));
    return file;
  }

  /** `pulumi up` of `routingFile` on a new stack: the error it fails with, and the writes Twilio saw. */
  async function upRefused(routingFile: string): Promise<{ message: string; writes: string[] }> {
    serial += 1;
    const { stack } = await localStackOn(emu, {
      work,
      stackName: `refused-${serial}`,
      routingFile,
    });
    emu.records.length = 0;
    const error = await stack.up().then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    assert.ok(error, "the up succeeded");
    const writes = emu.records
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path}`);
    return { message: error.message, writes };
  }

  const cases: { name: string; edit: (spec: StackSpec) => void; reason: string }[] = [
    {
      name: "two worker names that become the same resource name",
      edit: (s) => {
        s.workers["Ann Marie"] = { ...s.workers.Alice, activity: "Offline" };
        s.workers["Ann-Marie"] = { ...s.workers.Alice, activity: "Offline" };
      },
      reason:
        'workers["Ann-Marie"]: worker "Ann-Marie" and "Ann Marie" both become the Pulumi resource ' +
        'name "<centre>-worker-ann-marie" (case and punctuation are dropped); rename one',
    },
    {
      name: "no available activity",
      edit: (s) => Object.values(s.activities).forEach((a) => (a.available = false)),
      reason:
        "activities: no activity is available (available: true), so no worker could ever take a task",
    },
    {
      name: "an activity named Available declared unavailable",
      edit: (s) => (s.activities.Available = { available: false }),
      reason:
        'activities.Available.available: Twilio creates "Available" in every new workspace with ' +
        "available: true, adopts it by name and cannot change its availability; declare " +
        "available: true or use another name",
    },
    {
      name: "an order_by the routing engine cannot read",
      edit: (s) =>
        (s.workflow.filters![0].targets[0].orderBy = "worker.level SIDEWAYS; DROP TABLE"),
      reason:
        'workflow.filters[0].targets[0].orderBy: order_by "worker.level SIDEWAYS; DROP TABLE": ' +
        'cannot read "worker.level SIDEWAYS; DROP TABLE" (expected worker.<attribute> [ASC|DESC], ' +
        "comma-separated)",
    },
  ];
  // One file with every case: validation reports all of them, so one engine run covers them all.
  it(`refuses ${cases.map((c) => c.name).join("; ")}: every reason, no stack trace, no write`, async () => {
    const file = variant((spec) => cases.forEach((c) => c.edit(spec)));
    const { message, writes } = await upRefused(file);
    for (const { reason } of cases) {
      assert.ok(message.includes(reason), `no ${JSON.stringify(reason)} in:\n${message}`);
    }
    assert.ok(message.includes(`${file}:`), `the message does not name ${file}`);
    assert.doesNotMatch(message, /^\s+at .+:\d+:\d+\)?$/m);
    assert.deepEqual(writes, []);
  });
});
