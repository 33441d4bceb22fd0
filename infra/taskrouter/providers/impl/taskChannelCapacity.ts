import type { WorkerChannelInstance } from "twilio/lib/rest/taskrouter/v1/workspace/worker/workerChannel";
import type { TaskChannelCapacityInputs, TaskChannelCapacityOutputs } from "../taskChannelCapacity";
import { attempt, Checker, containsUnknown, diffProps, type CheckFailure } from "./common";
import { log, twilioClient } from "./state";
import { isNotFound } from "../../twilioClient";

/** A worker channel's capacity when never set (Twilio's WorkerChannel example: configured_capacity 1). */
export const DEFAULT_CAPACITY = 1;

const label = (worker: string) => `TaskRouter Worker ${JSON.stringify(worker)} channel capacities`;

const workerChannels = (inputs: { workspaceSid: string; workerSid: string }) =>
  twilioClient().taskrouter.v1.workspaces(inputs.workspaceSid).workers(inputs.workerSid)
    .workerChannels;

/** The worker's channels by task channel unique name. */
async function channelsByName(inputs: TaskChannelCapacityInputs) {
  const list: WorkerChannelInstance[] = await workerChannels(inputs).list();
  return new Map(list.map((c) => [c.taskChannelUniqueName, c]));
}

export async function check(_olds: unknown, news: Record<string, unknown>) {
  const c = new Checker(news);
  c.sid("workspaceSid", "WS");
  c.sid("workerSid", "WK");
  const caps = news.capacities;
  if (!containsUnknown(caps)) {
    if (!caps || typeof caps !== "object" || Array.isArray(caps)) {
      c.fail(
        "capacities",
        `must be a map of channel unique name to capacity, got ${JSON.stringify(caps)}`,
      );
    } else {
      for (const [key, value] of Object.entries(caps)) {
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
          c.fail("capacities", `${key}: must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
        }
      }
    }
  }
  return {
    inputs: news as unknown as TaskChannelCapacityInputs,
    failures: c.failures as CheckFailure[],
  };
}

export async function diff(
  _id: string,
  olds: TaskChannelCapacityOutputs,
  news: TaskChannelCapacityInputs,
) {
  return diffProps(olds, news, {
    compare: { workspaceSid: true, workerSid: true, capacities: true },
    replaces: ["workspaceSid", "workerSid"],
  });
}

/** Sets each declared capacity; a channel the worker does not have is a clear error. */
async function apply(inputs: TaskChannelCapacityInputs, capacities: Record<string, number>) {
  const name = label(inputs.workerName);
  const byName = await attempt("reading", name, () => channelsByName(inputs));
  for (const [key, capacity] of Object.entries(capacities)) {
    const channel = byName.get(key);
    if (!channel) {
      throw new Error(`setting ${name}: the workspace has no task channel ${JSON.stringify(key)}`);
    }
    if (channel.configuredCapacity === capacity) continue;
    await attempt("setting", name, () => workerChannels(inputs)(channel.sid).update({ capacity }));
  }
}

export async function create(inputs: TaskChannelCapacityInputs) {
  await apply(inputs, inputs.capacities);
  return { id: inputs.workerSid, outs: { ...inputs } as TaskChannelCapacityOutputs };
}

export async function read(id: string, props: TaskChannelCapacityOutputs) {
  let byName;
  try {
    byName = await channelsByName(props);
  } catch (err) {
    if (isNotFound(err)) return { id: "" };
    throw err;
  }
  const capacities: Record<string, number> = {};
  for (const key of Object.keys(props.capacities)) {
    const channel = byName.get(key);
    if (channel) capacities[key] = channel.configuredCapacity;
  }
  const live = { ...props, capacities };
  const { accountSid: _drop, ...inputs } = live;
  void _drop;
  return { id, props: live, inputs };
}

/** Channels dropped from the declaration go back to Twilio's capacity of 1. */
export async function update(
  _id: string,
  olds: TaskChannelCapacityOutputs,
  news: TaskChannelCapacityInputs,
) {
  const dropped = Object.keys(olds.capacities).filter((k) => !(k in news.capacities));
  await apply(news, {
    ...Object.fromEntries(dropped.map((k) => [k, DEFAULT_CAPACITY])),
    ...news.capacities,
  });
  return { outs: { ...news } as TaskChannelCapacityOutputs };
}

/** Puts the declared channels back to Twilio's capacity of 1; a worker already gone has none. */
async function remove(_id: string, props: TaskChannelCapacityOutputs) {
  const reset = Object.fromEntries(Object.keys(props.capacities).map((k) => [k, DEFAULT_CAPACITY]));
  try {
    await apply(props, reset);
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause ?? err;
    if (!isNotFound(cause)) throw err;
    log(`${label(props.workerName)}: the worker is gone; nothing to put back`);
  }
}
export { remove as delete };
