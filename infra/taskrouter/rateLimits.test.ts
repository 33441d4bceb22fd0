import assert from "node:assert/strict";
import { DEFAULT_RATE_LIMITS, limitOf, rateLimitBucket, rateLimitsFromConfig } from "./rateLimits";

const WS = `WS${"a".repeat(32)}`;
const WK = `WK${"b".repeat(32)}`;

describe("rate limit buckets (Twilio's resource keys)", () => {
  const table: [string, string, Record<string, string>, string | undefined, number | undefined][] =
    [
      ["GET", "/v1/Workspaces", {}, "account Workspace-List", 50],
      ["POST", "/v1/Workspaces", {}, "account Workspace-Create", 50],
      ["POST", `/v1/Workspaces/${WS}`, {}, `${WS} Workspace-Update`, 50],
      ["POST", `/v1/Workspaces/${WS}/Workers`, {}, `${WS} Worker-Create`, 50],
      ["GET", `/v1/Workspaces/${WS}/Workers/${WK}`, {}, `${WS} Worker-Fetch`, 50],
      ["DELETE", `/v1/Workspaces/${WS}/Workers/${WK}`, {}, `${WS} Worker-Delete`, 50],
      ["GET", `/v1/Workspaces/${WS}/Activities`, {}, `${WS} Activity-List`, 50],
      [
        "GET",
        `/v1/Workspaces/${WS}/Workers`,
        { TargetWorkersExpression: "1==1" },
        `${WS} Worker-List-TargetWorkersExpression`,
        3,
      ],
      [
        "GET",
        `/v1/Workspaces/${WS}/Tasks`,
        { EvaluateTaskAttributes: "a==1" },
        `${WS} Task-List-EvaluateTaskAttributes`,
        3,
      ],
      [
        "GET",
        `/v1/Workspaces/${WS}/TaskQueues`,
        { EvaluateWorkerAttributes: "{}" },
        `${WS} TaskQueue-List-EvaluateWorkerAttributes`,
        3,
      ],
      [
        "GET",
        `/v1/Workspaces/${WS}/TaskQueues/Statistics`,
        {},
        `${WS} TaskQueueStatistics-List`,
        50,
      ],
      ["GET", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json", {}, undefined, undefined],
    ];
  for (const [method, path, query, expected, limit] of table) {
    it(`${method} ${path.replace(/[0-9a-f]{32}/g, "…")} ${JSON.stringify(query)} → ${expected ?? "not limited"}`, () => {
      const bucket = rateLimitBucket(method, path, query);
      assert.equal(bucket && `${bucket.namespace} ${bucket.key}`, expected);
      assert.equal(bucket && limitOf(DEFAULT_RATE_LIMITS, bucket.key), limit);
    });
  }
});

describe("an account's own rate limits (twilio:rateLimits)", () => {
  it("are the built-in limits when the key is absent or empty", () => {
    assert.deepEqual(rateLimitsFromConfig(undefined), { limits: DEFAULT_RATE_LIMITS });
    assert.deepEqual(rateLimitsFromConfig(""), { limits: DEFAULT_RATE_LIMITS });
  });

  it("replace the figures they give and keep the others", () => {
    const result = rateLimitsFromConfig('{"default": 100, "Worker-Create": 200}');
    assert.ok("limits" in result);
    assert.equal(limitOf(result.limits, "Worker-Create"), 200);
    assert.equal(limitOf(result.limits, "Worker-Fetch"), 100);
    assert.equal(limitOf(result.limits, "Worker-List-TargetWorkersExpression"), 3);
  });

  it("name every bad key and value at once", () => {
    assert.deepEqual(
      rateLimitsFromConfig('{"default": 0, "worker create": 5, "Task-Create": 2.5}'),
      {
        problems: [
          "twilio:rateLimits.default must be a whole number of requests per second, at least 1; got 0",
          'twilio:rateLimits: "worker create" is not a resource key as Twilio names them (e.g. Worker-Create, Worker-List-TargetWorkersExpression) nor "default"',
          "twilio:rateLimits.Task-Create must be a whole number of requests per second, at least 1; got 2.5",
        ],
      },
    );
  });

  it("refuse a value that is not a JSON object", () => {
    const usage =
      'twilio:rateLimits must be a JSON object of requests per second by Twilio resource key, e.g. {"default": 100, "Worker-Create": 200}';
    assert.deepEqual(rateLimitsFromConfig("100"), { problems: [`${usage}; got "100"`] });
    assert.deepEqual(rateLimitsFromConfig("{default: 1"), {
      problems: [`${usage}; got "{default: 1", which is not JSON`],
    });
  });
});
