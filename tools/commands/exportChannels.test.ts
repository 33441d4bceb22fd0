import { strict as assert } from "node:assert";
import { useEmulator } from "../../emulator/testing";
import { compareWithLive, toStack } from "../../infra/taskrouter/exportWorkspace";
import { checkStackText } from "../../infra/taskrouter/loadStack";
import { STACK_YAML } from "../../infra/taskrouter/testFixtures";
import { readWorkspace } from "./export";
import { deploy } from "../testDeploy";

const stackWith = (multitasking: boolean) =>
  STACK_YAML.replace(
    "workspace: { friendlyName: WS }",
    `workspace: { friendlyName: WS, multitasking: ${multitasking} }`,
  )
    // Twilio seeds Unavailable too: declared, so the live workspace matches the stack in full.
    .replace(
      "  Available: { available: true }\n",
      "  Available: { available: true }\n  Unavailable: { available: false }\n",
    )
    .replace(
      "workers:\n",
      "channels:\n  email: { friendlyName: Email, channelOptimizedRouting: true }\n  chat: { friendlyName: Web chat }\nworkers:\n",
    )
    .replace(
      '    attributes: { languages: [english], contact_uri: "client:alice" }\n',
      '    attributes: { languages: [english], contact_uri: "client:alice" }\n    channels: { chat: 3, email: 2 }\n',
    );

describe("routing:export: task channels and worker channel capacities", () => {
  const fx = useEmulator();
  afterEach(() => fx.emu.reset());

  it("exports custom channels, changed seeded ones and capacities other than 1, and they match the live workspace", async () => {
    const { spec, problems } = checkStackText("s.yaml", stackWith(true));
    assert.deepEqual(problems, []);
    assert.ok(spec);
    const live = await readWorkspace(fx.client, await deploy(fx.client, spec));
    const { stack } = toStack(live, { liveActivities: true });
    assert.deepEqual(stack.channels, {
      chat: { friendlyName: "Web chat" },
      email: { friendlyName: "Email", channelOptimizedRouting: true },
    });
    assert.deepEqual(stack.workers.Alice.channels, { chat: 3, email: 2 });
    assert.equal(stack.workers.Shyam.channels, undefined);
    assert.deepEqual(compareWithLive(spec, live), []);
    // A capacity changed in Twilio shows as a difference.
    const alice = live.workers.find((w) => w.friendlyName === "Alice")!;
    alice.channels = alice.channels!.map((c) =>
      c.uniqueName === "chat" ? { ...c, capacity: 1 } : c,
    );
    assert.deepEqual(compareWithLive(spec, live), [
      'worker "Alice" channel chat capacity: declared 3, live 1',
    ]);
  });

  it("leaves capacities out of a single-tasking workspace's export with a note", async () => {
    const { spec } = checkStackText("s.yaml", stackWith(true));
    assert.ok(spec);
    const sid = await deploy(fx.client, {
      ...spec,
      workspace: { ...spec.workspace, multitasking: false },
    });
    const { stack, notes } = toStack(await readWorkspace(fx.client, sid));
    assert.equal(stack.workers.Alice.channels, undefined);
    assert.ok(
      notes.includes(
        "workers.*.channels: not written for Alice: channel capacities count only in a multitasking workspace, and this one is single-tasking",
      ),
      notes.join("\n"),
    );
  });
});
