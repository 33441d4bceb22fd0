import { strict as assert } from "node:assert";
import { inQueue } from "../../infra/taskrouter/routing";
import { Store, type WorkerRec } from "../state/store";
import { VIRTUAL_EPOCH, VirtualClock } from "./clock";
import { ACTIVE_RESERVATION } from "./context";
import { freeMembers, freeWorkers, isMember, makeView } from "./assignment";
import { Engine } from "./engine";

/** Deterministic draws (mulberry32), so a failure replays. */
function draws(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)],
  };
}

const EXPRESSIONS = [
  "skills HAS 'a'",
  "skills HAS 'b'",
  "level > 1",
  "1==1",
  "activity_name == 'Available'",
  "friendly_name CONTAINS '1'",
  "level IN [0, 2] OR skills HAS 'c'",
];

describe("worker index (each queue's idle members, in creation order)", () => {
  it("answers what a full scan of every worker answers, through attribute, activity, name, TargetWorkers, queue, worker and reservation changes", async () => {
    const clock = new VirtualClock(VIRTUAL_EPOCH);
    const store = new Store({ accountSid: "AC" + "0".repeat(32), numbers: [] });
    const engine = new Engine(store, {
      clock,
      authToken: "t",
      deliver: async () => ({ status: 200, headers: {}, body: "" }),
    });
    const d = draws(16);
    const workspaces = [0, 1].map(
      (n) => store.createWorkspace({ friendlyName: `ws${n}`, multiTaskEnabled: n === 1 }).sid,
    );
    const activitiesOf = (ws: string) =>
      [...store.activities.values()].filter((a) => a.workspaceSid === ws);
    const attributes = () =>
      JSON.stringify({ skills: ["a", "b", "c"].filter(() => d.int(2) === 0), level: d.int(4) });
    let names = 0;
    const ops: Array<() => void> = [
      () => {
        const ws = d.pick(workspaces);
        store.createWorker(ws, {
          friendlyName: `w${names++}`,
          activitySid: d.pick(activitiesOf(ws)).sid,
          attributes: attributes(),
        });
      },
      () =>
        store.createTaskQueue(d.pick(workspaces), {
          friendlyName: `q${names++}`,
          targetWorkers: d.pick(EXPRESSIONS),
        }),
      () => {
        const w = d.pick([...store.workers.values()]);
        if (w) store.updateWorker(w.workspaceSid, w.sid, { attributes: attributes() });
      },
      () => {
        const w = d.pick([...store.workers.values()]);
        if (w)
          store.updateWorker(w.workspaceSid, w.sid, {
            activitySid: d.pick(activitiesOf(w.workspaceSid)).sid,
          });
      },
      () => {
        const w = d.pick([...store.workers.values()]);
        if (w) store.updateWorker(w.workspaceSid, w.sid, { friendlyName: `w${names++}` });
      },
      () => {
        const q = d.pick([...store.taskQueues.values()]);
        if (q) store.updateTaskQueue(q.workspaceSid, q.sid, { targetWorkers: d.pick(EXPRESSIONS) });
      },
      () => {
        const w = d.pick([...store.workers.values()]);
        if (w && !busy(w)) store.deleteWorker(w.workspaceSid, w.sid);
      },
      () => {
        const q = d.pick([...store.taskQueues.values()]);
        if (q) store.createTask(q.workspaceSid, { taskQueueSid: q.sid });
      },
      () => {
        const r = d.pick(
          [...store.reservations.values()].filter((x) => x.reservationStatus === "pending"),
        );
        if (r) store.setReservationStatus(r, d.pick(["accepted", "rejected"] as const));
      },
    ];
    const busy = (w: WorkerRec) =>
      [...store.reservations.values()].some(
        (r) => r.workerSid === w.sid && ACTIVE_RESERVATION.has(r.reservationStatus),
      );
    // The naive reference: every worker, in creation order, tested from scratch.
    const idleNaive = (w: WorkerRec) =>
      !!store.activities.get(w.activitySid)?.available &&
      (!!store.workspaces.get(w.workspaceSid)?.multiTaskEnabled || !busy(w));
    let checkedMembers = 0;
    for (let step = 0; step < 600; step++) {
      d.pick(ops)();
      if (step % 3 === 0) await clock.settle();
      for (const ws of store.workspaces.values()) {
        const workers = [...store.workers.values()].filter((w) => w.workspaceSid === ws.sid);
        const idle = workers.filter(idleNaive);
        assert.deepEqual(
          freeWorkers(engine, ws).map((w) => w.sid),
          idle.map((w) => w.sid),
          `step ${step}`,
        );
        for (const q of store.taskQueues.values()) {
          if (q.workspaceSid !== ws.sid) continue;
          const member = (w: WorkerRec) => inQueue(q.targetWorkers, makeView(engine, w));
          const expected = idle.filter(member).map((w) => w.sid);
          assert.deepEqual(
            freeMembers(engine, q).map((w) => w.sid),
            expected,
            `step ${step}, ${q.friendlyName}`,
          );
          for (const w of workers) assert.equal(isMember(engine, w, q), member(w), `step ${step}`);
          checkedMembers += expected.length;
        }
      }
    }
    engine.stop();
    // The run exercised the index: idle queue members were there to be compared.
    assert.ok(checkedMembers > 1000, String(checkedMembers));
    assert.ok(store.reservations.size > 0);
  });
});
