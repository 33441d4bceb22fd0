// Record → Twilio JSON (snake_case, derived fields, absolute URLs on the emulator's own host).
// One module so the routing engine renders callback and event payloads exactly like the REST API.
import type {
  ActivityRec,
  PhoneNumberRec,
  TaskChannelRec,
  WorkerChannelRec,
  ReservationRec,
  Store,
  TaskQueueRec,
  TaskRec,
  WorkerRec,
  WorkflowRec,
  WorkspaceRec,
} from "../state/store";

export type Json = Record<string, unknown>;

/** `base` is the emulator origin, e.g. http://127.0.0.1:4010 (no trailing slash). */
export function workspaceUrl(base: string, ws: string): string {
  return `${base}/v1/Workspaces/${ws}`;
}

export function renderWorkspace(store: Store, w: WorkspaceRec, base: string): Json {
  const url = workspaceUrl(base, w.sid);
  const name = (sid: string) => store.activities.get(sid)?.friendlyName ?? null;
  return {
    account_sid: store.accountSid,
    date_created: w.dateCreated,
    date_updated: w.dateUpdated,
    default_activity_name: name(w.defaultActivitySid),
    default_activity_sid: w.defaultActivitySid,
    event_callback_url: w.eventCallbackUrl,
    events_filter: w.eventsFilter,
    friendly_name: w.friendlyName,
    multi_task_enabled: w.multiTaskEnabled,
    sid: w.sid,
    timeout_activity_name: name(w.timeoutActivitySid),
    timeout_activity_sid: w.timeoutActivitySid,
    prioritize_queue_order: w.prioritizeQueueOrder,
    url,
    links: {
      activities: `${url}/Activities`,
      statistics: `${url}/Statistics`,
      real_time_statistics: `${url}/RealTimeStatistics`,
      cumulative_statistics: `${url}/CumulativeStatistics`,
      task_queues: `${url}/TaskQueues`,
      tasks: `${url}/Tasks`,
      workers: `${url}/Workers`,
      workflows: `${url}/Workflows`,
      task_channels: `${url}/TaskChannels`,
      events: `${url}/Events`,
    },
  };
}

export function renderActivity(store: Store, a: ActivityRec, base: string): Json {
  const ws = workspaceUrl(base, a.workspaceSid);
  return {
    account_sid: store.accountSid,
    available: a.available,
    date_created: a.dateCreated,
    date_updated: a.dateUpdated,
    friendly_name: a.friendlyName,
    sid: a.sid,
    workspace_sid: a.workspaceSid,
    url: `${ws}/Activities/${a.sid}`,
    links: { workspace: ws },
  };
}

/** In lists Twilio returns `attributes: null` (https://www.twilio.com/docs/taskrouter/api/worker#read-multiple-worker-resources). */
export function renderWorker(store: Store, w: WorkerRec, base: string, inList = false): Json {
  const ws = workspaceUrl(base, w.workspaceSid);
  const url = `${ws}/Workers/${w.sid}`;
  const act = store.activities.get(w.activitySid);
  return {
    account_sid: store.accountSid,
    activity_name: act?.friendlyName ?? null,
    activity_sid: w.activitySid,
    attributes: inList ? null : w.attributes,
    available: act?.available ?? false,
    date_created: w.dateCreated,
    date_status_changed: w.dateStatusChanged,
    date_updated: w.dateUpdated,
    friendly_name: w.friendlyName,
    sid: w.sid,
    workspace_sid: w.workspaceSid,
    url,
    links: {
      channels: `${url}/Channels`,
      activity: `${ws}/Activities/${w.activitySid}`,
      workspace: ws,
      statistics: `${url}/Statistics`,
      real_time_statistics: `${ws}/Workers/RealTimeStatistics`,
      cumulative_statistics: `${ws}/Workers/CumulativeStatistics`,
      worker_statistics: `${url}/Statistics`,
      worker_channels: `${url}/Channels`,
      reservations: `${url}/Reservations`,
    },
  };
}

export function renderTaskQueue(store: Store, q: TaskQueueRec, base: string): Json {
  const ws = workspaceUrl(base, q.workspaceSid);
  const url = `${ws}/TaskQueues/${q.sid}`;
  const name = (sid: string | null) =>
    sid ? (store.activities.get(sid)?.friendlyName ?? null) : null;
  const links: Record<string, string> = {
    workspace: ws,
    statistics: `${url}/Statistics`,
    real_time_statistics: `${url}/RealTimeStatistics`,
    cumulative_statistics: `${url}/CumulativeStatistics`,
    list_statistics: `${ws}/TaskQueues/Statistics`,
    bulk_real_time_statistics: `${ws}/TaskQueues/RealTimeStatistics`,
  };
  if (q.assignmentActivitySid)
    links.assignment_activity = `${ws}/Activities/${q.assignmentActivitySid}`;
  if (q.reservationActivitySid) {
    links.reservation_activity = `${ws}/Activities/${q.reservationActivitySid}`;
  }
  return {
    account_sid: store.accountSid,
    assignment_activity_sid: q.assignmentActivitySid,
    assignment_activity_name: name(q.assignmentActivitySid),
    date_created: q.dateCreated,
    date_updated: q.dateUpdated,
    friendly_name: q.friendlyName,
    max_reserved_workers: q.maxReservedWorkers,
    reservation_activity_sid: q.reservationActivitySid,
    reservation_activity_name: name(q.reservationActivitySid),
    sid: q.sid,
    target_workers: q.targetWorkers,
    task_order: q.taskOrder,
    url,
    workspace_sid: q.workspaceSid,
    links,
  };
}

export function renderWorkflow(store: Store, wf: WorkflowRec, base: string): Json {
  const ws = workspaceUrl(base, wf.workspaceSid);
  const url = `${ws}/Workflows/${wf.sid}`;
  return {
    account_sid: store.accountSid,
    assignment_callback_url: wf.assignmentCallbackUrl,
    configuration: wf.configuration,
    date_created: wf.dateCreated,
    date_updated: wf.dateUpdated,
    document_content_type: "application/json",
    fallback_assignment_callback_url: wf.fallbackAssignmentCallbackUrl,
    friendly_name: wf.friendlyName,
    sid: wf.sid,
    task_reservation_timeout: wf.taskReservationTimeout,
    workspace_sid: wf.workspaceSid,
    url,
    links: {
      statistics: `${url}/Statistics`,
      real_time_statistics: `${url}/RealTimeStatistics`,
      cumulative_statistics: `${url}/CumulativeStatistics`,
    },
  };
}

export function renderTask(store: Store, t: TaskRec, base: string, inList = false): Json {
  const ws = workspaceUrl(base, t.workspaceSid);
  const url = `${ws}/Tasks/${t.sid}`;
  const queue = t.taskQueueSid ? store.taskQueues.get(t.taskQueueSid) : undefined;
  const wf = t.workflowSid ? store.workflows.get(t.workflowSid) : undefined;
  const channel = store.taskChannels.get(t.taskChannelSid);
  const links: Record<string, string> = { workspace: ws, reservations: `${url}/Reservations` };
  if (t.taskQueueSid) links.task_queue = `${ws}/TaskQueues/${t.taskQueueSid}`;
  if (t.workflowSid) links.workflow = `${ws}/Workflows/${t.workflowSid}`;
  return {
    account_sid: store.accountSid,
    age: Math.max(0, Math.floor((store.now().getTime() - Date.parse(t.dateCreated)) / 1000)),
    assignment_status: t.assignmentStatus,
    attributes: inList ? null : t.attributes,
    addons: "{}",
    date_created: wholeSeconds(t.dateCreated),
    date_updated: t.dateUpdated,
    task_queue_entered_date: t.taskQueueEnteredDate && wholeSeconds(t.taskQueueEnteredDate),
    priority: t.priority,
    reason: t.reason,
    sid: t.sid,
    task_queue_sid: t.taskQueueSid,
    task_queue_friendly_name: queue?.friendlyName ?? null,
    task_channel_sid: t.taskChannelSid,
    task_channel_unique_name: channel?.uniqueName ?? null,
    timeout: t.timeout,
    workflow_sid: t.workflowSid,
    workflow_friendly_name: wf?.friendlyName ?? null,
    workspace_sid: t.workspaceSid,
    url,
    links,
    virtual_start_time: wholeSeconds(t.virtualStartTime),
    ignore_capacity: t.ignoreCapacity,
    routing_target: t.routingTarget,
  };
}

/** `scope` picks the URL Twilio shows: under the task or under the worker. */
export function renderReservation(
  store: Store,
  r: ReservationRec,
  base: string,
  scope: "task" | "worker",
): Json {
  const ws = workspaceUrl(base, r.workspaceSid);
  const parent = scope === "task" ? `${ws}/Tasks/${r.taskSid}` : `${ws}/Workers/${r.workerSid}`;
  return {
    account_sid: store.accountSid,
    date_created: r.dateCreated,
    date_updated: r.dateUpdated,
    reservation_status: r.reservationStatus,
    sid: r.sid,
    task_sid: r.taskSid,
    worker_name: store.workers.get(r.workerSid)?.friendlyName ?? null,
    worker_sid: r.workerSid,
    workspace_sid: r.workspaceSid,
    url: `${parent}/Reservations/${r.sid}`,
    links: {
      task: `${ws}/Tasks/${r.taskSid}`,
      worker: `${ws}/Workers/${r.workerSid}`,
      workspace: ws,
    },
  };
}

/** API 2010 dates are RFC 2822, e.g. "Tue, 24 Nov 2025 11:56:00 +0000". */
export function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace("GMT", "+0000");
}

export function phoneNumberUri(store: Store, sid: string): string {
  return `/2010-04-01/Accounts/${store.accountSid}/IncomingPhoneNumbers/${sid}.json`;
}

export function renderPhoneNumber(store: Store, n: PhoneNumberRec): Json {
  return {
    account_sid: store.accountSid,
    address_sid: null,
    address_requirements: "none",
    api_version: "2010-04-01",
    beta: false,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: "twilio",
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: "POST",
    sms_fallback_url: null,
    sms_method: "POST",
    sms_url: null,
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: null,
    uri: phoneNumberUri(store, n.sid),
    voice_receive_mode: "voice",
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_url: n.voiceUrl,
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    bundle_sid: null,
    status: "in-use",
    type: "local",
  };
}

export function renderTaskChannel(store: Store, tc: TaskChannelRec, base: string): Json {
  const ws = workspaceUrl(base, tc.workspaceSid);
  return {
    account_sid: store.accountSid,
    date_created: tc.dateCreated,
    date_updated: tc.dateUpdated,
    friendly_name: tc.friendlyName,
    sid: tc.sid,
    unique_name: tc.uniqueName,
    workspace_sid: tc.workspaceSid,
    channel_optimized_routing: tc.channelOptimizedRouting ?? false,
    url: `${ws}/TaskChannels/${tc.sid}`,
    links: { workspace: ws },
  };
}

/** `available_capacity_percentage`: the share of the capacity still free, 0 when unavailable. */
export function renderWorkerChannel(store: Store, wc: WorkerChannelRec, base: string): Json {
  const ws = workspaceUrl(base, wc.workspaceSid);
  const assigned = store.channelLoad(wc.workerSid, wc.taskChannelSid);
  const free = wc.available && wc.capacity > 0 ? Math.max(0, wc.capacity - assigned) : 0;
  return {
    account_sid: store.accountSid,
    assigned_tasks: assigned,
    available: wc.available,
    available_capacity_percentage: wc.capacity > 0 ? Math.floor((free * 100) / wc.capacity) : 0,
    configured_capacity: wc.capacity,
    date_created: wc.dateCreated,
    date_updated: wc.dateUpdated,
    sid: wc.sid,
    task_channel_sid: wc.taskChannelSid,
    task_channel_unique_name: store.taskChannels.get(wc.taskChannelSid)?.uniqueName ?? null,
    worker_sid: wc.workerSid,
    workspace_sid: wc.workspaceSid,
    url: `${ws}/Workers/${wc.workerSid}/Channels/${wc.sid}`,
  };
}

/** Twilio prints dates in whole seconds; task times are stored with milliseconds (records.ts). */
function wholeSeconds(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, "Z");
}
