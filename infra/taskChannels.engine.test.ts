// Task channels and per-worker channel capacity under the real Pulumi engine: a stack that declares
// `channels:` and workers' `channels:` is deployed by `up`, the local Twilio then holds exactly the
// declaration, a preview of the same file changes nothing, and a capacity edit previews as that one
// update and applies it. One stack through the steps, starting as a copy of the deployed
// stacks/local.yaml (tools/engineTest.ts).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { parse, stringify } from "yaml";
import type { Emulator, TwilioClient } from "../emulator";
import { admin } from "../emulator/testing";
import type { StackSpec } from "./taskrouter/model";
import {
  cleanUpEngineTests,
  engineWorkDir,
  fromLocalBaseline,
  recordedWrites,
} from "../tools/engineTest";
import { PlanLog, REPO_ROOT } from "../tools/localStack";

const P = "contact-centre-";

describe("task channels and worker channel capacity (real engine)", function () {
  this.timeout(180_000);
  let emu: Emulator;
  let client: TwilioClient;
  let stack: Stack;
  let spec: StackSpec;
  let routingFile: string;
  let ws: string;

  before(async function () {
    this.timeout(45 * 60_000); // a first build compiles the CLI from Go modules
    spec = parse(fs.readFileSync(path.join(REPO_ROOT, "stacks", "local.yaml"), "utf8"));
    ({ emu, client, stack } = await fromLocalBaseline());
    ws = (await client.taskrouter.v1.workspaces.list())[0]!.sid;
    // The user's edit: multitasking, a custom email channel, chat routed to the worker idle longest,
    // Alice on 3 chats and 1 call at once, Shyam on 2 emails.
    spec.workspace.multitasking = true;
    spec.channels = {
      email: { friendlyName: "Email", channelOptimizedRouting: false },
      chat: { friendlyName: "Chat", channelOptimizedRouting: true },
    };
    spec.workers.Alice.channels = { chat: 3, voice: 1 };
    spec.workers.Shyam.channels = { email: 2 };
    routingFile = path.join(engineWorkDir("channels-test"), "routing.yaml");
    fs.writeFileSync(routingFile, stringify(spec));
    await stack.setConfig("contact-centre:routingFile", { value: routingFile });
  });
  after(cleanUpEngineTests);

  const writes = () => recordedWrites(emu);

  /** The workspace's task channels: unique name → [friendly name, channel_optimized_routing]. */
  async function taskChannels(): Promise<Record<string, [string, boolean]>> {
    const list = await client.taskrouter.v1.workspaces(ws).taskChannels.list();
    return Object.fromEntries(
      list.map((c) => [c.uniqueName, [c.friendlyName, c.channelOptimizedRouting]]),
    );
  }

  /** A worker's configured capacity per task channel unique name. */
  async function capacities(worker: string): Promise<Record<string, number>> {
    const [w] = await client.taskrouter.v1.workspaces(ws).workers.list({ friendlyName: worker });
    const list = await client.taskrouter.v1.workspaces(ws).workers(w!.sid).workerChannels.list();
    return Object.fromEntries(list.map((c) => [c.taskChannelUniqueName, c.configuredCapacity]));
  }

  it("up creates the declared channels and capacities, and the local Twilio holds exactly them", async () => {
    const up = new PlanLog();
    await stack.up({ onEvent: up.onEvent });
    // The seeded chat channel is taken over by name (the provider's create), not made again.
    assert.deepEqual(up.changes(), [
      `create ${P}channel-chat`,
      `create ${P}channel-email`,
      `create ${P}worker-channels-alice`,
      `create ${P}worker-channels-shyam`,
      `update ${P}workspace [multiTaskEnabled]`,
    ]);
    assert.equal((await client.taskrouter.v1.workspaces(ws).fetch()).multiTaskEnabled, true);
    assert.deepEqual(await taskChannels(), {
      default: ["Default", false],
      voice: ["Voice", false],
      chat: ["Chat", true],
      sms: ["SMS", false],
      video: ["Video", false],
      email: ["Email", false],
    });
    const one = { default: 1, voice: 1, chat: 1, sms: 1, video: 1, email: 1 };
    assert.deepEqual(await capacities("Alice"), { ...one, chat: 3 });
    assert.deepEqual(await capacities("Shyam"), { ...one, email: 2 });
    assert.deepEqual(await capacities("Priya"), one);
  });

  it("a preview of the same file changes nothing", async () => {
    const preview = new PlanLog();
    await admin(emu, "DELETE", "/requests");
    await stack.preview({ onEvent: preview.onEvent, diff: true });
    assert.deepEqual(preview.changes(), []);
    assert.deepEqual(await writes(), []);
  });

  it("a capacity edit previews as exactly that update, and the up writes only that channel", async () => {
    spec.workers.Alice.channels = { chat: 2, voice: 1 };
    fs.writeFileSync(routingFile, stringify(spec));
    const preview = new PlanLog();
    await admin(emu, "DELETE", "/requests");
    await stack.preview({ onEvent: preview.onEvent, diff: true });
    assert.deepEqual(preview.changes(), [`update ${P}worker-channels-alice [capacities.chat]`]);
    assert.deepEqual(await writes(), [], "a preview writes nothing");

    const up = new PlanLog();
    await stack.up({ onEvent: up.onEvent });
    assert.deepEqual(up.changes(), preview.changes());
    const [alice] = await client.taskrouter.v1
      .workspaces(ws)
      .workers.list({ friendlyName: "Alice" });
    const chat = await client.taskrouter.v1
      .workspaces(ws)
      .workers(alice!.sid)
      .workerChannels("chat")
      .fetch();
    assert.deepEqual(await writes(), [`POST /v1/Workspaces/WS…/Workers/WK…/Channels/${chat.sid}`]);
    const one = { default: 1, voice: 1, chat: 1, sms: 1, video: 1, email: 1 };
    assert.deepEqual(await capacities("Alice"), { ...one, chat: 2 });

    const after = new PlanLog();
    await stack.preview({ onEvent: after.onEvent });
    assert.deepEqual(after.changes(), []);
  });

  it("a channel's channelOptimizedRouting edit previews as exactly that update and applies", async () => {
    spec.channels!.chat.channelOptimizedRouting = false;
    fs.writeFileSync(routingFile, stringify(spec));
    const preview = new PlanLog();
    await admin(emu, "DELETE", "/requests");
    await stack.preview({ onEvent: preview.onEvent, diff: true });
    assert.deepEqual(preview.changes(), [`update ${P}channel-chat [channelOptimizedRouting]`]);
    const up = new PlanLog();
    await stack.up({ onEvent: up.onEvent });
    assert.deepEqual(up.changes(), preview.changes());
    const chat = await client.taskrouter.v1.workspaces(ws).taskChannels("chat").fetch();
    assert.deepEqual(await writes(), [`POST /v1/Workspaces/WS…/TaskChannels/${chat.sid}`]);
    assert.deepEqual((await taskChannels()).chat, ["Chat", false]);
  });
});
