// Stale-lock clearing (tools/localStack.ts): a lock whose engine was killed is removed even before
// the killed engine is reaped; a lock of a running engine is kept.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { alive, clearStaleLocks, descendants } from "./localStack";

describe("stale stack locks", () => {
  let dir: string;
  let parent: ChildProcess;
  let zombie: number;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
    // sh starts `sleep 0` in the background, then becomes `sleep 30`, which never waits for it:
    // the finished `sleep 0` stays a zombie, as a killed engine does until its parent reaps it.
    parent = spawn("sh", ["-c", "sleep 0 & exec sleep 30"], { stdio: "ignore" });
    for (let i = 0; i < 50 && zombie === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const [child] = descendants(parent.pid as number);
      const state = child && fs.readFileSync(`/proc/${child}/stat`, "utf8").split(") ")[1]?.[0];
      if (state === "Z") zombie = child as number;
    }
    assert.ok(zombie, "no zombie process to test with");
  });
  after(() => {
    parent.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes a zombie for dead and a running process for alive", () => {
    assert.equal(alive(zombie), false);
    assert.equal(alive(parent.pid as number), true);
    assert.equal(alive(process.pid), true);
  });

  it("removes the lock of a killed, unreaped engine and keeps a running one's", () => {
    const locks = path.join(dir, ".pulumi", "locks", "organization", "project", "dev");
    fs.mkdirSync(locks, { recursive: true });
    const lock = (name: string, pid: number) => {
      const file = path.join(locks, name);
      fs.writeFileSync(file, JSON.stringify({ pid, hostname: os.hostname() }));
      return file;
    };
    const stale = lock("killed.json", zombie);
    const live = lock("running.json", parent.pid as number);
    assert.deepEqual(clearStaleLocks(dir, "dev"), [stale]);
    assert.equal(fs.existsSync(live), true);
  });
});
