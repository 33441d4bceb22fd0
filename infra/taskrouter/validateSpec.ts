// Every rule over a whole routing definition (defaults applied): the single-value rules of
// validate.ts applied to each section, plus the cross-references between sections. Pure.
import { evaluate, parseExpression } from "./expression";
import { SEEDED_CHANNELS, type ContactCentreSpec } from "./model";
import {
  ACTIVITIES_MAX,
  checkAttributeHyphens,
  checkAttributesSize,
  checkCallFlowSize,
  checkContactUri,
  checkE164,
  checkExpression,
  checkHttpUrl,
  checkIvrDigit,
  checkIvrMenuSize,
  checkKnownWorker,
  checkName,
  checkOrderBy,
  checkPostWorkActivity,
  checkPriority,
  checkReference,
  checkReservationTimeout,
  checkResourceNameClashes,
  checkSeededActivity,
  checkTargetTimeout,
  checkUniqueNames,
  checkWorkflowSize,
  formatPath,
  hoursSpecProblems,
  parsePath,
  SEEDED_ACTIVITIES,
  WORKERS_MAX,
  type ExpressionRole,
  type PathSegment,
  type SpecIssue,
} from "./validate";

/**
 * Task channels: friendly names are names (no hyphen: "Task Channel friendlyName and uniqueName values
 * do not support hyphens", https://www.twilio.com/docs/taskrouter/api/task-channel; the key's pattern
 * already excludes one); a worker's capacities name a seeded or declared channel, and only in a
 * multitasking workspace, where capacity means something.
 */
export function checkChannels(spec: ContactCentreSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (path: PathSegment[], message: string | undefined): void => {
    if (message !== undefined) issues.push({ severity: "error", path: formatPath(path), message });
  };
  const channels = spec.channels ?? {};
  for (const [key, channel] of Object.entries(channels)) {
    const at: PathSegment[] = ["channels", key, "friendlyName"];
    error(at, checkName("task channel name", channel.friendlyName));
    if (channel.friendlyName.includes("-")) {
      error(
        at,
        `task channel name ${JSON.stringify(channel.friendlyName)} contains a hyphen, which Twilio does not support`,
      );
    }
  }
  const known = [...new Set([...Object.keys(SEEDED_CHANNELS), ...Object.keys(channels)])];
  for (const [workerName, worker] of Object.entries(spec.workers)) {
    if (worker.channels === undefined) continue;
    if (!spec.workspace.multitasking) {
      error(
        ["workers", workerName, "channels"],
        "channel capacities need workspace.multitasking: true (a single-tasking worker takes one task at a time)",
      );
      continue;
    }
    for (const key of Object.keys(worker.channels)) {
      error(["workers", workerName, "channels", key], checkReference("task channel", key, known));
    }
  }
  return issues;
}

/**
 * Every rule over a spec with defaults applied: errors and warnings, grouped by section
 * (the loader sorts them by position).
 */
export function validateSpec(spec: ContactCentreSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (path: PathSegment[], message: string | undefined): void => {
    if (message !== undefined) issues.push({ severity: "error", path: formatPath(path), message });
  };
  const warn = (path: PathSegment[], message: string): void => {
    issues.push({ severity: "warning", path: formatPath(path), message });
  };
  const nested = (prefix: PathSegment[], found: SpecIssue[]): void => {
    for (const issue of found) {
      issues.push({ ...issue, path: formatPath([...prefix, ...parsePath(issue.path)]) });
    }
  };
  const expression = (path: PathSegment[], source: string, role: ExpressionRole): void => {
    for (const reason of checkExpression(source, role)) error(path, reason);
  };

  const activityNames = Object.keys(spec.activities);
  const queueKeys = Object.keys(spec.queues);
  const activity = (path: PathSegment[], name: string): void =>
    error(path, checkReference("activity", name, activityNames));

  const name = (path: PathSegment[], kind: string, value: string): void =>
    error(path, checkName(kind, value));

  name(["workspace", "friendlyName"], "workspace name", spec.workspace.friendlyName);
  // A name equal ignoring case also clashes as a resource name: the first reason is enough.
  const duplicateActivities = checkUniqueNames("activity", activityNames);
  checkResourceNameClashes("activity", activityNames).forEach((message, i) =>
    error(["activities", activityNames[i]], duplicateActivities.get(i) ?? message),
  );
  for (const activityName of activityNames) {
    name(["activities", activityName], "activity", activityName);
    error(
      ["activities", activityName, "available"],
      checkSeededActivity(activityName, spec.activities[activityName].available),
    );
  }
  const seededKept = Object.keys(SEEDED_ACTIVITIES).filter(
    (seeded) => !activityNames.some((n) => n.toLowerCase() === seeded.toLowerCase()),
  );
  if (activityNames.length + seededKept.length > ACTIVITIES_MAX) {
    error(
      ["activities"],
      `${activityNames.length} activities, plus ${seededKept.length} that Twilio creates in every ` +
        `workspace (${seededKept.join(", ")}), exceed Twilio's ${ACTIVITIES_MAX} per workspace`,
    );
  }
  if (!activityNames.some((n) => spec.activities[n].available)) {
    error(
      ["activities"],
      "no activity is available (available: true), so no worker could ever take a task",
    );
  }
  activity(["defaultActivity"], spec.defaultActivity);
  activity(["timeoutActivity"], spec.timeoutActivity);
  activity(["postWorkActivity"], spec.postWorkActivity);
  error(["postWorkActivity"], checkPostWorkActivity(spec.postWorkActivity, spec.activities));

  const workerNames = Object.keys(spec.workers);
  if (workerNames.length > WORKERS_MAX) {
    error(
      ["workers"],
      `${workerNames.length} workers exceed Twilio's ${WORKERS_MAX} per workspace`,
    );
  }
  const duplicateWorkers = checkUniqueNames("worker", workerNames);
  const workerClashes = checkResourceNameClashes("worker", workerNames);
  workerNames.forEach((workerName, i) => {
    name(["workers", workerName], "worker", workerName);
    const worker = spec.workers[workerName];
    error(["workers", workerName], duplicateWorkers.get(i) ?? workerClashes.get(i));
    // A defaulted activity is the default activity, already reported once if unknown.
    if (worker.activity !== spec.defaultActivity)
      activity(["workers", workerName, "activity"], worker.activity);
    error(["workers", workerName, "attributes"], checkAttributesSize(worker.attributes));
    if ("contact_uri" in worker.attributes) {
      error(
        ["workers", workerName, "attributes", "contact_uri"],
        checkContactUri(worker.attributes.contact_uri),
      );
    }
    nested(["workers", workerName, "attributes"], checkAttributeHyphens(worker.attributes));
  });

  issues.push(...checkChannels(spec));

  const queueNames = queueKeys.map((key) => spec.queues[key].friendlyName);
  const duplicateQueues = checkUniqueNames("queue friendly name", queueNames);
  const queueClashes = checkResourceNameClashes("queue", queueKeys);
  for (const [i, key] of queueKeys.entries()) {
    const queue = spec.queues[key];
    name(["queues", key], "queue key", key);
    error(["queues", key], queueClashes.get(i));
    name(["queues", key, "friendlyName"], "queue name", queue.friendlyName);
    error(["queues", key, "friendlyName"], duplicateQueues.get(i));
    expression(["queues", key, "targetWorkers"], queue.targetWorkers, "targetWorkers");
    if (queue.reservationActivity !== undefined) {
      activity(["queues", key, "reservationActivity"], queue.reservationActivity);
    }
    if (queue.assignmentActivity !== undefined) {
      activity(["queues", key, "assignmentActivity"], queue.assignmentActivity);
    }
  }

  const { workflow } = spec;
  name(["workflow", "friendlyName"], "workflow name", workflow.friendlyName);
  error(["workflow", "reservationTimeout"], checkReservationTimeout(workflow.reservationTimeout));
  const duplicateFilters = checkUniqueNames(
    "filter",
    workflow.filters.map((filter) => filter.name),
  );
  const reached = new Set<string>([workflow.defaultTarget.queue]);
  workflow.filters.forEach((filter, f) => {
    const at: PathSegment[] = ["workflow", "filters", f];
    name([...at, "name"], "filter name", filter.name);
    error([...at, "name"], duplicateFilters.get(f));
    expression([...at, "expression"], filter.expression, "filter");
    filter.targets.forEach((target, t) => {
      const targetAt = [...at, "targets", t];
      reached.add(target.queue);
      error([...targetAt, "queue"], checkReference("queue", target.queue, queueKeys));
      if (target.priority !== undefined)
        error([...targetAt, "priority"], checkPriority(target.priority));
      if (target.timeout !== undefined) {
        error([...targetAt, "timeout"], checkTargetTimeout(target.timeout));
      }
      if (target.expression !== undefined) {
        expression([...targetAt, "expression"], target.expression, "target");
      }
      if (target.skipIf !== undefined) expression([...targetAt, "skipIf"], target.skipIf, "skipIf");
      if (target.knownWorker !== undefined) {
        error([...targetAt, "knownWorker"], checkKnownWorker(target.knownWorker));
      }
      if (target.orderBy !== undefined)
        error([...targetAt, "orderBy"], checkOrderBy(target.orderBy));
    });
  });
  error(
    ["workflow", "defaultTarget", "queue"],
    checkReference("queue", workflow.defaultTarget.queue, queueKeys),
  );
  error(["workflow"], checkWorkflowSize(spec, [...reached]));

  const numbers = new Map<string, string>();
  let menuTooBig = false;
  for (const [key, line] of Object.entries(spec.lines)) {
    const at: PathSegment[] = spec.linesAt === "phone" ? ["phone"] : ["lines", key];
    error([...at, "number"], checkE164(line.number));
    const sameNumber = numbers.get(line.number);
    if (sameNumber !== undefined) {
      error(
        [...at, "number"],
        `${line.number} is also line ${JSON.stringify(sameNumber)}'s number`,
      );
    }
    numbers.set(line.number, key);
    for (const [digit, option] of Object.entries(line.ivr.options)) {
      const optionAt = [...at, "ivr", "options", digit];
      error(optionAt, checkIvrDigit(digit));
      name([...optionAt, "label"], "label", option.label);
      // What the enqueue handler sends as the task's attributes (infra/functions/enqueueCall.ts).
      error(
        [...optionAt, "attributes"],
        checkAttributesSize({ selected_option: option.label, ...option.attributes }),
      );
      nested([...optionAt, "attributes"], checkAttributeHyphens(option.attributes));
      // The enqueue handler sets the label as the task attribute selected_option.
      if (option.label.includes("-")) {
        error(
          [...optionAt, "label"],
          `label ${JSON.stringify(option.label)} becomes the task attribute selected_option and contains a hyphen (not supported by TaskRouter)`,
        );
      }
    }
    nested([...at, "ivr", "defaultAttributes"], checkAttributeHyphens(line.ivr.defaultAttributes));
    error([...at, "ivr", "defaultAttributes"], checkAttributesSize(line.ivr.defaultAttributes));
    nested([...at, "taskAttributes"], checkAttributeHyphens(line.taskAttributes));
    const menuSize = checkIvrMenuSize(line);
    error([...at, "ivr"], menuSize);
    menuTooBig ||= menuSize !== undefined;
    if (line.holdMusicUrl !== undefined) {
      error([...at, "holdMusicUrl"], checkHttpUrl(line.holdMusicUrl));
    }
    if (line.hours !== undefined) {
      for (const problem of hoursSpecProblems(line.hours))
        error([...at, "hours", ...problem.path], problem.message);
    }
  }
  // Reported once: a menu already too big makes the whole call flow too big.
  if (!menuTooBig) error([spec.linesAt], checkCallFlowSize(spec));
  nested(["voicemail", "attributes"], checkAttributeHyphens(spec.voicemail.attributes));
  nested(["callback", "attributes"], checkAttributeHyphens(spec.callback.attributes));

  // Warnings: queues that can never receive a task, or whose tasks no worker can take.
  for (const key of queueKeys) {
    if (!reached.has(key))
      warn(["queues", key], "no filter target or default target routes to this queue");
    // An expression with errors is reported above; matching with it would only add noise.
    if (checkExpression(spec.queues[key].targetWorkers, "targetWorkers").length > 0) continue;
    const matcher = parseExpression(spec.queues[key].targetWorkers);
    const matches = workerNames.some((name) => evaluate(matcher, spec.workers[name].attributes));
    if (!matches) {
      warn(
        ["queues", key, "targetWorkers"],
        `no worker matches ${JSON.stringify(spec.queues[key].targetWorkers)}`,
      );
    }
  }
  return issues;
}
