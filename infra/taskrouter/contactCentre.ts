// ContactCentre: a validated routing definition (ContactCentreSpec, from loadStack) → the TaskRouter
// resources of its plan (plan.ts: every value Twilio gets), named `${name}-${kind}-${logicalKey}`,
// with every dependency Twilio's delete order needs made explicit. The callback URLs are inputs
// only (they depend on the HTTP API, never on Twilio objects), so wiring them to API Gateway
// creates no cycle.
//
// The preview is the change: children take their parents' `id` (the SID), never a `sid` output. An
// update keeps its id, and the engine passes it on even in preview, whereas every output of an
// updated resource is unknown in preview, and an unknown input reads as a change (a `workspaceSid`
// change is a replacement). The workflow document is built from the queues it names only.
import * as pulumi from "@pulumi/pulumi";
import type { AdoptableKind, ContactCentreSpec } from "./model";
import { Activity } from "./providers/activity";
import { PhoneNumberVoiceUrl } from "./providers/phoneNumberVoiceUrl";
import { TaskChannel } from "./providers/taskChannel";
import { TaskChannelCapacity } from "./providers/taskChannelCapacity";
import { TaskQueue } from "./providers/taskQueue";
import { Worker } from "./providers/worker";
import { Workflow } from "./providers/workflow";
import { Workspace } from "./providers/workspace";
import { WorkspaceActivities } from "./providers/workspaceActivities";
import { planCentre } from "./plan";
import { childResourceName } from "./resourceNames";

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
  /** The main line's number SID; undefined when no voice URL was given. */
  readonly phoneNumberSid: pulumi.Output<string | undefined>;
  /** Every line's number SID by line key; empty when no voice URL was given. */
  readonly phoneNumberSids: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ContactCentreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("contact-centre:taskrouter:ContactCentre", name, {}, opts);
    const { spec } = args;
    const plan = planCentre(spec);
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
        friendlyName: plan.workspace.friendlyName,
        multiTaskEnabled: plan.workspace.multiTaskEnabled,
        prioritizeQueueOrder: plan.workspace.prioritizeQueueOrder,
        eventsFilter: plan.workspace.eventsFilter,
        eventCallbackUrl: plan.workspace.eventCallback ? args.eventCallbackUrl : undefined,
        ...adopt("workspace"),
      },
      parent,
    );
    const workspaceSid = workspace.id;

    const activities: Record<string, Activity> = {};
    for (const activity of plan.activities) {
      activities[activity.friendlyName] = new Activity(
        childName("activity", activity.friendlyName),
        {
          workspaceSid,
          friendlyName: activity.friendlyName,
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
    const workspaceActivities = new WorkspaceActivities(
      childName("workspace-activities"),
      {
        workspaceSid,
        defaultActivitySid: activities[plan.workspace.defaultActivity].id,
        timeoutActivitySid: activities[plan.workspace.timeoutActivity].id,
        defaultActivity: plan.workspace.defaultActivity,
        timeoutActivity: plan.workspace.timeoutActivity,
      },
      { ...parent, dependsOn: allActivities },
    );

    // Workers are deleted before every activity: Twilio refuses to delete an activity a worker is in,
    // and a worker's live activity is not necessarily its declared one. Depending on
    // WorkspaceActivities, which depends on every activity, orders that with one dependency per
    // worker instead of one per activity (a URN each in the worker's state record). The workspace's
    // SID comes through it too (its id), so the workspace is not one more URN per worker, and the
    // declared activity is named, not referenced: a worker's record holds that one URN.
    const workers: Record<string, Worker> = {};
    for (const worker of plan.workers) {
      workers[worker.friendlyName] = new Worker(
        childName("worker", worker.friendlyName),
        {
          workspaceSid: workspaceActivities.id,
          friendlyName: worker.friendlyName,
          // By name: its provider finds the SID, so no worker depends on its Activity resource.
          activity: worker.activity,
          attributes: worker.attributes,
          ...adopt("workers"),
        },
        parent,
      );
    }

    // Declared task channels; a worker's capacities come after them (a custom channel must exist).
    const channels = plan.channels.map(
      (channel) =>
        new TaskChannel(
          childName("channel", channel.uniqueName),
          {
            workspaceSid,
            uniqueName: channel.uniqueName,
            friendlyName: channel.friendlyName,
            channelOptimizedRouting: channel.channelOptimizedRouting,
            ...adopt("channels"),
          },
          parent,
        ),
    );
    for (const worker of plan.workers) {
      if (worker.channels === undefined) continue;
      new TaskChannelCapacity(
        childName("worker-channels", worker.friendlyName),
        {
          workspaceSid,
          workerSid: workers[worker.friendlyName].id,
          workerName: worker.friendlyName,
          capacities: worker.channels,
        },
        { ...parent, dependsOn: channels },
      );
    }

    const queues: Record<string, TaskQueue> = {};
    for (const queue of plan.queues) {
      queues[queue.key] = new TaskQueue(
        childName("queue", queue.key),
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
    const routedKeys = plan.workflow.queues;
    const routed = Object.fromEntries(routedKeys.map((key) => [key, queues[key].id]));
    const routedNames = Object.fromEntries(
      routedKeys.map((key) => [key, spec.queues[key].friendlyName]),
    );

    const workflow = new Workflow(
      childName("workflow"),
      {
        workspaceSid,
        friendlyName: plan.workflow.friendlyName,
        // Queues named by key; the provider's check puts in the SIDs from `queues`.
        configuration: plan.workflow.configuration,
        queues: routed,
        queueNames: routedNames,
        assignmentCallbackUrl: args.assignmentCallbackUrl,
        taskReservationTimeout: plan.workflow.taskReservationTimeout,
        ...adopt("workflow"),
      },
      // The configuration names queues by SID; explicit too so the workflow goes before its queues.
      { ...parent, dependsOn: Object.values(queues) },
    );

    // One voice URL per line, each number's own resource (named by the number, so the main line keeps
    // its name from before lines existed). Each line is told apart by the call's To in the handlers.
    const voiceUrl = args.voiceUrl;
    const phones =
      voiceUrl === undefined
        ? {}
        : mapValues(
            spec.lines,
            (line) =>
              new PhoneNumberVoiceUrl(
                childName("phone-number", line.number),
                { phoneNumber: line.number, voiceUrl, voiceMethod: "POST" },
                // After the workspace: a run the workspace refuses (adoption, account) writes nothing.
                { ...parent, dependsOn: [workspace] },
              ),
          );
    const mainPhone = phones[Object.keys(spec.lines)[0]] as PhoneNumberVoiceUrl | undefined;

    this.workspaceSid = workspaceSid;
    // Ids, not `sid` outputs: known in preview for updated objects (see the header).
    this.workflowSid = workflow.id;
    this.activitySids = pulumi.all(mapValues(activities, (a) => a.id));
    this.queueSids = queueSids;
    this.workerSids = pulumi.all(mapValues(workers, (w) => w.id));
    this.phoneNumberSid = mainPhone ? mainPhone.id : pulumi.output(undefined);
    this.phoneNumberSids = pulumi.all(mapValues(phones, (p) => p.id));
    this.registerOutputs({
      workspaceSid: this.workspaceSid,
      workflowSid: this.workflowSid,
      activitySids: this.activitySids,
      queueSids: this.queueSids,
      workerSids: this.workerSids,
      phoneNumberSid: this.phoneNumberSid,
      phoneNumberSids: this.phoneNumberSids,
    });
  }
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
