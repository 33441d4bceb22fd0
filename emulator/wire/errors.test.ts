import assert from "node:assert/strict";
import { twilioClientFor } from "./client";
import { raw, TEST_ACCOUNT_SID, useEmulator } from "../testing/fixture";

const more = (code: number) => `https://www.twilio.com/docs/errors/${code}`;

describe("emulator errors", () => {
  const fx = useEmulator();
  const tr = () => fx.client.taskrouter.v1;
  let ws: string;
  let queue: string;
  before(async () => {
    ws = (await tr().workspaces.create({ friendlyName: "Errors" })).sid;
    queue = (await tr().workspaces(ws).taskQueues.create({ friendlyName: "Q" })).sid;
  });

  it("answers wrong credentials with 401 / 20003", async () => {
    const bad = twilioClientFor(fx.emu.url, TEST_ACCOUNT_SID, "wrong-token");
    await assert.rejects(bad.taskrouter.v1.workspaces.list(), {
      status: 401,
      code: 20003,
      message: "Authenticate",
      moreInfo: more(20003),
    });
    const none = await raw(fx.emu, "GET", "/v1/Workspaces", { auth: null });
    assert.deepEqual(none, {
      status: 401,
      body: { code: 20003, message: "Authenticate", more_info: more(20003), status: 401 },
    });
  });

  it("answers an unknown resource with 404 / 20404 naming the path", async () => {
    const sid = "WK" + "0".repeat(32);
    await assert.rejects(tr().workspaces(ws).workers(sid).fetch(), {
      status: 404,
      code: 20404,
      message: `The requested resource /Workspaces/${ws}/Workers/${sid} was not found`,
    });
    const other = "WS" + "f".repeat(32);
    await assert.rejects(tr().workspaces(other).activities.list(), {
      status: 404,
      code: 20404,
      message: `The requested resource /Workspaces/${other} was not found`,
    });
  });

  it("answers an unknown route with 404 / 20404, never a default success", async () => {
    assert.deepEqual(await raw(fx.emu, "GET", "/v1/Nothing"), {
      status: 404,
      body: {
        code: 20404,
        message: "The requested resource /Nothing was not found",
        more_info: more(20404),
        status: 404,
      },
    });
    assert.equal((await raw(fx.emu, "POST", "/")).status, 404);
    assert.equal(
      (await raw(fx.emu, "GET", `/v1/Workspaces/${ws}/Activities/Statistics`)).status,
      404,
    );
  });

  it("answers a known route with another method with 405 / 20004", async () => {
    assert.deepEqual(await raw(fx.emu, "DELETE", "/v1/Workspaces"), {
      status: 405,
      body: { code: 20004, message: "Method not allowed", more_info: more(20004), status: 405 },
    });
    assert.equal((await raw(fx.emu, "PUT", `/v1/Workspaces/${ws}`)).status, 405);
  });

  const invalid: Array<[string, () => Promise<unknown>, string | (() => string)]> = [
    [
      "a missing FriendlyName",
      () =>
        raw(fx.emu, "POST", "/v1/Workspaces", {
          body: "Template=FIFO",
          contentType: "application/x-www-form-urlencoded",
        }).then((r) => {
          throw Object.assign(new Error((r.body as { message: string }).message), r.body);
        }),
      "Missing required parameter FriendlyName in the post body",
    ],
    [
      "a FriendlyName over 64 characters",
      () =>
        tr()
          .workspaces(ws)
          .activities.create({ friendlyName: "x".repeat(65) }),
      "Invalid FriendlyName: must be at most 64 characters",
    ],
    [
      "an unknown Template",
      () => tr().workspaces.create({ friendlyName: "T", template: "LIFO" }),
      'Invalid Template: "LIFO" is not one of NONE, FIFO',
    ],
    [
      "attributes that are not JSON",
      () => tr().workspaces(ws).workers.create({ friendlyName: "j", attributes: "{nope" }),
      "Invalid Attributes: not valid JSON",
    ],
    [
      "attributes over 4096 characters",
      () =>
        tr()
          .workspaces(ws)
          .workers.create({
            friendlyName: "big",
            attributes: JSON.stringify({ a: "x".repeat(4090) }),
          }),
      "Invalid Attributes: 4098 characters exceeds the limit of 4096",
    ],
    [
      "a worker name that differs only in case",
      async () => {
        await tr().workspaces(ws).workers.create({ friendlyName: "Dup" });
        return tr().workspaces(ws).workers.create({ friendlyName: "dUP" });
      },
      () => `Worker with FriendlyName 'dUP' already exists in workspace ${ws}`,
    ],
    [
      "an unparsable TargetWorkers expression",
      () =>
        tr().workspaces(ws).taskQueues.create({ friendlyName: "bad", targetWorkers: "skills HAS" }),
      "Invalid TargetWorkers: ",
    ],
    [
      "MaxReservedWorkers above 50",
      () => tr().workspaces(ws).taskQueues.create({ friendlyName: "m", maxReservedWorkers: 51 }),
      "Invalid MaxReservedWorkers: 51 is outside 1..50",
    ],
    [
      "a workflow configuration that is not JSON",
      () =>
        tr().workspaces(ws).workflows.create({ friendlyName: "w", configuration: "task-routing:" }),
      "Invalid Configuration: not valid JSON",
    ],
    [
      "a workflow configuration without task_routing",
      () => tr().workspaces(ws).workflows.create({ friendlyName: "w", configuration: "{}" }),
      "Invalid Configuration: task_routing: must be an object",
    ],
    [
      "a workflow target queue that does not exist",
      () =>
        tr()
          .workspaces(ws)
          .workflows.create({
            friendlyName: "w",
            configuration: JSON.stringify({
              task_routing: { default_filter: { queue: "WQ" + "9".repeat(32) } },
            }),
          }),
      `Invalid Configuration: task_routing.default_filter.queue: task queue WQ${"9".repeat(32)} not found in workspace `,
    ],
    [
      "a workflow filter expression that does not parse",
      () =>
        tr()
          .workspaces(ws)
          .workflows.create({
            friendlyName: "w",
            configuration: JSON.stringify({
              task_routing: { filters: [{ expression: "a ==", targets: [{ queue }] }] },
            }),
          }),
      "Invalid Configuration: task_routing.filters[0].expression: ",
    ],
    [
      "a change of an activity's Available",
      async () => {
        const a = await tr()
          .workspaces(ws)
          .activities.create({ friendlyName: "Imm", available: true });
        return fx.client
          .request({
            method: "post",
            uri: `${fx.emu.url}/v1/Workspaces/${ws}/Activities/${a.sid}`,
            data: { Available: "false" },
          })
          .then((r) => {
            if (r.statusCode >= 400)
              throw Object.assign(new Error((r.body as { message: string }).message), r.body);
            return r;
          });
      },
      "Available cannot be changed after the activity is created",
    ],
    [
      "a change of a workspace's Template",
      () =>
        fx.client
          .request({
            method: "post",
            uri: `${fx.emu.url}/v1/Workspaces/${ws}`,
            data: { Template: "FIFO" },
          })
          .then((r) => {
            if (r.statusCode >= 400)
              throw Object.assign(new Error((r.body as { message: string }).message), r.body);
            return r;
          }),
      "Template cannot be changed after the workspace is created",
    ],
    [
      "a cancel without a Reason",
      async () => {
        const wf = await tr()
          .workspaces(ws)
          .workflows.create({
            friendlyName: "only",
            configuration: JSON.stringify({ task_routing: { default_filter: { queue } } }),
          });
        const t = await tr().workspaces(ws).tasks.create({ workflowSid: wf.sid });
        return tr().workspaces(ws).tasks(t.sid).update({ assignmentStatus: "canceled" });
      },
      "Missing required parameter Reason when setting AssignmentStatus to canceled",
    ],
  ];
  for (const [what, call, expected] of invalid) {
    it(`refuses ${what} with 400 / 20001`, async () => {
      const message = typeof expected === "function" ? expected() : expected;
      await assert.rejects(call(), (err: { status: number; code: number; message: string }) => {
        assert.equal(err.status, 400);
        assert.equal(err.code, 20001);
        if (message.endsWith(" ")) assert.ok(err.message.startsWith(message), err.message);
        else assert.equal(err.message, message);
        return true;
      });
    });
  }

  it("reports expression errors with the parser's column", async () => {
    await assert.rejects(
      tr().workspaces(ws).workers.list({ targetWorkersExpression: "a ==" }),
      (err: Error) => {
        assert.match(err.message, /^Invalid TargetWorkersExpression: .* at column \d+$/);
        return true;
      },
    );
  });

  describe("refusals", () => {
    it("refuses to delete the workspace default or timeout activity and a worker's current activity", async () => {
      const w = await tr().workspaces(ws).fetch();
      await assert.rejects(tr().workspaces(ws).activities(w.defaultActivitySid).remove(), {
        status: 400,
        code: 20001,
        message: `Cannot delete activity ${w.defaultActivitySid}: it is the workspace's default activity`,
      });
      const avail = (await tr().workspaces(ws).activities.list({ friendlyName: "Available" }))[0];
      await tr().workspaces(ws).update({ timeoutActivitySid: avail.sid });
      const worker = await tr()
        .workspaces(ws)
        .workers.create({ friendlyName: "busy", activitySid: avail.sid });
      await assert.rejects(tr().workspaces(ws).activities(avail.sid).remove(), {
        status: 400,
        code: 20001,
        message: `Cannot delete activity ${avail.sid}: it is the workspace's timeout activity`,
      });
      await tr().workspaces(ws).update({ timeoutActivitySid: w.defaultActivitySid });
      await assert.rejects(tr().workspaces(ws).activities(avail.sid).remove(), {
        status: 400,
        code: 20001,
        message: `Cannot delete activity ${avail.sid}: it is the current activity of worker ${worker.sid}`,
      });
    });

    it("refuses to delete a task queue a workflow refers to", async () => {
      const q = await tr().workspaces(ws).taskQueues.create({ friendlyName: "Referenced" });
      const wf = await tr()
        .workspaces(ws)
        .workflows.create({
          friendlyName: "Refers",
          configuration: JSON.stringify({
            task_routing: { filters: [{ expression: "1==1", targets: [{ queue: q.sid }] }] },
          }),
        });
      await assert.rejects(tr().workspaces(ws).taskQueues(q.sid).remove(), {
        status: 400,
        code: 20001,
        message: `Cannot delete task queue ${q.sid}: workflow ${wf.sid} refers to it`,
      });
      await tr().workspaces(ws).workflows(wf.sid).remove();
      assert.equal(await tr().workspaces(ws).taskQueues(q.sid).remove(), true);
    });

    it("refuses to delete a worker with a pending reservation", async () => {
      const wf = (await tr().workspaces(ws).workflows.list({ friendlyName: "only" }))[0];
      const t = await tr().workspaces(ws).tasks.create({ workflowSid: wf.sid });
      const w = await tr().workspaces(ws).workers.create({ friendlyName: "reserved" });
      const r = fx.emu.store.createReservation(ws, t.sid, w.sid);
      await assert.rejects(tr().workspaces(ws).workers(w.sid).remove(), {
        status: 400,
        code: 20001,
        message: `Cannot delete worker ${w.sid}: reservation ${r.sid} is pending`,
      });
      fx.emu.store.updateTask(ws, t.sid, { assignmentStatus: "canceled", reason: "cleanup" });
    });

    it("refuses a stale If-Match with 412", async () => {
      const w = await tr().workspaces(ws).workers.create({ friendlyName: "etag" });
      await tr().workspaces(ws).workers(w.sid).update({ attributes: '{"a":1}' });
      await assert.rejects(
        tr().workspaces(ws).workers(w.sid).update({ attributes: '{"a":2}', ifMatch: '"0"' }),
        {
          status: 412,
          code: 20412,
          message: 'Precondition failed: If-Match "0" does not match the current ETag "1"',
        },
      );
      const ok = await tr()
        .workspaces(ws)
        .workers(w.sid)
        .update({ attributes: '{"a":2}', ifMatch: '"1"' });
      assert.equal(ok.attributes, '{"a":2}');
    });
  });

  describe("malformed requests", () => {
    it("never answers garbage with a 5xx", async () => {
      const bodies: Array<[string, string | Buffer]> = [
        ["application/x-www-form-urlencoded", "%%%&&&==%ZZ&FriendlyName=%E0%A4%A"],
        ["application/x-www-form-urlencoded", Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80])],
        ["application/json", '{"FriendlyName": "json"}'],
        ["text/plain", "\u0000\u0001garbage"],
        ["application/x-www-form-urlencoded", "FriendlyName=a&FriendlyName=b"],
        ["application/x-www-form-urlencoded", "Attributes=" + "x".repeat(5000)],
      ];
      const paths = [
        "/v1/Workspaces",
        `/v1/Workspaces/${ws}`,
        `/v1/Workspaces/${ws}/Workers`,
        `/v1/Workspaces/${ws}/Workflows`,
        `/v1/Workspaces/${ws}/Tasks`,
        `/v1/Workspaces/%E0%A4%A/Workers`,
        `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/IncomingPhoneNumbers/PN%ZZ.json`,
      ];
      for (const path of paths) {
        for (const [contentType, body] of bodies) {
          const res = await raw(fx.emu, "POST", path, { body, contentType });
          assert.ok(res.status < 500, `${path} ${contentType}: ${res.status}`);
          if (res.status >= 400) assert.equal((res.body as { status: number }).status, res.status);
        }
      }
      const weird = await raw(
        fx.emu,
        "GET",
        `/v1/Workspaces/${ws}/Workers?PageSize=abc&PageToken=%%`,
      );
      assert.equal(weird.status, 400);
      const token = await raw(fx.emu, "GET", `/v1/Workspaces/${ws}/Workers?PageToken=PTnotbase64`);
      assert.deepEqual(token.body, {
        code: 20001,
        message: 'Invalid PageToken: "PTnotbase64"',
        more_info: more(20001),
        status: 400,
      });
    });

    it("refuses a form body with broken percent-encoding or raw bytes", async () => {
      for (const body of [
        "FriendlyName=%E0%A4%A",
        "FriendlyName=%ZZ",
        Buffer.from([0x46, 0x3d, 0xff]),
      ]) {
        const res = await raw(fx.emu, "POST", "/v1/Workspaces", {
          body,
          contentType: "application/x-www-form-urlencoded",
        });
        assert.equal(res.status, 400);
        assert.match((res.body as { message: string }).message, /^Malformed form body: /);
      }
    });

    it("refuses a body that is not form-encoded", async () => {
      const res = await raw(fx.emu, "POST", "/v1/Workspaces", {
        body: '{"FriendlyName":"x"}',
        contentType: "application/json",
      });
      assert.deepEqual(res.body, {
        code: 20001,
        message: 'Content-Type must be application/x-www-form-urlencoded, not "application/json"',
        more_info: more(20001),
        status: 400,
      });
    });

    it("refuses an unknown list filter instead of ignoring it", async () => {
      const res = await raw(fx.emu, "GET", `/v1/Workspaces/${ws}/Activities?Colour=red`);
      assert.equal(res.status, 400);
      assert.equal((res.body as { message: string }).message, "Unknown query parameter Colour");
    });
  });
});
