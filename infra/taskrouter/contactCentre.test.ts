import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { ContactCentreArgs } from "./contactCentre";
import type { ContactCentreSpec } from "./model";
import { mockSid } from "./twilioMocks";
import { serializedProviders } from "./providers";

type Module = typeof import("./contactCentre");

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Names of the resources it depends on (explicit and through inputs), sorted. */
  dependsOn: string[];
  parent: string;
  protect: boolean;
}

const T = (type: string) => `pulumi-nodejs:dynamic/twilio-taskrouter:${type}`;
const urlBase = "https://api.example.com";

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("ContactCentre (mocked)", () => {
  let mod: Module;
  let spec: ContactCentreSpec;
  const registrations: Registration[] = [];
  const pending: Promise<unknown>[] = [];

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          const type = a.type.split(":").pop() as string;
          const sid = mockSid(type, a.name);
          // As its provider: WorkspaceActivities' id is its workspace's SID.
          const id = type === "WorkspaceActivities" ? a.inputs.workspaceSid : sid;
          return { id: id ?? `${a.name}-id`, state: { ...a.inputs, ...(sid && { sid }) } };
        },
        call: (a) => a.inputs,
      },
      "contact-centre",
      "dev",
      false,
    );
    // The mocks API does not show dependencies: record them from the monitor's requests.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(req: RegisterRequest, cb: (err: unknown, res: unknown) => void): void;
    };
    const register = monitor.registerResource.bind(monitor);
    const nameOf = (urn: string) => urn.split("::").pop() as string;
    monitor.registerResource = (req, cb) => {
      pending.push(
        new Promise((resolve) =>
          register(req, (err, res) => {
            registrations.push({
              type: req.getType(),
              name: req.getName(),
              inputs: pulumi.runtime.deserializeProperties(req.getObject()),
              dependsOn: req.getDependenciesList().map(nameOf).sort(),
              parent: nameOf(req.getParent()),
              protect: req.getProtect() === true,
            });
            cb(err, res);
            resolve(undefined);
          }),
        ),
      );
    };
    mod = await import("./contactCentre");
    const { loadStack } = await import("./loadStack");
    spec = loadStack("stacks/dev.yaml").spec;
  });

  /** Builds the component and waits until every child is registered. */
  async function build(args: Partial<ContactCentreArgs> = {}) {
    registrations.length = 0;
    pending.length = 0;
    const centre = new mod.ContactCentre("contact-centre", {
      spec,
      assignmentCallbackUrl: `${urlBase}/assignment`,
      eventCallbackUrl: `${urlBase}/events`,
      voiceUrl: `${urlBase}/incoming-call`,
      ...args,
    });
    await value(pulumi.all([centre.workflowSid, centre.workerSids, centre.phoneNumberSid]));
    for (let seen = -1; seen !== pending.length;) {
      seen = pending.length;
      await Promise.all(pending);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return centre;
  }

  const byName = (name: string) => {
    const r = registrations.find((x) => x.name === name);
    assert.ok(r, `no resource named ${name}`);
    return r;
  };
  const inputsOf = (name: string) => {
    const { __provider, ...rest } = byName(name).inputs;
    assert.equal(typeof __provider, "string");
    return rest;
  };

  it("creates exactly these resources from stacks/dev.yaml, named from the component and the keys", async () => {
    await build();
    assert.deepEqual(
      registrations.map((r) => [r.type, r.name]).sort((a, b) => a[1].localeCompare(b[1])),
      [
        ["contact-centre:taskrouter:ContactCentre", "contact-centre"],
        [T("Activity"), "contact-centre-activity-available"],
        [T("Activity"), "contact-centre-activity-offline"],
        [T("Activity"), "contact-centre-activity-unavailable"],
        [T("Activity"), "contact-centre-activity-wrap-up"],
        [T("PhoneNumberVoiceUrl"), "contact-centre-phone-number-15555550100"],
        [T("PhoneNumberVoiceUrl"), "contact-centre-phone-number-15555550101"],
        [T("TaskQueue"), "contact-centre-queue-english"],
        [T("TaskQueue"), "contact-centre-queue-everyone"],
        [T("TaskQueue"), "contact-centre-queue-hindi"],
        [T("Worker"), "contact-centre-worker-alice"],
        [T("Worker"), "contact-centre-worker-priya"],
        [T("Worker"), "contact-centre-worker-shyam"],
        [T("Workflow"), "contact-centre-workflow"],
        [T("Workspace"), "contact-centre-workspace"],
        [T("WorkspaceActivities"), "contact-centre-workspace-activities"],
      ],
    );
    for (const r of registrations.filter((x) => x.name !== "contact-centre")) {
      assert.equal(r.parent, "contact-centre", `${r.name} is a child of the component`);
    }
  });

  it("passes the routing definition's settings and the callback URLs as inputs", async () => {
    await build();
    const ws = mockSid("Workspace", "contact-centre-workspace");
    const activity = (name: string) => mockSid("Activity", `contact-centre-activity-${name}`);
    const queue = (key: string) => mockSid("TaskQueue", `contact-centre-queue-${key}`);
    assert.deepEqual(inputsOf("contact-centre-workspace"), {
      friendlyName: "Contact Centre (dev)",
      multiTaskEnabled: false,
      prioritizeQueueOrder: "FIFO",
      eventCallbackUrl: `${urlBase}/events`,
    });
    assert.deepEqual(inputsOf("contact-centre-activity-wrap-up"), {
      workspaceSid: ws,
      friendlyName: "Wrap-Up",
      available: false,
    });
    assert.deepEqual(inputsOf("contact-centre-workspace-activities"), {
      workspaceSid: ws,
      defaultActivitySid: activity("offline"),
      timeoutActivitySid: activity("offline"),
      // Logical names next to SIDs, so `pulumi preview --diff` names the activities.
      defaultActivity: "Offline",
      timeoutActivity: "Offline",
    });
    assert.deepEqual(inputsOf("contact-centre-worker-shyam"), {
      workspaceSid: ws,
      friendlyName: "Shyam",
      // By name: the provider finds its SID (no dependency on the Activity resource).
      activity: "Available",
      attributes: { languages: ["hindi", "english"], contact_uri: "client:shyam" },
    });
    assert.deepEqual(inputsOf("contact-centre-queue-hindi"), {
      workspaceSid: ws,
      friendlyName: "Hindi",
      targetWorkers: 'languages HAS "hindi"',
      taskOrder: "FIFO",
      maxReservedWorkers: 1,
    });
    assert.deepEqual(inputsOf("contact-centre-workflow"), {
      workspaceSid: ws,
      friendlyName: "Language routing",
      assignmentCallbackUrl: `${urlBase}/assignment`,
      taskReservationTimeout: 30,
      queues: { english: queue("english"), everyone: queue("everyone"), hindi: queue("hindi") },
      queueNames: { english: "English", everyone: "Everyone", hindi: "Hindi" },
      // Queues by key: the provider's check puts in the SIDs from `queues`.
      configuration: {
        task_routing: {
          filters: [
            {
              filter_friendly_name: "English",
              expression: 'selected_language == "english"',
              targets: [{ queue: "english", timeout: 30 }, { queue: "everyone" }],
            },
            {
              filter_friendly_name: "Hindi",
              expression: 'selected_language == "hindi"',
              targets: [{ queue: "hindi", timeout: 30 }, { queue: "everyone" }],
            },
          ],
          default_filter: { queue: "everyone" },
        },
      },
    });
    assert.deepEqual(inputsOf("contact-centre-phone-number-15555550100"), {
      phoneNumber: "+15555550100",
      voiceUrl: `${urlBase}/incoming-call`,
      voiceMethod: "POST",
    });
  });

  it("protects every Twilio object with protect, and none without", async () => {
    await build({ protect: true });
    const twilio = registrations.filter((r) => r.type.startsWith(T("")));
    assert.equal(twilio.length, 15); // dev.yaml: 4 activities, 3 queues, 3 workers, 2 numbers, …
    assert.deepEqual(
      twilio.filter((r) => !r.protect).map((r) => r.name),
      [],
    );
    await build();
    assert.deepEqual(
      registrations.filter((r) => r.protect).map((r) => r.name),
      [],
    );
  });

  it("lets exactly the kinds the stack file's adopt: names adopt, with what destroy does", async () => {
    await build({
      spec: { ...spec, adopt: { kinds: ["queues", "workflow"], onDestroy: "delete" } },
    });
    const adopting = registrations
      .filter((r) => r.inputs.adopt !== undefined)
      .map((r) => [r.name, r.inputs.adopt]);
    assert.deepEqual(adopting.sort(), [
      ["contact-centre-queue-english", "delete"],
      ["contact-centre-queue-everyone", "delete"],
      ["contact-centre-queue-hindi", "delete"],
      ["contact-centre-workflow", "delete"],
    ]);
  });

  it("makes every dependency Twilio's delete order needs explicit", async () => {
    await build();
    const activities = [
      "contact-centre-activity-available",
      "contact-centre-activity-offline",
      "contact-centre-activity-unavailable",
      "contact-centre-activity-wrap-up",
    ];
    const queues = [
      "contact-centre-queue-english",
      "contact-centre-queue-everyone",
      "contact-centre-queue-hindi",
    ];
    const deps = Object.fromEntries(registrations.map((r) => [r.name, r.dependsOn]));
    assert.deepEqual(deps["contact-centre-workspace"], []);
    for (const a of activities) assert.deepEqual(deps[a], ["contact-centre-workspace"]);
    assert.deepEqual(deps["contact-centre-workspace-activities"], [
      ...activities,
      "contact-centre-workspace",
    ]);
    // A worker reaches every activity through workspace-activities (deleted before any of them),
    // and its workspace's SID too; its own activity is named. One dependency per worker.
    for (const w of ["alice", "priya", "shyam"]) {
      assert.deepEqual(deps[`contact-centre-worker-${w}`], ["contact-centre-workspace-activities"]);
    }
    for (const q of queues) assert.deepEqual(deps[q], ["contact-centre-workspace"]);
    assert.deepEqual(deps["contact-centre-workflow"], [...queues, "contact-centre-workspace"]);
    // After the workspace, so a run the workspace refuses (adoption, account guard) writes nothing.
    assert.deepEqual(deps["contact-centre-phone-number-15555550100"], ["contact-centre-workspace"]);
  });

  it("outputs SIDs by logical name, the Wrap-Up activity included", async () => {
    const centre = await build();
    assert.equal(
      await value(centre.workspaceSid),
      mockSid("Workspace", "contact-centre-workspace"),
    );
    assert.equal(await value(centre.workflowSid), mockSid("Workflow", "contact-centre-workflow"));
    assert.deepEqual(await value(centre.activitySids), {
      Offline: mockSid("Activity", "contact-centre-activity-offline"),
      Available: mockSid("Activity", "contact-centre-activity-available"),
      Unavailable: mockSid("Activity", "contact-centre-activity-unavailable"),
      "Wrap-Up": mockSid("Activity", "contact-centre-activity-wrap-up"),
    });
    assert.deepEqual(await value(centre.queueSids), {
      english: mockSid("TaskQueue", "contact-centre-queue-english"),
      hindi: mockSid("TaskQueue", "contact-centre-queue-hindi"),
      everyone: mockSid("TaskQueue", "contact-centre-queue-everyone"),
    });
    assert.deepEqual(await value(centre.workerSids), {
      Shyam: mockSid("Worker", "contact-centre-worker-shyam"),
      Alice: mockSid("Worker", "contact-centre-worker-alice"),
      Priya: mockSid("Worker", "contact-centre-worker-priya"),
    });
    assert.equal(
      await value(centre.phoneNumberSid),
      mockSid("PhoneNumberVoiceUrl", "contact-centre-phone-number-15555550100"),
    );
  });

  it("points every line's number at the handlers, one resource per number", async () => {
    const saved = spec;
    const support = { ...saved.phone, number: "+15555550199" };
    spec = { ...saved, lines: { main: saved.phone, support }, linesAt: "lines" };
    try {
      const centre = await build();
      const phones = registrations.filter((r) => r.type === T("PhoneNumberVoiceUrl"));
      assert.deepEqual(
        phones.map((r) => r.name),
        ["contact-centre-phone-number-15555550100", "contact-centre-phone-number-15555550199"],
      );
      const voiceUrl = inputsOf("contact-centre-phone-number-15555550100").voiceUrl;
      assert.equal(inputsOf("contact-centre-phone-number-15555550199").voiceUrl, voiceUrl);
      assert.deepEqual(await value(centre.phoneNumberSids), {
        main: mockSid("PhoneNumberVoiceUrl", "contact-centre-phone-number-15555550100"),
        support: mockSid("PhoneNumberVoiceUrl", "contact-centre-phone-number-15555550199"),
      });
    } finally {
      spec = saved;
    }
  });

  it("leaves the phone number alone without a voice URL and the event URL off when events are off", async () => {
    const saved = spec;
    spec = { ...saved, workspace: { ...saved.workspace, events: false } };
    try {
      const centre = await build({ voiceUrl: undefined });
      assert.equal(
        registrations.some((r) => r.type === T("PhoneNumberVoiceUrl")),
        false,
      );
      assert.equal(await value(centre.phoneNumberSid), undefined);
      assert.equal(inputsOf("contact-centre-workspace").eventCallbackUrl, undefined);
    } finally {
      spec = saved;
    }
  });

  it("refuses two logical names that become the same resource name", () => {
    const clash: ContactCentreSpec = {
      ...spec,
      activities: { ...spec.activities, "Wrap Up": { available: false } },
    };
    assert.throws(() => new mod.ContactCentre("cc", { spec: clash }), {
      message:
        'stacks/dev.yaml: activity "Wrap-Up" and activity "Wrap Up" both become the resource name "cc-activity-wrap-up"; rename one',
    });
  });

  it("creates the declared task channels and each worker's channel capacities after them", async () => {
    const original = spec;
    spec = {
      ...original,
      workspace: { ...original.workspace, multitasking: true },
      channels: {
        email: { friendlyName: "Email", channelOptimizedRouting: true },
        chat: { friendlyName: "Chat", channelOptimizedRouting: false },
      },
      workers: {
        ...original.workers,
        Alice: { ...original.workers.Alice, channels: { chat: 3, email: 2 } },
      },
      adopt: { kinds: ["channels"], onDestroy: "restore" },
    };
    try {
      await build();
    } finally {
      spec = original;
    }
    const ws = mockSid("Workspace", "contact-centre-workspace");
    assert.deepEqual(inputsOf("contact-centre-channel-email"), {
      workspaceSid: ws,
      uniqueName: "email",
      friendlyName: "Email",
      channelOptimizedRouting: true,
      adopt: "restore",
    });
    assert.equal(inputsOf("contact-centre-channel-chat").uniqueName, "chat");
    assert.deepEqual(inputsOf("contact-centre-worker-channels-alice"), {
      workspaceSid: ws,
      workerSid: mockSid("Worker", "contact-centre-worker-alice"),
      workerName: "Alice",
      capacities: { chat: 3, email: 2 },
    });
    assert.deepEqual(byName("contact-centre-worker-channels-alice").dependsOn, [
      "contact-centre-channel-chat",
      "contact-centre-channel-email",
      "contact-centre-worker-alice",
      "contact-centre-workspace",
    ]);
    assert.equal(
      registrations.some((r) => r.name === "contact-centre-worker-channels-shyam"),
      false,
    );
  });

  it("stores each resource's provider as its kind's module of thin.ts, under 1 KB", async () => {
    await build();
    const dynamic = registrations.filter((x) => x.type.startsWith("pulumi-nodejs:"));
    assert.equal(dynamic.length > 0, true);
    const modules = serializedProviders();
    for (const r of dynamic) {
      const type = r.type.replace("pulumi-nodejs:dynamic/twilio-taskrouter:", "");
      assert.equal(r.inputs.__provider, modules[type], r.name);
      assert.ok(Buffer.byteLength(modules[type]) <= 1024, `${r.name}`);
    }
  });
});

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
}
