// Table tests of each policy's pure logic (rules.ts), both sides of every bound, and of the
// per-stack settings (settings.ts). The engine tests (index.engine.test.ts) prove the wiring.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { loadStack } from "../infra/taskrouter/loadStack";
import type { ContactCentreSpec } from "../infra/taskrouter/model";
import { stackSpec } from "../infra/taskrouter/testFixtures";
import * as rules from "./rules";
import { DEFAULT_BOUNDS } from "./rules";
import { parsePolicySettings, POLICY_NAMES } from "./settings";

const REPO = path.resolve(__dirname, "..");

function spec(edit: (s: ContactCentreSpec) => void = () => {}): ContactCentreSpec {
  const s = stackSpec("stacks/x.yaml");
  edit(s);
  return s;
}

describe("policy rules", () => {
  describe("queues-reachable", () => {
    it("passes when every queue is a filter target or the default target", () => {
      assert.deepEqual(rules.unreachableQueues(spec()), []);
    });
    it("names a queue no filter target and no default target routes to", () => {
      const s = spec((s) => {
        s.queues.french = { ...s.queues.english, friendlyName: "French" };
      });
      assert.deepEqual(rules.unreachableQueues(s), [
        'stacks/x.yaml queues.french: queue "french" ("French") is not reachable: no filter target and not the default target routes to it',
      ]);
    });
    it("counts a queue reached only by the default target as reachable", () => {
      const s = spec((s) => {
        s.workflow.filters[0].targets = [{ queue: "hindi", timeout: 60 }];
      });
      assert.deepEqual(rules.unreachableQueues(s), []);
    });
  });

  describe("routes-end-at-a-worker", () => {
    it("passes when the last queue of each route admits a declared worker, even an offline one", () => {
      const s = spec((s) => {
        s.workers.Alice.activity = "Offline";
      });
      assert.deepEqual(rules.routesWithoutWorkers(s), []);
    });
    it("names the filter whose last queue admits no declared worker", () => {
      const s = spec((s) => {
        s.workflow.filters[0].targets = [{ queue: "english", timeout: 60 }, { queue: "hindi" }];
        delete s.workers.Shyam;
      });
      assert.deepEqual(rules.routesWithoutWorkers(s), [
        'stacks/x.yaml workflow.filters[0].targets[1]: filter "Hindi" ends at queue "hindi", whose targetWorkers "languages HAS \\"hindi\\"" admits no declared worker',
      ]);
    });
    it("names the default target when its queue admits nobody", () => {
      const s = spec((s) => {
        s.queues.english.targetWorkers = 'languages HAS "french"';
      });
      assert.deepEqual(rules.routesWithoutWorkers(s), [
        'stacks/x.yaml workflow.filters[0].targets[1]: filter "Hindi" ends at queue "english", whose targetWorkers "languages HAS \\"french\\"" admits no declared worker',
        'stacks/x.yaml workflow.defaultTarget: the default target ends at queue "english", whose targetWorkers "languages HAS \\"french\\"" admits no declared worker',
      ]);
    });
  });

  describe("no-caller-waits-forever", () => {
    const DEFAULT_WAITS =
      'stacks/x.yaml workflow.defaultTarget: tasks no filter matches wait in queue "english", and the default target never times out; end the filters with a catch-all filter (expression 1==1) whose last target has a timeout, or declare workflow.allowWaitingForever: true';
    it("names a filter whose last target has no timeout, and a reachable default target", () => {
      assert.deepEqual(rules.endlessWaits(spec()), [
        'stacks/x.yaml workflow.filters[0].targets[1]: filter "Hindi" ends at queue "english" without a timeout, so a caller can wait there until the task\'s TTL; add a timeout, or declare workflow.allowWaitingForever: true',
        DEFAULT_WAITS,
      ]);
    });
    it("passes when every filter ends in a timeout and a catch-all filter leaves the default target unused", () => {
      const s = spec((s) => {
        s.workflow.filters[0].targets[1].timeout = 120;
        s.workflow.filters.push({
          name: "Everyone else",
          expression: "1==1",
          targets: [{ queue: "english", timeout: 300 }],
        });
      });
      assert.deepEqual(rules.endlessWaits(s), []);
    });
    it("does not take a filter reading task attributes for a catch-all", () => {
      const s = spec((s) => {
        s.workflow.filters[0].targets[1].timeout = 120;
      });
      assert.deepEqual(rules.endlessWaits(s), [DEFAULT_WAITS]);
    });
    it("passes when every line offers an exit at a maximum wait, not when one line has none", () => {
      const withExits = spec((s) => {
        s.lines = { main: { ...s.phone, maxWait: 300, whenNobodyAnswers: ["callback"] } };
      });
      assert.deepEqual(rules.endlessWaits(withExits), []);
      const noExit = spec((s) => {
        s.lines = { main: { ...s.phone, maxWait: 300, whenNobodyAnswers: [] } };
      });
      assert.equal(rules.endlessWaits(noExit).length, 2);
      const noMaxWait = spec((s) => {
        s.lines = { main: { ...s.phone, whenNobodyAnswers: ["voicemail"] } };
      });
      assert.equal(rules.endlessWaits(noMaxWait).length, 2);
    });
    it("accepts anything when the stack declares allowWaitingForever: true, not when false", () => {
      assert.deepEqual(
        rules.endlessWaits(spec((s) => (s.workflow.allowWaitingForever = true))),
        [],
      );
      assert.equal(
        rules.endlessWaits(spec((s) => (s.workflow.allowWaitingForever = false))).length,
        2,
      );
    });
  });

  describe("routing-bounds", () => {
    const bounds = DEFAULT_BOUNDS;
    const cases: [string, (s: ContactCentreSpec, v: number) => void, number, number, string][] = [
      [
        "reservation timeout",
        (s, v) => (s.workflow.reservationTimeout = v),
        bounds.reservationTimeout.min,
        bounds.reservationTimeout.max,
        'stacks/x.yaml workflow.reservationTimeout: workflow "Routing"\'s reservation timeout',
      ],
      [
        "target timeout",
        (s, v) => (s.workflow.filters[0].targets[0].timeout = v),
        bounds.targetTimeout.min,
        bounds.targetTimeout.max,
        'stacks/x.yaml workflow.filters[0].targets[0].timeout: filter "Hindi" target 1 (queue "hindi") timeout',
      ],
      [
        "priority",
        (s, v) => (s.workflow.filters[0].targets[1].priority = v),
        bounds.priority.min,
        bounds.priority.max,
        'stacks/x.yaml workflow.filters[0].targets[1].priority: filter "Hindi" target 2 (queue "english") priority',
      ],
    ];
    for (const [what, set, min, max, prefix] of cases) {
      it(`${what}: ${min} and ${max} pass, ${min - 1} and ${max + 1} are named`, () => {
        const at = (v: number) =>
          rules.outOfBounds(
            spec((s) => set(s, v)),
            bounds,
          );
        assert.deepEqual(at(min), []);
        assert.deepEqual(at(max), []);
        assert.deepEqual(at(min - 1), [
          `${prefix} ${min - 1} is outside ${min}..${max} (the routing-bounds policy's bounds)`,
        ]);
        assert.deepEqual(at(max + 1), [
          `${prefix} ${max + 1} is outside ${min}..${max} (the routing-bounds policy's bounds)`,
        ]);
      });
    }
    it("uses the stack's bounds", () => {
      const s = spec((s) => (s.workflow.reservationTimeout = 600));
      assert.equal(rules.outOfBounds(s, bounds).length, 1);
      assert.deepEqual(
        rules.outOfBounds(s, { ...bounds, reservationTimeout: { min: 10, max: 600 } }),
        [],
      );
    });
  });

  describe("worker-contact-uri", () => {
    for (const uri of ["client:alice", "+15555550111", "sip:alice@example.com"]) {
      it(`accepts ${uri}`, () => {
        const s = spec((s) => (s.workers.Alice.attributes.contact_uri = uri));
        assert.deepEqual(rules.undialableWorkers(s), []);
      });
    }
    it("names a worker without a contact_uri and one with an undialable one", () => {
      const s = spec((s) => {
        delete s.workers.Alice.attributes.contact_uri;
        s.workers.Shyam.attributes.contact_uri = "shyam";
      });
      assert.deepEqual(rules.undialableWorkers(s), [
        'stacks/x.yaml workers.Shyam.attributes.contact_uri: worker "Shyam": contact_uri "shyam" is not an E.164 number, client:<identity> or sip:<uri>, so a dequeue cannot dial it',
        'stacks/x.yaml workers.Alice.attributes.contact_uri: worker "Alice": contact_uri undefined is not an E.164 number, client:<identity> or sip:<uri>, so a dequeue cannot dial it',
      ]);
    });
  });

  describe("ivr-options-routed", () => {
    it("passes when every option and the no-input default match a filter", () => {
      const s = spec((s) => {
        s.phone.ivr.options = { "2": s.phone.ivr.options["2"] };
        s.phone.ivr.defaultAttributes = { lang: "hindi" };
      });
      assert.deepEqual(rules.unroutedIvrOptions(s), []);
    });
    it("names an option and the no-input default that no filter matches", () => {
      // The fixture routes only Hindi by a filter; English (option 1) and {} fall to the default.
      assert.deepEqual(rules.unroutedIvrOptions(spec()), [
        'stacks/x.yaml phone.ivr.options["1"]: option "1" ("English") matches no workflow filter, so its callers go to the default target (queue "english")',
        'stacks/x.yaml phone.ivr.defaultAttributes: a caller who presses nothing matches no workflow filter and goes to the default target (queue "english")',
      ]);
    });
  });

  describe("the shipped stacks", () => {
    const stacks = fs
      .readdirSync(path.join(REPO, "stacks"))
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    it("are the four we ship", () => {
      assert.deepEqual(stacks, ["dev.yaml", "local.yaml", "prod.yaml", "staging.yaml"]);
    });
    for (const file of stacks) {
      it(`stacks/${file} passes every routing policy with the default bounds`, () => {
        const { spec } = loadStack(path.join(REPO, "stacks", file));
        assert.deepEqual(
          [
            ...rules.unreachableQueues(spec),
            ...rules.routesWithoutWorkers(spec),
            ...rules.endlessWaits(spec),
            ...rules.outOfBounds(spec, DEFAULT_BOUNDS),
            ...rules.undialableWorkers(spec),
            ...rules.unroutedIvrOptions(spec),
          ],
          [],
        );
      });
    }
  });

  describe("AWS resources", () => {
    const env = (variables: Record<string, string>) => ({
      runtime: "nodejs22.x",
      environment: { variables },
    });
    const SSM_ONLY = { TWILIO_AUTH_TOKEN_PARAMETER: "/contact-centre/prod/twilio-auth-token" };

    it("lambda-runtime-supported: the configured runtimes pass, others are named", () => {
      for (const runtime of DEFAULT_BOUNDS.lambdaRuntimes) {
        assert.deepEqual(rules.unsupportedRuntime("f", { runtime }, DEFAULT_BOUNDS, "prod"), []);
      }
      assert.deepEqual(
        rules.unsupportedRuntime(
          "handlers-events",
          { runtime: "nodejs18.x" },
          DEFAULT_BOUNDS,
          "prod",
        ),
        [
          'Lambda function "handlers-events" uses runtime "nodejs18.x", not one of nodejs22.x, nodejs24.x; set contact-centre:lambdaRuntime in Pulumi.prod.yaml',
        ],
      );
    });

    it("log-retention-set: unset is named; both sides of each retention bound", () => {
      const { min, max } = DEFAULT_BOUNDS.logRetentionDays;
      const check = (retentionInDays?: number) =>
        rules.badLogRetention("logs", { retentionInDays }, DEFAULT_BOUNDS, "dev");
      assert.deepEqual(check(min), []);
      assert.deepEqual(check(max), []);
      assert.deepEqual(check(undefined), [
        'log group "logs" has no retention, so its logs are kept forever; set contact-centre:logRetentionDays in Pulumi.dev.yaml',
      ]);
      assert.deepEqual(check(min - 2), [
        `log group "logs" keeps logs ${min - 2} days, outside ${min}..${max}; set contact-centre:logRetentionDays in Pulumi.dev.yaml`,
      ]);
      assert.deepEqual(check(max + 1), [
        `log group "logs" keeps logs ${max + 1} days, outside ${min}..${max}; set contact-centre:logRetentionDays in Pulumi.dev.yaml`,
      ]);
    });

    it("auth-token-only-in-ssm: the parameter's name passes; the token itself or no parameter is named", () => {
      assert.deepEqual(rules.tokenOutsideSsm("f", env(SSM_ONLY)), []);
      assert.deepEqual(rules.tokenOutsideSsm("f", env({ ...SSM_ONLY, TWILIO_AUTH_TOKEN: "x" })), [
        'Lambda function "f" has TWILIO_AUTH_TOKEN in its environment; the auth token belongs in SSM (TWILIO_AUTH_TOKEN_PARAMETER)',
      ]);
      assert.deepEqual(rules.tokenOutsideSsm("f", env({})), [
        'Lambda function "f" has no TWILIO_AUTH_TOKEN_PARAMETER, so it cannot read the auth token from SSM',
      ]);
      assert.deepEqual(rules.plainTokenParameter("token", { type: "SecureString" }), []);
      assert.deepEqual(rules.plainTokenParameter("token", { type: "String" }), [
        'SSM parameter "token" has type "String"; the auth token must be a SecureString',
      ]);
    });

    it("signature-validation-on: on or unset passes; off is named outside local only", () => {
      assert.deepEqual(rules.signatureValidationOff("f", env({}), "prod"), []);
      assert.deepEqual(
        rules.signatureValidationOff("f", env({ TWILIO_SIGNATURE_VALIDATION: "on" }), "prod"),
        [],
      );
      assert.deepEqual(
        rules.signatureValidationOff("f", env({ TWILIO_SIGNATURE_VALIDATION: "off" }), "local"),
        [],
      );
      assert.deepEqual(
        rules.signatureValidationOff("f", env({ TWILIO_SIGNATURE_VALIDATION: "off" }), "prod"),
        [
          'Lambda function "f" sets TWILIO_SIGNATURE_VALIDATION="off" on stack "prod"; only the local stack may skip X-Twilio-Signature validation',
        ],
      );
    });
  });
});

describe("policy settings (contact-centre:policy)", () => {
  it("defaults to every policy advisory with the default bounds", () => {
    const s = parsePolicySettings(undefined, "Pulumi.dev.yaml");
    assert.deepEqual(s.bounds, DEFAULT_BOUNDS);
    assert.deepEqual(new Set(Object.values(s.levels)), new Set(["advisory"]));
    assert.deepEqual(Object.keys(s.levels), [...POLICY_NAMES]);
  });

  it("sets every level, overrides one, and replaces one bound", () => {
    const s = parsePolicySettings(
      {
        enforcement: "mandatory",
        levels: { "routing-bounds": "advisory" },
        bounds: { priority: { min: 0, max: 10 } },
      },
      "Pulumi.prod.yaml",
    );
    assert.equal(s.levels["queues-reachable"], "mandatory");
    assert.equal(s.levels["routing-bounds"], "advisory");
    assert.deepEqual(s.bounds, { ...DEFAULT_BOUNDS, priority: { min: 0, max: 10 } });
  });

  it("refuses an unknown level, an unknown policy and min > max, naming the file and key", () => {
    assert.throws(
      () => parsePolicySettings({ enforcement: "strict" }, "Pulumi.prod.yaml"),
      /^Error: Pulumi\.prod\.yaml contact-centre:policy: \/enforcement: /,
    );
    assert.throws(
      () => parsePolicySettings({ levels: { "no-such-policy": "advisory" } }, "Pulumi.dev.yaml"),
      /^Error: Pulumi\.dev\.yaml contact-centre:policy: \/levels\/no-such-policy: /,
    );
    assert.throws(
      () =>
        parsePolicySettings({ bounds: { targetTimeout: { min: 60, max: 30 } } }, "Pulumi.dev.yaml"),
      {
        message:
          "Pulumi.dev.yaml contact-centre:policy: bounds.targetTimeout: min 60 is greater than max 30",
      },
    );
  });

  it("the committed Pulumi.<stack>.yaml files: advisory in local and dev, mandatory in staging and prod", () => {
    const expected = {
      local: "advisory",
      dev: "advisory",
      staging: "mandatory",
      prod: "mandatory",
    };
    for (const [stack, level] of Object.entries(expected)) {
      const file = `Pulumi.${stack}.yaml`;
      const { config } = parse(fs.readFileSync(path.join(REPO, file), "utf8")) as {
        config: Record<string, unknown>;
      };
      const s = parsePolicySettings(config["contact-centre:policy"], file);
      assert.deepEqual(new Set(Object.values(s.levels)), new Set([level]), file);
    }
  });
});
