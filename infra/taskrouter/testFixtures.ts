// Test support: one small valid centre, as a stack file and as the spec it resolves to, for the
// loader, validation and routing-diff tests. Tests edit copies, so the fixture stays valid.
import { resolveCallFlow } from "./loadStack";
import type { ContactCentreSpec } from "./model";

/**
 * Two queues, a Hindi filter that overflows to English, one worker per language, a two-option IVR.
 * Defaults are left out so the loader fills them in; line positions are asserted by loadStack.test.
 */
export const STACK_YAML = `workspace: { friendlyName: WS }
activities:
  Offline: { available: false }
  Available: { available: true }
  Wrap-Up: { available: false }
defaultActivity: Offline
timeoutActivity: Offline
postWorkActivity: Wrap-Up
workers:
  Shyam:
    activity: Available
    attributes: { languages: [hindi], contact_uri: "client:shyam" }
  Alice:
    activity: Available
    attributes: { languages: [english], contact_uri: "client:alice" }
queues:
  english:
    friendlyName: English
    targetWorkers: languages HAS "english"
  hindi:
    friendlyName: Hindi
    targetWorkers: languages HAS "hindi"
workflow:
  friendlyName: Routing
  filters:
    - name: Hindi
      expression: lang == "hindi"
      targets:
        - queue: hindi
          timeout: 60
        - queue: english
  defaultTarget: { queue: english }
phone:
  number: "+15555550100"
  ivr:
    greeting: Hello
    options:
      "1": { label: English, attributes: { lang: english } }
      "2": { label: Hindi, attributes: { lang: hindi } }
`;

/** {@link STACK_YAML} with `from` replaced by `to`; fails if the fixture no longer has `from`. */
export function editStackYaml(from: string, to: string): string {
  if (!STACK_YAML.includes(from))
    throw new Error(`the fixture stack has no ${JSON.stringify(from)}`);
  return STACK_YAML.replace(from, to);
}

/** {@link STACK_YAML} as the loader resolves it, every default filled in; a fresh copy each call. */
export function stackSpec(source = "stack.yaml"): ContactCentreSpec {
  return {
    source,
    workspace: { friendlyName: "WS", multitasking: false, queueOrder: "FIFO", events: true },
    activities: {
      Offline: { available: false },
      Available: { available: true },
      "Wrap-Up": { available: false },
    },
    defaultActivity: "Offline",
    timeoutActivity: "Offline",
    postWorkActivity: "Wrap-Up",
    workers: {
      Shyam: {
        activity: "Available",
        attributes: { languages: ["hindi"], contact_uri: "client:shyam" },
      },
      Alice: {
        activity: "Available",
        attributes: { languages: ["english"], contact_uri: "client:alice" },
      },
    },
    queues: {
      english: {
        friendlyName: "English",
        targetWorkers: 'languages HAS "english"',
        taskOrder: "FIFO",
        maxReservedWorkers: 1,
      },
      hindi: {
        friendlyName: "Hindi",
        targetWorkers: 'languages HAS "hindi"',
        taskOrder: "FIFO",
        maxReservedWorkers: 1,
      },
    },
    workflow: {
      friendlyName: "Routing",
      reservationTimeout: 120,
      filters: [
        {
          name: "Hindi",
          expression: 'lang == "hindi"',
          targets: [{ queue: "hindi", timeout: 60 }, { queue: "english" }],
        },
      ],
      defaultTarget: { queue: "english" },
    },
    ...resolveCallFlow({
      phone: {
        number: "+15555550100",
        ivr: {
          greeting: "Hello",
          voice: "Polly.Joanna",
          language: "en-US",
          options: {
            "1": { label: "English", attributes: { lang: "english" } },
            "2": { label: "Hindi", attributes: { lang: "hindi" } },
          },
          defaultAttributes: {},
        },
      },
    }),
  };
}
