// The handlers' own Twilio REST requests: create the voicemail and callback tasks, find the agent
// who last answered a caller, and end or re-queue a callback once its calls are over. Plain fetch with Basic auth rather than the twilio client: the
// full client is ~21 MB and the bundles admit only the TwiML and webhook modules (bundle.ts).
// The base URL is TaskRouter's unless TWILIO_API_BASE_URL points the local stack at the emulator.

/** https://www.twilio.com/docs/taskrouter/api/task (v1, one host per product). */
export const TASKROUTER_BASE_URL = "https://taskrouter.twilio.com";

export interface NewTask {
  workflowSid: string;
  taskChannel: string;
  attributes: Record<string, unknown>;
}

/** What the handlers ask of Twilio's REST API. */
export interface CentreRest {
  /** Creates a task and returns its SID. */
  createTask(task: NewTask): Promise<string>;
  /** The worker who accepted the caller's most recent task that reached an agent, if any. */
  lastAgentSid(caller: string): Promise<string | undefined>;
  /** A task's assignment status and attributes. */
  fetchTask(
    taskSid: string,
  ): Promise<{ assignmentStatus: string; attributes: Record<string, unknown> }>;
  /** Moves a task to `completed` or `canceled`, with the reason Twilio records on it. */
  endTask(taskSid: string, status: "completed" | "canceled", reason: string): Promise<void>;
  /** Sets a worker's activity. */
  setWorkerActivity(workerSid: string, activitySid: string): Promise<void>;
}

export class TwilioRestError extends Error {
  override name = "TwilioRestError";
}

/** Reservation statuses that mean the worker took the task. */
const TAKEN = new Set(["accepted", "wrapping", "completed"]);

export function twilioRest(opts: {
  accountSid: string;
  authToken: string;
  workspaceSid: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}): CentreRest {
  const base = `${opts.baseUrl ?? TASKROUTER_BASE_URL}/v1/Workspaces/${opts.workspaceSid}`;
  const auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString("base64")}`;
  const doFetch = opts.fetch ?? fetch;
  const request = async (method: "GET" | "POST", path: string, form: URLSearchParams) => {
    const url = method === "GET" && form.size > 0 ? `${base}${path}?${form}` : `${base}${path}`;
    const res = await doFetch(url, {
      method,
      headers: {
        authorization: auth,
        ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(method === "POST" ? { body: form.toString() } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new TwilioRestError(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  return {
    async createTask(task) {
      const body = await request(
        "POST",
        "/Tasks",
        new URLSearchParams({
          WorkflowSid: task.workflowSid,
          TaskChannel: task.taskChannel,
          Attributes: JSON.stringify(task.attributes),
        }),
      );
      return String(body.sid);
    },
    async lastAgentSid(caller) {
      // https://www.twilio.com/docs/taskrouter/api/task#read-multiple-task-resources:
      // EvaluateTaskAttributes filters, Ordering=DateCreated:desc puts the newest first.
      const tasks = await request(
        "GET",
        "/Tasks",
        new URLSearchParams({
          EvaluateTaskAttributes: `caller == ${JSON.stringify(caller)}`,
          AssignmentStatus: "wrapping,completed",
          Ordering: "DateCreated:desc",
          PageSize: "20",
        }),
      );
      for (const task of (tasks.tasks ?? []) as { sid: string }[]) {
        const list = await request(
          "GET",
          `/Tasks/${task.sid}/Reservations`,
          new URLSearchParams({ PageSize: "50" }),
        );
        const taken = (
          (list.reservations ?? []) as { worker_sid: string; reservation_status: string }[]
        ).find((r) => TAKEN.has(r.reservation_status));
        if (taken) return taken.worker_sid;
      }
      return undefined;
    },
    async fetchTask(taskSid) {
      const body = await request("GET", `/Tasks/${taskSid}`, new URLSearchParams());
      return {
        assignmentStatus: String(body.assignment_status),
        attributes: JSON.parse(String(body.attributes)) as Record<string, unknown>,
      };
    },
    async endTask(taskSid, status, reason) {
      // https://www.twilio.com/docs/taskrouter/api/task#update-a-task-resource: AssignmentStatus
      // with a Reason ("only for canceled or completed").
      await request(
        "POST",
        `/Tasks/${taskSid}`,
        new URLSearchParams({ AssignmentStatus: status, Reason: reason }),
      );
    },
    async setWorkerActivity(workerSid, activitySid) {
      await request(
        "POST",
        `/Workers/${workerSid}`,
        new URLSearchParams({ ActivitySid: activitySid }),
      );
    },
  };
}
