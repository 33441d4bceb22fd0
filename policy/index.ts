// The contact centre's policy pack (CrossGuard): `pulumi preview|up --policy-pack policy`.
// What each policy checks is in rules.ts (pure, table-tested); this file only wires it into
// @pulumi/policy with the levels and bounds the stack chose (settings.ts, docs/policies.md).
//
// Routing policies check the routing definition the stack deploys (contact-centre:routingFile,
// default stacks/<stack>.yaml), loaded with the program's own loader, when the engine analyses the
// stack's root resource: it is registered before any Twilio object, so a mandatory violation stops
// `preview` and `up` before the first write, and the Twilio objects' SIDs (unknown in a first
// preview) are never needed. AWS policies check each AWS resource's properties.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  PolicyPack,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import type { ContactCentreSpec } from "../infra/taskrouter/model";
import { loadStack } from "../infra/taskrouter/loadStack";
import * as rules from "./rules";
import { parsePolicySettings, POLICY_CONFIG_KEY, type PolicyName } from "./settings";

/** Relative routing files are resolved against the repository root, as infra/index.ts does. */
const REPO_ROOT = path.resolve(__dirname, "..");
/** The type of the root resource every Pulumi program registers first. */
const STACK_TYPE = "pulumi:pulumi:Stack";

const stack = pulumi.getStack();
const config = new pulumi.Config("contact-centre");
const settings = parsePolicySettings(
  config.getObject(POLICY_CONFIG_KEY),
  rules.stackConfigFile(stack),
);
const routingFile = config.get("routingFile") || `stacks/${stack}.yaml`;

let loaded: { spec: ContactCentreSpec } | { error: string } | undefined;
/** The routing definition, loaded once per run; a load error is reported by every routing policy. */
function routing(): { spec: ContactCentreSpec } | { error: string } {
  if (loaded === undefined) {
    try {
      const file = path.resolve(REPO_ROOT, routingFile);
      const { spec } = loadStack(file);
      // Messages name the file as a reviewer knows it: relative to the repository when inside it.
      const relative = path.relative(REPO_ROOT, file);
      if (!relative.startsWith("..") && !path.isAbsolute(relative)) spec.source = relative;
      loaded = { spec };
    } catch (err) {
      loaded = { error: `cannot check ${routingFile}: ${(err as Error).message}` };
    }
  }
  return loaded;
}

function report(reportViolation: ReportViolation, messages: string[]): void {
  for (const message of messages) reportViolation(message);
}

function routingPolicy(
  name: PolicyName,
  description: string,
  check: (spec: ContactCentreSpec) => string[],
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: settings.levels[name],
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (args.type !== STACK_TYPE) return;
      const r = routing();
      report(reportViolation, "error" in r ? [r.error] : check(r.spec));
    },
  };
}

function awsPolicy(
  name: PolicyName,
  description: string,
  checks: Record<string, (name: string, props: Record<string, unknown>) => string[]>,
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: settings.levels[name],
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const check = checks[args.type];
      if (check) report(reportViolation, check(args.name, args.props));
    },
  };
}

const { bounds } = settings;

new PolicyPack("contact-centre", {
  policies: [
    routingPolicy(
      "queues-reachable",
      "Every queue is a target of a workflow filter or the default target.",
      rules.unreachableQueues,
    ),
    routingPolicy(
      "routes-end-at-a-worker",
      "The queue each route ends at admits at least one declared worker.",
      rules.routesWithoutWorkers,
    ),
    routingPolicy(
      "no-caller-waits-forever",
      "Every route ends in a timeout that leads somewhere, unless the stack declares workflow.allowWaitingForever.",
      rules.endlessWaits,
    ),
    routingPolicy(
      "routing-bounds",
      "Reservation timeout, target timeouts and priorities are within the stack's bounds.",
      (spec) => rules.outOfBounds(spec, bounds),
    ),
    routingPolicy(
      "worker-contact-uri",
      "Every worker has a contact_uri a dequeue can dial.",
      rules.undialableWorkers,
    ),
    routingPolicy(
      "ivr-options-routed",
      "Every IVR option, and pressing nothing, is matched by a workflow filter.",
      rules.unroutedIvrOptions,
    ),
    awsPolicy("lambda-runtime-supported", "Every handler runs on a supported Lambda runtime.", {
      [rules.LAMBDA_FUNCTION]: (n, props) => rules.unsupportedRuntime(n, props, bounds, stack),
    }),
    awsPolicy("log-retention-set", "Every handler's log group has a bounded retention.", {
      [rules.LOG_GROUP]: (n, props) => rules.badLogRetention(n, props, bounds, stack),
    }),
    awsPolicy(
      "auth-token-only-in-ssm",
      "The Twilio auth token is only in an SSM SecureString, never in a function's environment.",
      {
        [rules.LAMBDA_FUNCTION]: rules.tokenOutsideSsm,
        [rules.SSM_PARAMETER]: rules.plainTokenParameter,
      },
    ),
    awsPolicy(
      "signature-validation-on",
      "Outside the local stack every handler validates X-Twilio-Signature.",
      { [rules.LAMBDA_FUNCTION]: (n, props) => rules.signatureValidationOff(n, props, stack) },
    ),
  ],
});
