// ContactCentre: a validated routing definition (ContactCentreSpec, from loadStack) → the TaskRouter
// resources, named `${name}-${kind}-${logicalKey}`, with every dependency Twilio's delete order
// needs made explicit. The callback URLs are inputs only (they depend on the HTTP API, never on
// Twilio objects), so wiring them to API Gateway creates no cycle.
//
// The preview is the change: children take their parents' `id` (the SID), never a `sid` output. An
// update keeps its id, and the engine passes it on even in preview, whereas every output of an
// updated resource is unknown in preview, and an unknown input reads as a change (a `workspaceSid`
// change is a replacement). The workflow document is built from the queues it names only.
import * as pulumi from "@pulumi/pulumi";
import type { AdoptableKind, ContactCentreSpec } from "./model";
import { Activity } from "./providers/activity";
import { PhoneNumberVoiceUrl } from "./providers/phoneNumberVoiceUrl";
import { TaskQueue } from "./providers/taskQueue";
import { Worker } from "./providers/worker";
import { Workflow } from "./providers/workflow";
import { Workspace } from "./providers/workspace";
import { WorkspaceActivities } from "./providers/workspaceActivities";
import { childResourceName } from "./resourceNames";
import { buildWorkflowConfiguration } from "./workflowConfig";

export interface ContactCentreArgs {
  /** The validated routing definition with defaults filled (loadStack). */
  spec: ContactCentreSpec;
  /** The workflow's assignment callback (the /assignment handler). Absent: none. */
  assignmentCallbackUrl?: pulumi.Input<string>;
  /** The workspace's event callback (the /events handler); used only when `spec.workspace.events`. */
  eventCallbackUrl?: pulumi.Input<string>;
  /** The phone number's voice URL (the /incoming-call handler). Absent: the number is not touched. */
  voiceUrl?: pulumi.Input<string>;
  /** `contact-centre:protect`: every Twilio object gets Pulumi's `protect` (no delete, no replace). */
  protect?: boolean;
}

export class ContactCentre extends pulumi.ComponentResource {
  readonly workspaceSid: pulumi.Output<string>;
  readonly workflowSid: pulumi.Output<string>;
  /** By activity name, including the post-work (Wrap-Up) activity. */
  readonly activitySids: pulumi.Output<Record<string, string>>;
  /** By queue key. */
  readonly queueSids: pulumi.Output<Record<string, string>>;
  /** By worker name. */
  readonly workerSids: pulumi.Output<Record<string, string>>;
  /** The configured number's SID; undefined when no voice URL was given. */
  readonly phoneNumberSid: pulumi.Output<string | undefined>;

  constructor(name: string, args: ContactCentreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("contact-centre:taskrouter:ContactCentre", name, {}, opts);
    const { spec } = args;
    const parent = { parent: this, ...(args.protect ? { protect: true } : {}) };
    /** The `adopt` input of a kind: set only when the stack file lets it adopt. */
    const adopt = (kind: AdoptableKind) =>
      spec.adopt?.kinds.includes(kind) ? { adopt: spec.adopt.onDestroy } : {};
    const used = new Map<string, string>();
    const childName = (kind: string, key?: string): string => {
      const child = childResourceName(name, kind, key);
      const what = key === undefined ? kind : `${kind} ${JSON.stringify(key)}`;
      const clash = used.get(child);
      if (clash !== undefined) {
        throw new Error(
          `${spec.source}: ${clash} and ${what} both become the resource name "${child}"; rename one`,
        );
      }
      used.set(child, what);
      return child;
    };

    const workspace = new Workspace(
      childName("workspace"),
      {
        friendlyName: spec.workspace.friendlyName,
        multiTaskEnabled: spec.workspace.multitasking,
        prioritizeQueueOrder: spec.workspace.queueOrder,
        eventsFilter: spec.workspace.eventsFilter,
        eventCallbackUrl: spec.workspace.events ? args.eventCallbackUrl : undefined,
        ...adopt("workspace"),
      },
      parent,
    );
    const workspaceSid = workspace.id;

    const activities: Record<string, Activity> = {};
    for (const [activityName, activity] of Object.entries(spec.activities)) {
      activities[activityName] = new Activity(
        childName("activity", activityName),
        {
          workspaceSid,
          friendlyName: activityName,
          available: activity.available,
          ...adopt("activities"),
        },
        parent,
      );
    }
    const allActivities = Object.values(activities);
    const activitySid = (activityName: string | undefined) =>
      activityName === undefined ? undefined : activities[activityName].id;

    // Depends on every activity, so it is deleted (restoring the previous settings) before any of them.
    new WorkspaceActivities(
      childName("workspace-activities"),
      {
        workspaceSid,
        defaultActivitySid: activities[spec.defaultActivity].id,
        timeoutActivitySid: activities[spec.timeoutActivity].id,
        defaultActivity: spec.defaultActivity,
        timeoutActivity: spec.timeoutActivity,
      },
      { ...parent, dependsOn: allActivities },
    );

    // Workers depend on every activity: Twilio refuses to delete an activity a worker is in, and a
    // worker's live activity is not necessarily its declared one.
    const workers: Record<string, Worker> = {};
    for (const [workerName, worker] of Object.entries(spec.workers)) {
      workers[workerName] = new Worker(
        childName("worker", workerName),
        {
          workspaceSid,
          friendlyName: workerName,
          activitySid: activitySid(worker.activity),
          activity: worker.activity,
          attributes: worker.attributes,
          ...adopt("workers"),
        },
        { ...parent, dependsOn: allActivities },
      );
    }

    const queues: Record<string, TaskQueue> = {};
    for (const [key, queue] of Object.entries(spec.queues)) {
      queues[key] = new TaskQueue(
        childName("queue", key),
        {
          workspaceSid,
          friendlyName: queue.friendlyName,
          targetWorkers: queue.targetWorkers,
          taskOrder: queue.taskOrder,
          maxReservedWorkers: queue.maxReservedWorkers,
          reservationActivitySid: activitySid(queue.reservationActivity),
          assignmentActivitySid: activitySid(queue.assignmentActivity),
          reservationActivity: queue.reservationActivity,
          assignmentActivity: queue.assignmentActivity,
          ...adopt("queues"),
        },
        parent,
      );
    }
    const queueSids = pulumi.all(mapValues(queues, (q) => q.id));
    // Only the queues the workflow names, each SID its own input: a queue added elsewhere leaves the
    // workflow alone, and a new queue resource's unknown SID stays a single unknown field (the
    // provider's check resolves it by name when the object exists: a renamed key).
    const routedKeys = workflowQueueKeys(spec);
    const routed = Object.fromEntries(routedKeys.map((key) => [key, queues[key].id]));
    const routedNames = Object.fromEntries(
      routedKeys.map((key) => [key, spec.queues[key].friendlyName]),
    );

    const workflow = new Workflow(
      childName("workflow"),
      {
        workspaceSid,
        friendlyName: spec.workflow.friendlyName,
        // Queues named by key; the provider's check puts in the SIDs from `queues`.
        configuration: buildWorkflowConfiguration(
          { workflow: spec.workflow },
          Object.fromEntries(routedKeys.map((key) => [key, key])),
        ),
        queues: routed,
        queueNames: routedNames,
        assignmentCallbackUrl: args.assignmentCallbackUrl,
        taskReservationTimeout: spec.workflow.reservationTimeout,
        ...adopt("workflow"),
      },
      // The configuration names queues by SID; explicit too so the workflow goes before its queues.
      { ...parent, dependsOn: Object.values(queues) },
    );

    const phone =
      args.voiceUrl === undefined
        ? undefined
        : new PhoneNumberVoiceUrl(
            childName("phone-number", spec.phone.number),
            { phoneNumber: spec.phone.number, voiceUrl: args.voiceUrl, voiceMethod: "POST" },
            // After the workspace: a run the workspace refuses (adoption, account) writes nothing.
            { ...parent, dependsOn: [workspace] },
          );

    this.workspaceSid = workspaceSid;
    // Ids, not `sid` outputs: known in preview for updated objects (see the header).
    this.workflowSid = workflow.id;
    this.activitySids = pulumi.all(mapValues(activities, (a) => a.id));
    this.queueSids = queueSids;
    this.workerSids = pulumi.all(mapValues(workers, (w) => w.id));
    this.phoneNumberSid = phone ? phone.id : pulumi.output(undefined);
    this.registerOutputs({
      workspaceSid: this.workspaceSid,
      workflowSid: this.workflowSid,
      activitySids: this.activitySids,
      queueSids: this.queueSids,
      workerSids: this.workerSids,
      phoneNumberSid: this.phoneNumberSid,
    });
  }
}

/** The queue keys the workflow routes to, in document order, each once. */
function workflowQueueKeys(spec: ContactCentreSpec): string[] {
  const keys = spec.workflow.filters.flatMap((f) => f.targets.map((t) => t.queue));
  return [...new Set([...keys, spec.workflow.defaultTarget.queue])];
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
