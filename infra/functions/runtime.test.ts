import assert from "node:assert/strict";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { handlerEnv } from "./config";
import { memoryLogger } from "./log";
import {
  SIGNATURE_VALIDATION_OFF_WARNING,
  readSsmParameter,
  runtimeFromEnv,
  type SsmLike,
} from "./runtime";
import { AUTH_TOKEN, CONFIG } from "./testdata/twilioEvents";

const PARAMETER = "/contact-centre/dev/twilio-auth-token";
const ssmConfig = { ...CONFIG, authToken: { from: "ssm" as const, parameterName: PARAMETER } };

describe("runtimeFromEnv", () => {
  it("reads the environment and the SSM token once per cold start", async () => {
    const reads: string[] = [];
    let envReads = 0;
    const runtime = runtimeFromEnv(
      memoryLogger(),
      () => (envReads++, handlerEnv(ssmConfig)),
      async (name) => (reads.push(name), AUTH_TOKEN),
    );
    const first = await runtime();
    const second = await runtime();
    assert.deepEqual(first, { config: ssmConfig, authToken: AUTH_TOKEN });
    assert.equal(second, first);
    assert.deepEqual(reads, [PARAMETER]);
    assert.equal(envReads, 1);
  });

  it("retries on the next invocation after the token could not be read", async () => {
    let calls = 0;
    const runtime = runtimeFromEnv(
      memoryLogger(),
      () => handlerEnv(ssmConfig),
      async () => {
        calls++;
        if (calls === 1) throw new Error("ThrottlingException: Rate exceeded");
        return AUTH_TOKEN;
      },
    );
    await assert.rejects(runtime(), { message: "ThrottlingException: Rate exceeded" });
    assert.equal((await runtime()).authToken, AUTH_TOKEN);
    assert.equal(calls, 2);
  });

  it("fails with the config error naming the variable", async () => {
    const runtime = runtimeFromEnv(memoryLogger(), () => ({}));
    await assert.rejects(runtime(), {
      name: "HandlerConfigError",
      message:
        "invalid handler configuration: WORKSPACE_SID is not set; WORKFLOW_SID is not set; WRAP_UP_ACTIVITY_SID is not set; CENTRE_NUMBER is not set; PUBLIC_BASE_URL is not set; IVR_MENU is not set; TWILIO_AUTH_TOKEN_PARAMETER is not set (signature validation needs the auth token)",
    });
  });

  it("warns loudly once, at start, when signature validation is off", async () => {
    const log = memoryLogger();
    const off = { ...CONFIG, stack: "local", signatureValidation: false };
    const runtime = runtimeFromEnv(log, () => handlerEnv(off));
    await runtime();
    await runtime();
    assert.deepEqual(log.lines, [
      { level: "warn", msg: SIGNATURE_VALIDATION_OFF_WARNING, stack: "local" },
    ]);
  });
});

describe("readSsmParameter", () => {
  it("asks SSM for the decrypted SecureString value", async () => {
    const sent: unknown[] = [];
    const client: SsmLike = {
      send: async (command) => (sent.push(command), { Parameter: { Value: AUTH_TOKEN } }),
    };
    assert.equal(await readSsmParameter(PARAMETER, client), AUTH_TOKEN);
    assert.equal(sent.length, 1);
    assert.ok(sent[0] instanceof GetParameterCommand);
    assert.deepEqual((sent[0] as GetParameterCommand).input, {
      Name: PARAMETER,
      WithDecryption: true,
    });
  });

  it("fails, naming the parameter, when it has no value", async () => {
    const client: SsmLike = { send: async () => ({ Parameter: {} }) };
    await assert.rejects(readSsmParameter(PARAMETER, client), {
      message: `SSM parameter ${PARAMETER} has no value`,
    });
  });
});
