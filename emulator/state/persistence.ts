// The state file: a JSON snapshot of every record, loaded at start and written atomically (temp file,
// fsync, rename, fsync of the directory) so whatever was acknowledged survives a crash.
import * as fs from "node:fs";
import * as path from "node:path";
import type { StateFile } from "./records";
import type { Store } from "./store";
import { workerChannelKey } from "./taskChannels";

export function snapshot(s: Store): StateFile {
  return {
    format: "twilio-emulator-state/1",
    accountSid: s.accountSid,
    workspaces: [...s.workspaces.values()],
    activities: [...s.activities.values()],
    taskChannels: [...s.taskChannels.values()],
    workerChannels: [...s.workerChannels.values()],
    workers: [...s.workers.values()],
    taskQueues: [...s.taskQueues.values()],
    workflows: [...s.workflows.values()],
    tasks: [...s.tasks.values()],
    reservations: [...s.reservations.values()],
    phoneNumbers: [...s.phoneNumbers.values()],
  };
}

/** Replaces the records with a snapshot's; numbers still owned keep their saved configuration. */
export function restore(s: Store, state: StateFile): void {
  if (state.format !== "twilio-emulator-state/1") {
    throw new Error(`emulator: unknown state format ${JSON.stringify(state.format)}`);
  }
  if (state.accountSid !== s.accountSid) {
    throw new Error(`emulator: state belongs to account ${state.accountSid}, not ${s.accountSid}`);
  }
  const fill = <T extends { sid: string }>(m: Map<string, T>, list: T[]) => {
    m.clear();
    for (const r of list) m.set(r.sid, r);
  };
  fill(s.workspaces, state.workspaces);
  fill(s.activities, state.activities);
  fill(s.taskChannels, state.taskChannels);
  s.workerChannels.clear();
  for (const wc of state.workerChannels ?? []) {
    s.workerChannels.set(workerChannelKey(wc.workerSid, wc.taskChannelSid), wc);
  }
  fill(s.workers, state.workers);
  fill(s.taskQueues, state.taskQueues);
  fill(s.workflows, state.workflows);
  fill(s.tasks, state.tasks);
  fill(s.reservations, state.reservations);
  s.indexReservations();
  const saved = new Map(state.phoneNumbers.map((p) => [p.sid, p]));
  for (const sid of s.phoneNumbers.keys()) {
    const old = saved.get(sid);
    if (old) s.phoneNumbers.set(sid, old);
  }
}

/** Atomic write: temp file, fsync, rename, fsync the directory. */
export function saveState(s: Store, file: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, JSON.stringify(snapshot(s)));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(path.resolve(file)), "r");
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

/** Loads the state file if it exists; false when there is none. */
export function loadState(s: Store, file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, "utf8");
  let state: StateFile;
  try {
    state = JSON.parse(text) as StateFile;
  } catch (err) {
    throw new Error(`emulator: state file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  restore(s, state);
  return true;
}
