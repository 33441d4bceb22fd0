// What a routing definition becomes in Twilio: the workspace settings, activities, workers, task
// queues and workflow, with the values Twilio gets, objects referring to each other by logical name
// (activity name, queue key) until they have SIDs. One plan for every consumer: the ContactCentre
// component, the simulator's setup in the local Twilio's store, and the test fixtures that deploy a
// centre without Pulumi, so none of them decides a value on its own. Pure: no I/O, no Pulumi.
import type { ContactCentreSpec } from "./model";
import { buildWorkflowConfiguration, type TaskRoutingConfiguration } from "./workflowConfig";

export interface PlannedWorkspace {
  friendlyName: string;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: "FIFO" | "LIFO";
  /** Whether Twilio gets the /events handler's URL as the event callback. */
  eventCallback: boolean;
  /** Absent: every event type. */
  eventsFilter?: string[];
  /** The workspace's default and timeout activities, by name (their SIDs once they exist). */
  defaultActivity: string;
  timeoutActivity: string;
}

export interface PlannedActivity {
  friendlyName: string;
  available: boolean;
}

export interface PlannedWorker {
  friendlyName: string;
  /** By name: the activity a new worker starts in. */
  activity: string;
  attributes: Record<string, unknown>;
  /** Capacity by task channel unique name; absent: Twilio's capacity of 1 on every channel. */
  channels?: Record<string, number>;
}

/** A declared task channel: a custom one is created, a seeded one (model.ts) reused. */
export interface PlannedChannel {
  uniqueName: string;
  friendlyName: string;
  channelOptimizedRouting: boolean;
}

export interface PlannedQueue {
  /** The queue's logical key in the stack file. */
  key: string;
  friendlyName: string;
  targetWorkers: string;
  taskOrder: "FIFO" | "LIFO";
  maxReservedWorkers: number;
  /** By name. */
  reservationActivity?: string;
  assignmentActivity?: string;
}

export interface PlannedWorkflow {
  friendlyName: string;
  taskReservationTimeout: number;
  /** The queue keys the document routes to, in document order, each once. */
  queues: string[];
  /** The routing document with each queue named by its key (`withQueueSids` puts in the SIDs). */
  configuration: TaskRoutingConfiguration;
}

export interface CentrePlan {
  workspace: PlannedWorkspace;
  /** In stack-file order, the post-work (Wrap-Up) activity included. */
  activities: PlannedActivity[];
  /** The declared task channels, in stack-file order. */
  channels: PlannedChannel[];
  workers: PlannedWorker[];
  queues: PlannedQueue[];
  workflow: PlannedWorkflow;
}

/** The Twilio objects of a validated routing definition (defaults filled by loadStack). */
export function planCentre(spec: ContactCentreSpec): CentrePlan {
  const routed = [
    ...new Set([
      ...spec.workflow.filters.flatMap((f) => f.targets.map((t) => t.queue)),
      spec.workflow.defaultTarget.queue,
    ]),
  ];
  return {
    workspace: {
      friendlyName: spec.workspace.friendlyName,
      multiTaskEnabled: spec.workspace.multitasking,
      prioritizeQueueOrder: spec.workspace.queueOrder,
      eventCallback: spec.workspace.events,
      ...(spec.workspace.eventsFilter !== undefined && {
        eventsFilter: spec.workspace.eventsFilter,
      }),
      defaultActivity: spec.defaultActivity,
      timeoutActivity: spec.timeoutActivity,
    },
    activities: Object.entries(spec.activities).map(([name, a]) => ({
      friendlyName: name,
      available: a.available,
    })),
    channels: Object.entries(spec.channels ?? {}).map(([uniqueName, c]) => ({
      uniqueName,
      friendlyName: c.friendlyName,
      channelOptimizedRouting: c.channelOptimizedRouting,
    })),
    workers: Object.entries(spec.workers).map(([name, w]) => ({
      friendlyName: name,
      activity: w.activity,
      attributes: w.attributes,
      ...(w.channels !== undefined && { channels: w.channels }),
    })),
    queues: Object.entries(spec.queues).map(([key, q]) => ({
      key,
      friendlyName: q.friendlyName,
      targetWorkers: q.targetWorkers,
      taskOrder: q.taskOrder,
      maxReservedWorkers: q.maxReservedWorkers,
      ...(q.reservationActivity !== undefined && { reservationActivity: q.reservationActivity }),
      ...(q.assignmentActivity !== undefined && { assignmentActivity: q.assignmentActivity }),
    })),
    workflow: {
      friendlyName: spec.workflow.friendlyName,
      taskReservationTimeout: spec.workflow.reservationTimeout,
      queues: routed,
      configuration: buildWorkflowConfiguration(
        { workflow: spec.workflow },
        Object.fromEntries(routed.map((key) => [key, key])),
      ),
    },
  };
}

/**
 * The planned routing document with each queue key replaced by its SID; throws naming a key without
 * one and where the document uses it.
 */
export function withQueueSids(
  configuration: TaskRoutingConfiguration,
  queueSids: Record<string, string>,
): TaskRoutingConfiguration {
  const sid = (key: string, path: string): string => {
    const value = Object.prototype.hasOwnProperty.call(queueSids, key) ? queueSids[key] : undefined;
    if (typeof value !== "string" || value === "") {
      throw new Error(`no queue SID for queue "${key}" (task_routing.${path})`);
    }
    return value;
  };
  const { filters, default_filter } = configuration.task_routing;
  return {
    task_routing: {
      filters: filters.map((filter, f) => ({
        ...filter,
        targets: filter.targets.map((target, t) => ({
          ...target,
          queue: sid(target.queue, `filters[${f}].targets[${t}].queue`),
        })),
      })),
      default_filter: { queue: sid(default_filter.queue, "default_filter.queue") },
    },
  };
}
