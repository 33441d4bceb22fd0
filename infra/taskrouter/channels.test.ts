// Task channels and per-worker channel capacity in the stack file: loaded with defaults, validated
// with file:line problems.
import assert from "node:assert/strict";
import { checkStackText, formatProblem } from "./loadStack";
import { planCentre } from "./plan";
import { diffRouting } from "./routingDiff";
import { renderDiffMarkdown } from "./routingDiffMarkdown";
import { STACK_YAML } from "./testFixtures";

const MULTI = STACK_YAML.replace(
  "workspace: { friendlyName: WS }",
  "workspace: { friendlyName: WS, multitasking: true }",
);
const withChannels = (text: string, channels: string, aliceChannels: string): string =>
  text
    .replace("workers:\n", `channels:\n${channels}workers:\n`)
    .replace(
      '    attributes: { languages: [english], contact_uri: "client:alice" }\n',
      `    attributes: { languages: [english], contact_uri: "client:alice" }\n${aliceChannels}`,
    );

describe("stack file: channels", () => {
  it("loads custom and seeded channels with their defaults, and a worker's capacities", () => {
    const text = withChannels(
      MULTI,
      "  email: { friendlyName: Email, channelOptimizedRouting: true }\n  chat: {}\n  fax: {}\n",
      "    channels: { chat: 3, voice: 1, email: 2 }\n",
    );
    const { problems, spec } = checkStackText("s.yaml", text);
    assert.deepEqual(problems, []);
    assert.ok(spec);
    assert.deepEqual(spec.channels, {
      email: { friendlyName: "Email", channelOptimizedRouting: true },
      chat: { friendlyName: "Chat", channelOptimizedRouting: false },
      fax: { friendlyName: "fax", channelOptimizedRouting: false },
    });
    assert.deepEqual(spec.workers.Alice.channels, { chat: 3, voice: 1, email: 2 });
    assert.equal(spec.workers.Shyam.channels, undefined);
  });

  it("leaves channels out of a stack that declares none", () => {
    const { spec } = checkStackText("s.yaml", STACK_YAML);
    assert.ok(spec);
    assert.equal("channels" in spec, false);
  });

  it("names the file, line, path and reason of each channel problem", () => {
    const text = withChannels(
      MULTI,
      "  email: { friendlyName: E-mail }\n  web-chat: {}\n",
      "    channels: { chat: 3, emial: 1, voice: -1 }\n",
    );
    const { problems } = checkStackText("s.yaml", text);
    assert.deepEqual(problems.map(formatProblem), [
      's.yaml:11:3 error channels["web-chat"]: key "web-chat" must match pattern "^[A-Za-z][A-Za-z0-9_]*$"',
      "s.yaml:19:43 error workers.Alice.channels.voice: must be >= 0 (got -1)",
    ]);
    const semantic = checkStackText(
      "s.yaml",
      withChannels(
        MULTI,
        "  email: { friendlyName: E-mail }\n",
        "    channels: { chat: 3, emial: 1 }\n",
      ),
    );
    assert.deepEqual(semantic.problems.map(formatProblem), [
      's.yaml:10:26 error channels.email.friendlyName: task channel name "E-mail" contains a hyphen, which Twilio does not support',
      's.yaml:18:33 error workers.Alice.channels.emial: unknown task channel "emial" (known: chat, default, email, sms, video, voice)',
    ]);
  });

  it("refuses capacities in a single-tasking workspace", () => {
    const text = withChannels(STACK_YAML, "  email: {}\n", "    channels: { chat: 3 }\n");
    const { problems } = checkStackText("s.yaml", text);
    assert.deepEqual(problems.map(formatProblem), [
      "s.yaml:18:5 error workers.Alice.channels: channel capacities need workspace.multitasking: true (a single-tasking worker takes one task at a time)",
    ]);
  });
});

describe("planCentre: channels", () => {
  it("plans the declared channels in stack-file order and each worker's capacities", () => {
    const text = withChannels(
      MULTI,
      "  email: { friendlyName: Email, channelOptimizedRouting: true }\n  chat: {}\n",
      "    channels: { chat: 3, voice: 1 }\n",
    );
    const { spec } = checkStackText("s.yaml", text);
    assert.ok(spec);
    const plan = planCentre(spec);
    assert.deepEqual(plan.channels, [
      { uniqueName: "email", friendlyName: "Email", channelOptimizedRouting: true },
      { uniqueName: "chat", friendlyName: "Chat", channelOptimizedRouting: false },
    ]);
    assert.deepEqual(
      plan.workers.map((w) => [w.friendlyName, w.channels]),
      [
        ["Shyam", undefined],
        ["Alice", { chat: 3, voice: 1 }],
      ],
    );
  });
});

describe("routing diff: channels", () => {
  it("shows added and changed channels and a worker's capacity changes, in data and Markdown", () => {
    const load = (channels: string, alice: string) => {
      const { spec, problems } = checkStackText("s.yaml", withChannels(MULTI, channels, alice));
      assert.deepEqual(problems, []);
      return spec!;
    };
    const base = load("  chat: {}\n", "    channels: { chat: 2 }\n");
    const head = load(
      "  chat: { channelOptimizedRouting: true }\n  email: { friendlyName: Email }\n",
      "    channels: { chat: 3, voice: 1 }\n",
    );
    const diff = diffRouting(base, head);
    assert.deepEqual(diff.channels, [
      {
        kind: "changed",
        subject: "chat",
        field: "channelOptimizedRouting",
        before: false,
        after: true,
      },
      {
        kind: "added",
        subject: "email",
        after: { friendlyName: "Email", channelOptimizedRouting: false },
      },
    ]);
    assert.deepEqual(diff.workers, [
      { kind: "changed", subject: "Alice", field: "channels.chat", before: 2, after: 3 },
      { kind: "changed", subject: "Alice", field: "channels.voice", before: undefined, after: 1 },
    ]);
    const markdown = renderDiffMarkdown(diff);
    assert.ok(
      markdown.includes(
        [
          "### Task channels",
          "",
          "| channel | change | before | after |",
          "|---|---|---|---|",
          "| chat | channelOptimizedRouting | `false` | `true` |",
          '| email | added | — | `{"friendlyName":"Email","channelOptimizedRouting":false}` |',
        ].join("\n"),
      ),
      markdown,
    );
    assert.deepEqual(diffRouting(base, base).channels, []);
  });
});
