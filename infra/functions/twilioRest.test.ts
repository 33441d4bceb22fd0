import assert from "node:assert/strict";
import { SIDS } from "./testdata/twilioEvents";
import { twilioRest } from "./twilioRest";

/** A fetch that records requests and answers from `answers` in order. */
function fakeFetch(answers: { status: number; body: unknown }[]) {
  const seen: { url: string; method?: string; headers?: unknown; body?: unknown }[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    seen.push({ url, method: init.method, headers: init.headers, body: init.body });
    const next = answers.shift()!;
    return new Response(JSON.stringify(next.body), { status: next.status });
  }) as unknown as typeof fetch;
  return { fn, seen };
}

const BASE = "http://127.0.0.1:3033";
const WS = `${BASE}/v1/Workspaces/${SIDS.workspace}`;
const AUTH = `Basic ${Buffer.from(`${SIDS.account}:tok`).toString("base64")}`;
const rest = (fetch: typeof globalThis.fetch) =>
  twilioRest({
    accountSid: SIDS.account,
    authToken: "tok",
    workspaceSid: SIDS.workspace,
    baseUrl: BASE,
    fetch,
  });

describe("twilioRest", () => {
  it("createTask POSTs WorkflowSid, TaskChannel and JSON Attributes with Basic auth", async () => {
    const f = fakeFetch([{ status: 201, body: { sid: SIDS.task } }]);
    assert.equal(
      await rest(f.fn).createTask({
        workflowSid: SIDS.workflow,
        taskChannel: "voicemail",
        attributes: { a: 1 },
      }),
      SIDS.task,
    );
    assert.deepEqual(f.seen, [
      {
        url: `${WS}/Tasks`,
        method: "POST",
        headers: { authorization: AUTH, "content-type": "application/x-www-form-urlencoded" },
        body: `WorkflowSid=${SIDS.workflow}&TaskChannel=voicemail&Attributes=%7B%22a%22%3A1%7D`,
      },
    ]);
  });

  it("lastAgentSid takes the newest task of the caller that an agent took", async () => {
    const f = fakeFetch([
      { status: 200, body: { tasks: [{ sid: "WTnew" }, { sid: "WTold" }] } },
      {
        status: 200,
        body: { reservations: [{ worker_sid: "WKx", reservation_status: "timeout" }] },
      },
      {
        status: 200,
        body: { reservations: [{ worker_sid: "WKy", reservation_status: "completed" }] },
      },
    ]);
    assert.equal(await rest(f.fn).lastAgentSid("+14155550123"), "WKy");
    assert.deepEqual(
      f.seen.map((r) => r.url),
      [
        `${WS}/Tasks?EvaluateTaskAttributes=caller+%3D%3D+%22%2B14155550123%22&AssignmentStatus=wrapping%2Ccompleted&Ordering=DateCreated%3Adesc&PageSize=20`,
        `${WS}/Tasks/WTnew/Reservations?PageSize=50`,
        `${WS}/Tasks/WTold/Reservations?PageSize=50`,
      ],
    );
  });

  it("fetchTask GETs the task (no query) and parses its attributes", async () => {
    const f = fakeFetch([
      { status: 200, body: { assignment_status: "assigned", attributes: '{"caller":"+1"}' } },
    ]);
    assert.deepEqual(await rest(f.fn).fetchTask(SIDS.task), {
      assignmentStatus: "assigned",
      attributes: { caller: "+1" },
    });
    assert.deepEqual(
      f.seen.map((r) => [r.method, r.url, r.body]),
      [["GET", `${WS}/Tasks/${SIDS.task}`, undefined]],
    );
  });

  it("endTask POSTs AssignmentStatus and Reason; setWorkerActivity POSTs ActivitySid", async () => {
    const f = fakeFetch([
      { status: 200, body: {} },
      { status: 200, body: {} },
    ]);
    await rest(f.fn).endTask(SIDS.task, "completed", "callback call ended");
    await rest(f.fn).setWorkerActivity(SIDS.worker, SIDS.wrapUp);
    assert.deepEqual(
      f.seen.map((r) => [r.method, r.url, r.body]),
      [
        [
          "POST",
          `${WS}/Tasks/${SIDS.task}`,
          "AssignmentStatus=completed&Reason=callback+call+ended",
        ],
        ["POST", `${WS}/Workers/${SIDS.worker}`, `ActivitySid=${SIDS.wrapUp}`],
      ],
    );
  });

  it("an error answer throws a TwilioRestError naming the request and status", async () => {
    const f = fakeFetch([{ status: 400, body: { code: 20001, message: "bad" } }]);
    await assert.rejects(
      rest(f.fn).createTask({ workflowSid: SIDS.workflow, taskChannel: "x", attributes: {} }),
      {
        name: "TwilioRestError",
        message: 'POST /Tasks answered 400: {"code":20001,"message":"bad"}',
      },
    );
  });
});
