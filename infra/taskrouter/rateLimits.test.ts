import assert from "node:assert/strict";
import { DEFAULT_RATE_LIMITS, limitOf, rateLimitBucket } from "./rateLimits";

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
