import assert from "node:assert/strict";
import { routes } from "./routes";
import { openApi, raw, TEST_ACCOUNT_SID, useEmulator } from "../testing/fixture";

describe("emulator OpenAPI check", () => {
  it("maps every route the emulator serves to an operation of Twilio's specs", () => {
    const api = openApi();
    const unmapped = routes.filter((r) => !api.byTemplate(r.method, r.template));
    assert.deepEqual(
      unmapped.map((r) => `${r.method} ${r.template}`),
      [],
    );
    const concrete = (t: string) =>
      t.replace(/\{[A-Za-z]+\}/g, (m) => `${m.slice(1, 3).toUpperCase()}${"0".repeat(32)}`);
    for (const r of routes) {
      assert.equal(
        api.find(r.method, concrete(r.template))?.template,
        r.template,
        `${r.method} ${r.template}`,
      );
    }
  });

  it("serves the core TaskRouter and IncomingPhoneNumber operations", () => {
    const api = openApi();
    const served = new Set(routes.map((r) => api.byTemplate(r.method, r.template)?.operationId));
    for (const kind of ["Workspace", "Activity", "Worker", "TaskQueue", "Workflow", "Task"]) {
      for (const verb of ["Create", "Fetch", "Update", "Delete", "List"]) {
        assert.ok(served.has(`${verb}${kind}`), `${verb}${kind}`);
      }
    }
    for (const id of [
      "ListTaskReservation",
      "FetchTaskReservation",
      "UpdateTaskReservation",
      "ListWorkerReservation",
      "FetchWorkerReservation",
      "UpdateWorkerReservation",
      "ListIncomingPhoneNumber",
      "FetchIncomingPhoneNumber",
      "UpdateIncomingPhoneNumber",
    ]) {
      assert.ok(served.has(id), id);
    }
  });

  describe("on real responses", () => {
    const fx = useEmulator();

    // The route table is what the server dispatches through; this probes the running server with
    // every operation of both specs, so a Twilio path answered outside the table (or by another
    // operation's route) fails here, not only a table entry missing from the specs.
    it("answers exactly the operations its route table maps, and 404/405 for every other one", async () => {
      const api = openApi();
      const ws = (await fx.client.taskrouter.v1.workspaces.create({ friendlyName: "Probe" })).sid;
      const concrete = (t: string) =>
        t.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) =>
          name === "AccountSid"
            ? TEST_ACCOUNT_SID
            : name === "WorkspaceSid"
              ? ws
              : `${name.slice(0, 2).toUpperCase()}${"0".repeat(32)}`,
        );
      const served: string[] = [];
      const unexpected: string[] = [];
      for (const op of api.operations) {
        const path = concrete(op.template);
        await raw(fx.emu, op.method, path);
        const rec = fx.emu.records.at(-1);
        assert.ok(rec && rec.path === path, `${op.method} ${path} was recorded`);
        const code = (rec.response as { code?: number } | null)?.code;
        if (rec.route === op.template) served.push(op.operationId);
        else if (!(rec.status === 404 && code === 20404) && !(rec.status === 405 && code === 20004))
          unexpected.push(`${op.operationId} → ${rec.status} via ${rec.route ?? "no route"}`);
      }
      assert.deepEqual(unexpected, []);
      assert.deepEqual(
        served.sort(),
        routes.map((r) => api.byTemplate(r.method, r.template)?.operationId).sort(),
      );
    });

    it("accepts what the emulator sends and names the operation and field of a violation", async () => {
      const ws = await fx.client.taskrouter.v1.workspaces.create({ friendlyName: "Schema" });
      const rec = fx.emu.records.at(-1);
      assert.ok(rec);
      const body = rec.response as Record<string, unknown>;
      const api = openApi();
      assert.deepEqual(api.check("POST", "/v1/Workspaces", 201, body), []);
      const { friendly_name: _drop, ...missing } = body;
      void _drop;
      assert.deepEqual(api.check("POST", "/v1/Workspaces", 201, missing), [
        "CreateWorkspace (POST /v1/Workspaces): field /friendly_name (missing) must have required property 'friendly_name'",
      ]);
      assert.deepEqual(api.check("POST", "/v1/Workspaces", 201, { ...body, colour: "red" }), [
        "CreateWorkspace (POST /v1/Workspaces): field /colour (undeclared) must NOT have additional properties",
      ]);
      assert.deepEqual(
        api.check("GET", `/v1/Workspaces/${ws.sid}`, 200, { ...body, multi_task_enabled: "yes" }),
        [
          `FetchWorkspace (GET /v1/Workspaces/${ws.sid}): field /multi_task_enabled must be boolean,null`,
        ],
      );
      assert.deepEqual(api.check("POST", "/v1/Workspaces", 200, body), [
        "CreateWorkspace (POST /v1/Workspaces): status 200, the spec declares 201",
      ]);
      assert.deepEqual(
        api.check("DELETE", "/v1/Workspaces/WS1", 404, { code: 20404, message: "x", status: 404 }),
        [
          "DeleteWorkspace (DELETE /v1/Workspaces/WS1): error body fields are code,message,status",
          "DeleteWorkspace (DELETE /v1/Workspaces/WS1): field /more_info is undefined",
        ],
      );
    });
  });
});
