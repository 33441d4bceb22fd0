// `npm start` under the real engine: the local Twilio, the engine, the demo call (the refusals that
// start nothing are start.test.ts).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { twilioClientFor } from "../../emulator";
import { createEmulator, DEV_ACCOUNT_SID, DEV_AUTH_TOKEN } from "../../emulator";
import { LOCAL_DIR, REPO_ROOT } from "../localStack";
import { startLocal, startPaths, type PreviewResult, type StartResult } from "./start";

describe("npm start", function () {
  // Each run: the engine (several processes) and two demo calls on the real clock (about 22 s).
  this.timeout(180_000);

  describe("a local Twilio that already has a workspace of the same name", () => {
    let dir: string;
    let foreignSid: string;
    let refusal: Error;
    let adoptOutput = "";
    let releaseOutput = "";

    before(async function () {
      this.timeout(45 * 60_000); // may build the CLI first (CI builds it before the tests)
      fs.mkdirSync(LOCAL_DIR, { recursive: true });
      dir = fs.mkdtempSync(path.join(LOCAL_DIR, "start-foreign-"));
      const emu = await createEmulator({
        port: 0,
        accountSid: DEV_ACCOUNT_SID,
        authToken: DEV_AUTH_TOKEN,
        numbers: ["+15555550100"],
        statePath: startPaths(dir).emulatorState,
      });
      try {
        const client = twilioClientFor(emu.url, DEV_ACCOUNT_SID, DEV_AUTH_TOKEN);
        foreignSid = (
          await client.taskrouter.v1.workspaces.create({
            friendlyName: "Contact Centre (local)",
            // Twilio's default for a new workspace is multitasking, which cannot be turned off.
            multiTaskEnabled: false,
          })
        ).sid;
      } finally {
        await emu.close();
      }
      refusal = await startLocal({
        dir,
        out: { write: () => true },
        routingFile: path.join(REPO_ROOT, "stacks/local.yaml"),
        preview: true,
      }).then(
        () => assert.fail("the preview took over a workspace the stack did not create"),
        (err: Error) => err,
      );
      const adopting = path.join(dir, "adopt.yaml");
      const spec = parse(fs.readFileSync(path.join(REPO_ROOT, "stacks/local.yaml"), "utf8"));
      fs.writeFileSync(adopting, stringify({ ...spec, adopt: { objects: ["all"] } }));
      await startLocal({
        dir,
        out: { write: (text: string) => (adoptOutput += text) },
        routingFile: adopting,
      });
      // Then an adopted activity leaves the stack file: the object stays (restored), not deleted.
      delete spec.activities.Unavailable;
      fs.writeFileSync(adopting, stringify({ ...spec, adopt: { objects: ["all"] } }));
      await startLocal({
        dir,
        out: { write: (text: string) => (releaseOutput += text) },
        routingFile: adopting,
      });
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("--preview shows the refusal itself: the object, its SID and how to adopt it", () => {
      assert.match(
        refusal.message,
        new RegExp(
          `^pulumi preview failed:\\n[^]*TaskRouter Workspace "Contact Centre \\(local\\)" already ` +
            `exists \\(${foreignSid}\\) and this stack did not create it; nothing was changed\\. To ` +
            `manage it, add "adopt: \\{ objects: \\[workspace\\] \\}"`,
        ),
      );
    });

    it("the up with adopt: says which objects it adopted, not only created", () => {
      assert.match(adoptOutput, /^Stack local: 16 created \(4 adopted\), 0 unchanged$/m);
      assert.match(
        adoptOutput,
        new RegExp(`^ {2}adopted +Workspace +contact-centre-workspace +${foreignSid}$`, "m"),
      );
      assert.match(adoptOutput, /^ {2}created +Activity +contact-centre-activity-wrap-up +WA/m);
    });

    it("an adopted object removed from the stack file is reported as released (left in place), not deleted", () => {
      assert.match(releaseOutput, /^Stack local: 1 deleted, 15 unchanged$/m);
      assert.match(
        releaseOutput,
        /^ {2}released +Activity +contact-centre-activity-unavailable +WA[0-9a-f]{32}$/m,
      );
    });
  });

  describe("run twice in a fresh directory", () => {
    let dir: string;
    const runs: { result: StartResult; output: string }[] = [];
    let preview: { result: PreviewResult; output: string };
    let applied: StartResult;
    let variant: string;
    const committed = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.local.yaml"), "utf8");

    before(async function () {
      this.timeout(45 * 60_000); // may build the CLI first (CI builds it before the tests)
      fs.mkdirSync(LOCAL_DIR, { recursive: true });
      dir = fs.mkdtempSync(path.join(LOCAL_DIR, "start-test-"));
      for (let i = 0; i < 2; i++) {
        let output = "";
        const result = await startLocal({
          dir,
          out: { write: (text: string) => (output += text) },
        });
        runs.push({ result, output });
      }
      // Then another stack file: previewed (nothing applied), then applied with --routing.
      const spec = parse(fs.readFileSync(path.join(REPO_ROOT, "stacks/local.yaml"), "utf8"));
      spec.workspace.queueOrder = "LIFO";
      variant = path.join(dir, "lifo.yaml");
      fs.writeFileSync(variant, stringify(spec));
      let output = "";
      const out = { write: (text: string) => (output += text) };
      preview = {
        result: await startLocal({ dir, out, routingFile: variant, preview: true }),
        output,
      };
      applied = await startLocal({ dir, out: { write: () => true }, routingFile: variant });
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const demoCalls = {
      demoCall: { outcome: "bridged", assignedWorker: "Shyam", bridgedTo: "client:shyam" },
      outOfHoursCall: {
        outcome: "hung-up",
        voicemailTask: {
          queue: "Everyone",
          assignedWorker: "Alice",
          reservationStatus: "accepted",
        },
      },
    };

    it("creates the stack on the first run, routes the open-hours call to Shyam and the out-of-hours voicemail to Alice", () => {
      assert.deepEqual(runs[0].result, {
        stack: "local",
        changes: { create: 16, update: 0, replace: 0, delete: 0, same: 0 },
        ...demoCalls,
      });
      const output = runs[0].output;
      assert.match(output, /^Stack local: 16 created, 0 unchanged$/m);
      assert.match(
        output,
        /^Call CA[0-9a-f]{32} from \+15555550123 to \+15555550100, started 2026-12-07T15:00:00Z$/m,
      );
      assert.match(
        output,
        /^Outcome: bridged; queue Hindi; worker Shyam; bridged to client:shyam$/m,
      );
      // The Sunday call: the closed message, the exits menu, voicemail, the task for Alice.
      assert.match(
        output,
        /^Call CA[0-9a-f]{32} from \+15555550124 to \+15555550100, started 2026-12-06T15:00:00Z$/m,
      );
      assert.match(output, / say +text=Sorry, we are closed right now\. /);
      assert.match(output, / say +text=To leave a voicemail, press 1\.$/m);
      assert.match(output, / digits +digits=1 /);
      assert.match(
        output,
        / record\.ended +recordingSid=RE[0-9a-f]{32} endedBy=key duration=3 digits=#$/m,
      );
      assert.match(
        output,
        /^Voicemail task WT[0-9a-f]{32}: queue Everyone; worker Alice \(reservation accepted\)$/m,
      );
      assert.doesNotMatch(output, /^webhook host: /m);
    });

    it("shows no changes on the second run and places both demo calls again", () => {
      assert.deepEqual(runs[1].result, {
        stack: "local",
        changes: { create: 0, update: 0, replace: 0, delete: 0, same: 16 },
        ...demoCalls,
      });
      assert.match(runs[1].output, /^Stack local: no changes \(16 unchanged\)$/m);
      assert.match(
        runs[1].output,
        /^Shyam finishes Wrap-Up from the previous demo call: now Available\.$/m,
      );
      assert.match(
        runs[1].output,
        /^Alice completes the voicemail task from the previous demo run\.$/m,
      );
    });

    it("previews another stack file with per-operation counts and each resource's operation, applying nothing", () => {
      const { result, output } = preview;
      assert.deepEqual(result.counts, {
        same: 14,
        update: 1,
        replace: 0,
        create: 0,
        delete: 0,
        adopt: 0,
      });
      // The ContactCentre component and its 14 Twilio objects (the stack itself is not listed).
      assert.equal(result.resources.length, 15);
      assert.deepEqual(
        result.resources.filter((r) => r.op !== "same"),
        [
          {
            name: "contact-centre-workspace",
            type: "Workspace",
            op: "update",
            fields: ["prioritizeQueueOrder"],
          },
        ],
      );
      assert.match(
        output,
        /^ {2}update +Workspace +contact-centre-workspace +prioritizeQueueOrder$/m,
      );
      // Nothing was applied: the up that follows still has that one update to make.
      assert.deepEqual(applied, {
        stack: "local",
        changes: { create: 0, update: 1, replace: 0, delete: 0, same: 15 },
      });
    });

    it("keeps its files in its own directory and never rewrites the committed Pulumi.local.yaml", () => {
      const paths = startPaths(dir);
      for (const file of [paths.emulatorState, paths.ports, paths.projectDir, paths.stateDir]) {
        assert.equal(fs.existsSync(file), true, file);
      }
      assert.equal(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.local.yaml"), "utf8"), committed);
    });
  });
});
