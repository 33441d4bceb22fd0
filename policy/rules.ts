// The policies' logic, pure: a routing definition (after loading) or one AWS resource's properties
// in, violation messages out. policy/index.ts wires these into @pulumi/policy; each message names
// the logical object (stack-file names, never SIDs) and the file to change.
import type { ContactCentreSpec } from "../infra/taskrouter/model";
import { expressionKeys, evaluate } from "../infra/taskrouter/expression";
import { compiled, inQueue } from "../infra/taskrouter/routing";
import { checkContactUri, formatPath, type PathSegment } from "../infra/taskrouter/validate";
import { HANDLER_ENV } from "../infra/functions/config";

/** An inclusive range of whole numbers. */
export interface Bound {
  min: number;
  max: number;
}

/** What "sane" means for the bounds policy; each stack may change them (docs/policies.md). */
export interface Bounds {
  /** Seconds a worker has to accept a reservation. */
  reservationTimeout: Bound;
  /** Seconds a target holds a task before the next one. */
  targetTimeout: Bound;
  /** A target's task priority. */
  priority: Bound;
  /** Days CloudWatch Logs keeps a handler's logs. */
  logRetentionDays: Bound;
  /** Lambda runtimes a handler may use. */
  lambdaRuntimes: string[];
}

export const DEFAULT_BOUNDS: Bounds = {
  // Under 10 s a worker cannot reach the accept button; over 5 min a ringing worker blocks the queue.
  reservationTimeout: { min: 10, max: 300 },
  // Under 10 s a target is skipped before anyone can be reserved; over an hour nobody waits.
  targetTimeout: { min: 10, max: 3600 },
  priority: { min: 0, max: 100 },
  logRetentionDays: { min: 7, max: 3653 },
  // The runtimes AWS Lambda supports for Node.js today (infra/config.ts LAMBDA_RUNTIMES).
  lambdaRuntimes: ["nodejs22.x", "nodejs24.x"],
};

/** Where the messages point: `stacks/dev.yaml workflow.filters[0].targets[1].timeout`. */
function at(spec: ContactCentreSpec, path: PathSegment[]): string {
  return `${spec.source} ${formatPath(path)}`;
}

function quote(name: string): string {
  return JSON.stringify(name);
}

/** One route: a filter's target list, or the default target (a list of one without a timeout). */
interface Route {
  label: string;
  targets: { queue: string; path: PathSegment[] }[];
}

function routes(spec: ContactCentreSpec): Route[] {
  const out: Route[] = spec.workflow.filters.map((filter, i) => ({
    label: `filter ${quote(filter.name)}`,
    targets: filter.targets.map((t, j) => ({
      queue: t.queue,
      path: ["workflow", "filters", i, "targets", j],
    })),
  }));
  out.push({
    label: "the default target",
    targets: [{ queue: spec.workflow.defaultTarget.queue, path: ["workflow", "defaultTarget"] }],
  });
  return out;
}

/** A filter whose expression reads no task attribute and is true: every task matches it. */
function catchAll(expression: string): boolean {
  const expr = compiled(expression);
  return expressionKeys(expr).length === 0 && evaluate(expr, {});
}

/**
 * queues-reachable: every queue is a target of some filter or the default target. An unreachable
 * queue holds workers who never get a call from this workflow.
 */
export function unreachableQueues(spec: ContactCentreSpec): string[] {
  const reached = new Set(routes(spec).flatMap((r) => r.targets.map((t) => t.queue)));
  return Object.entries(spec.queues)
    .filter(([key]) => !reached.has(key))
    .map(
      ([key, queue]) =>
        `${at(spec, ["queues", key])}: queue ${quote(key)} (${quote(queue.friendlyName)}) is not reachable: no filter target and not the default target routes to it`,
    );
}

/**
 * routes-end-at-a-worker: the queue a route ends at (its last target, where a task stays) has at
 * least one declared worker its targetWorkers admits; otherwise the tasks that reach it wait for
 * nobody. Availability is not required: an offline worker can come online.
 */
export function routesWithoutWorkers(spec: ContactCentreSpec): string[] {
  const out: string[] = [];
  for (const route of routes(spec)) {
    const last = route.targets[route.targets.length - 1];
    const queue = spec.queues[last.queue];
    if (queue === undefined) continue; // the loader already refuses unknown queues
    const served = Object.entries(spec.workers).some(([name, worker]) =>
      inQueue(queue.targetWorkers, {
        sid: "",
        friendlyName: name,
        activitySid: "",
        activityName: worker.activity,
        available: spec.activities[worker.activity]?.available ?? false,
        attributes: worker.attributes,
      }),
    );
    if (!served) {
      out.push(
        `${at(spec, last.path)}: ${route.label} ends at queue ${quote(last.queue)}, whose targetWorkers ${quote(queue.targetWorkers)} admits no declared worker`,
      );
    }
  }
  return out;
}

/**
 * Every line has a maxWait (which also bounds callers who chose no option) and offers an exit at it
 * (voicemail or callback): the call handlers take the caller out of the queue, whatever the workflow.
 */
function everyCallerHasAnExit(spec: ContactCentreSpec): boolean {
  return Object.values(spec.lines).every(
    (line) => line.maxWait !== undefined && line.whenNobodyAnswers.length > 0,
  );
}

/**
 * no-caller-waits-forever: every route ends in a timeout that leads somewhere. After a filter's
 * last target times out, TaskRouter moves the task to the next matching filter, or cancels it and
 * the call leaves the queue; a last target without a timeout keeps the caller until the task's TTL
 * (24 h by default). The default target never times out, so it may be reachable only when the
 * stack accepts waiting: a filter that matches every task (e.g. `1==1`) makes it unreachable.
 * `workflow.allowWaitingForever: true` in the stack file declares that waiting is intended; a
 * maxWait with an exit on every line (everyCallerHasAnExit) is a way out too.
 */
export function endlessWaits(spec: ContactCentreSpec): string[] {
  if (spec.workflow.allowWaitingForever === true || everyCallerHasAnExit(spec)) return [];
  const hint = "add a timeout, or declare workflow.allowWaitingForever: true";
  const out: string[] = [];
  spec.workflow.filters.forEach((filter, i) => {
    const j = filter.targets.length - 1;
    if (filter.targets[j].timeout === undefined) {
      out.push(
        `${at(spec, ["workflow", "filters", i, "targets", j])}: filter ${quote(filter.name)} ends at queue ${quote(filter.targets[j].queue)} without a timeout, so a caller can wait there until the task's TTL; ${hint}`,
      );
    }
  });
  const caught = spec.workflow.filters.find((f) => catchAll(f.expression));
  if (caught === undefined) {
    out.push(
      `${at(spec, ["workflow", "defaultTarget"])}: tasks no filter matches wait in queue ${quote(spec.workflow.defaultTarget.queue)}, and the default target never times out; end the filters with a catch-all filter (expression 1==1) whose last target has a timeout, or declare workflow.allowWaitingForever: true`,
    );
  }
  return out;
}

function outside(value: number, bound: Bound): boolean {
  return value < bound.min || value > bound.max;
}

/** routing-bounds: reservation timeout, target timeouts and priorities within `bounds`. */
export function outOfBounds(spec: ContactCentreSpec, bounds: Bounds): string[] {
  const out: string[] = [];
  const check = (value: number | undefined, bound: Bound, path: PathSegment[], what: string) => {
    if (value !== undefined && outside(value, bound)) {
      out.push(
        `${at(spec, path)}: ${what} ${value} is outside ${bound.min}..${bound.max} (the routing-bounds policy's bounds)`,
      );
    }
  };
  check(
    spec.workflow.reservationTimeout,
    bounds.reservationTimeout,
    ["workflow", "reservationTimeout"],
    `workflow ${quote(spec.workflow.friendlyName)}'s reservation timeout`,
  );
  spec.workflow.filters.forEach((filter, i) =>
    filter.targets.forEach((t, j) => {
      const path = ["workflow", "filters", i, "targets", j];
      const who = `filter ${quote(filter.name)} target ${j + 1} (queue ${quote(t.queue)})`;
      check(t.timeout, bounds.targetTimeout, [...path, "timeout"], `${who} timeout`);
      check(t.priority, bounds.priority, [...path, "priority"], `${who} priority`);
    }),
  );
  return out;
}

/** worker-contact-uri: every worker has a contact_uri the dequeue instruction can dial. */
export function undialableWorkers(spec: ContactCentreSpec): string[] {
  return Object.entries(spec.workers).flatMap(([name, worker]) => {
    const problem = checkContactUri(worker.attributes.contact_uri);
    return problem === undefined
      ? []
      : [
          `${at(spec, ["workers", name, "attributes", "contact_uri"])}: worker ${quote(name)}: ${problem}, so a dequeue cannot dial it`,
        ];
  });
}

/**
 * ivr-options-routed: every IVR choice (and the no-input default) is matched by a filter, so each
 * menu digit has a route of its own rather than falling into the default target unnoticed.
 */
export function unroutedIvrOptions(spec: ContactCentreSpec): string[] {
  const routed = (attributes: Record<string, unknown>) =>
    spec.workflow.filters.some((f) => evaluate(compiled(f.expression), attributes));
  const fallback = `the default target (queue ${quote(spec.workflow.defaultTarget.queue)})`;
  const out = Object.entries(spec.phone.ivr.options)
    .filter(([, option]) => !routed(option.attributes))
    .map(
      ([digit, option]) =>
        `${at(spec, ["phone", "ivr", "options", digit])}: option ${quote(digit)} (${quote(option.label)}) matches no workflow filter, so its callers go to ${fallback}`,
    );
  if (!routed(spec.phone.ivr.defaultAttributes)) {
    out.push(
      `${at(spec, ["phone", "ivr", "defaultAttributes"])}: a caller who presses nothing matches no workflow filter and goes to ${fallback}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// AWS resources (their properties as the engine sends them to the analyzer)

export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
export const SSM_PARAMETER = "aws:ssm/parameter:Parameter";

/** Where a stack's AWS settings live, for messages: `Pulumi.prod.yaml`. */
export function stackConfigFile(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

function lambdaEnv(props: Record<string, unknown>): Record<string, unknown> {
  const environment = props.environment as { variables?: Record<string, unknown> } | undefined;
  return environment?.variables ?? {};
}

/** lambda-runtime-supported: a handler runs on a runtime in `bounds.lambdaRuntimes`. */
export function unsupportedRuntime(
  name: string,
  props: Record<string, unknown>,
  bounds: Bounds,
  stack: string,
): string[] {
  const runtime = props.runtime;
  if (typeof runtime === "string" && bounds.lambdaRuntimes.includes(runtime)) return [];
  return [
    `Lambda function ${quote(name)} uses runtime ${JSON.stringify(runtime)}, not one of ${bounds.lambdaRuntimes.join(", ")}; set contact-centre:lambdaRuntime in ${stackConfigFile(stack)}`,
  ];
}

/** log-retention-set: a log group keeps logs for a bounded number of days (unset = forever). */
export function badLogRetention(
  name: string,
  props: Record<string, unknown>,
  bounds: Bounds,
  stack: string,
): string[] {
  const days = props.retentionInDays;
  const fix = `set contact-centre:logRetentionDays in ${stackConfigFile(stack)}`;
  if (typeof days !== "number" || days <= 0) {
    return [`log group ${quote(name)} has no retention, so its logs are kept forever; ${fix}`];
  }
  if (outside(days, bounds.logRetentionDays)) {
    return [
      `log group ${quote(name)} keeps logs ${days} days, outside ${bounds.logRetentionDays.min}..${bounds.logRetentionDays.max}; ${fix}`,
    ];
  }
  return [];
}

/**
 * auth-token-only-in-ssm: no handler carries the Twilio auth token in its environment (anyone who
 * can read the function's configuration could read it); it names the SSM SecureString instead.
 */
export function tokenOutsideSsm(name: string, props: Record<string, unknown>): string[] {
  const env = lambdaEnv(props);
  const out: string[] = [];
  if (env[HANDLER_ENV.authToken] !== undefined) {
    out.push(
      `Lambda function ${quote(name)} has ${HANDLER_ENV.authToken} in its environment; the auth token belongs in SSM (${HANDLER_ENV.authTokenParameter})`,
    );
  }
  if (env[HANDLER_ENV.authTokenParameter] === undefined) {
    out.push(
      `Lambda function ${quote(name)} has no ${HANDLER_ENV.authTokenParameter}, so it cannot read the auth token from SSM`,
    );
  }
  return out;
}

/** auth-token-only-in-ssm, the parameter's side: it is a SecureString (encrypted with KMS). */
export function plainTokenParameter(name: string, props: Record<string, unknown>): string[] {
  if (props.type === "SecureString") return [];
  return [
    `SSM parameter ${quote(name)} has type ${JSON.stringify(props.type)}; the auth token must be a SecureString`,
  ];
}

/** signature-validation-on: outside the local stack no handler turns X-Twilio-Signature checks off. */
export function signatureValidationOff(
  name: string,
  props: Record<string, unknown>,
  stack: string,
): string[] {
  const value = lambdaEnv(props)[HANDLER_ENV.signatureValidation];
  if (stack === "local" || value === undefined || value === "on") return [];
  return [
    `Lambda function ${quote(name)} sets ${HANDLER_ENV.signatureValidation}=${JSON.stringify(value)} on stack ${quote(stack)}; only the local stack may skip X-Twilio-Signature validation`,
  ];
}
