import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { DEFAULTS, parseStackConfig, PROJECT, type RawConfig } from "./config";

const ROOT = path.join(__dirname, "..");
const SID = "AC0123456789abcdef0123456789abcdef";
const token = pulumi.secret("tok");

const awsRaw: RawConfig = {
  "twilio:accountSid": SID,
  "aws:region": "us-east-1",
  "contact-centre:webhookHost": "aws",
};

/** The message parseStackConfig throws, or fails when it does not throw. */
function problems(stack: string, raw: RawConfig, authToken: typeof token | undefined) {
  try {
    parseStackConfig(stack, raw, authToken);
  } catch (err) {
    assert.ok(pulumi.RunError.isInstance(err), "a RunError, so pulumi up prints no stack trace");
    return (err as Error).message;
  }
  assert.fail("expected the configuration to be rejected");
}

describe("stack configuration (infra/config.ts)", () => {
  it("reads an AWS stack with the defaults of Pulumi.yaml", () => {
    const { twilio, ...rest } = parseStackConfig("dev", awsRaw, token);
    assert.deepEqual(rest, {
      stack: "dev",
      routingFile: "stacks/dev.yaml",
      webhooks: {
        host: "aws",
        region: "us-east-1",
        lambdaRuntime: "nodejs22.x",
        logRetentionDays: 14,
      },
    });
    assert.equal(twilio.accountSid, SID);
    assert.equal(twilio.authToken, token);
    assert.equal("apiBaseUrl" in twilio, false);
  });

  it("reads the local stack: the webhook host URL without its trailing slash and the local Twilio", () => {
    const config = parseStackConfig(
      "local",
      {
        "twilio:accountSid": "AC00000000000000000000000000000000",
        "twilio:apiBaseUrl": "http://127.0.0.1:4010/",
        "contact-centre:webhookHost": "local",
        "contact-centre:localWebhookBaseUrl": "http://127.0.0.1:3000/",
        "contact-centre:routingFile": "stacks/local.yaml",
      },
      token,
    );
    assert.deepEqual(config.webhooks, { host: "local", baseUrl: "http://127.0.0.1:3000" });
    assert.equal(config.twilio.apiBaseUrl, "http://127.0.0.1:4010");
    assert.equal(config.routingFile, "stacks/local.yaml");
  });

  it("takes nodejs24.x, another retention and another routing file", () => {
    const config = parseStackConfig(
      "staging",
      {
        ...awsRaw,
        "contact-centre:lambdaRuntime": "nodejs24.x",
        "contact-centre:logRetentionDays": "30",
        "contact-centre:routingFile": "stacks/prod.yaml",
      },
      token,
    );
    assert.deepEqual(config.webhooks, {
      host: "aws",
      region: "us-east-1",
      lambdaRuntime: "nodejs24.x",
      logRetentionDays: 30,
    });
    assert.equal(config.routingFile, "stacks/prod.yaml");
  });

  it("tells exactly which command sets a missing auth token", () => {
    assert.equal(
      problems("dev", awsRaw, undefined),
      'invalid configuration for stack "dev" (Pulumi.dev.yaml):\n' +
        "  - twilio:authToken is not set: run `pulumi config set --secret twilio:authToken` (it prompts for the token; never commit it in plaintext)",
    );
  });

  it("lists every problem at once, each naming its key", () => {
    assert.equal(
      problems(
        "dev",
        {
          "twilio:accountSid": "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
          "twilio:apiBaseUrl": "ftp://twilio.local",
          "twilio:rateLimits": '{"Worker-Create": 0}',
          "contact-centre:lambdaRuntime": "nodejs18.x",
          "contact-centre:logRetentionDays": "10",
        },
        token,
      ),
      'invalid configuration for stack "dev" (Pulumi.dev.yaml):\n' +
        '  - twilio:accountSid must be a Twilio Account SID (AC followed by 32 lowercase hex digits), got "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": run `pulumi config set twilio:accountSid AC…`\n' +
        '  - twilio:apiBaseUrl must be an http(s) URL with no query or fragment, got "ftp://twilio.local"\n' +
        "  - twilio:rateLimits.Worker-Create must be a whole number of requests per second, at least 1; got 0\n" +
        '  - contact-centre:lambdaRuntime must be one of nodejs22.x, nodejs24.x, got "nodejs18.x"\n' +
        '  - contact-centre:logRetentionDays must be one of the CloudWatch Logs retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got "10"\n' +
        "  - aws:region is not set: run `pulumi config set aws:region <region>`",
    );
  });

  it("rejects an unknown webhook host, a missing account SID and a bad region", () => {
    assert.equal(
      problems("x", { "contact-centre:webhookHost": "lambda" }, token),
      'invalid configuration for stack "x" (Pulumi.x.yaml):\n' +
        "  - twilio:accountSid is not set: run `pulumi config set twilio:accountSid AC…` with your Twilio Account SID\n" +
        '  - contact-centre:webhookHost must be one of aws, local, got "lambda"',
    );
    assert.equal(
      problems("dev", { ...awsRaw, "aws:region": "Europe" }, token),
      'invalid configuration for stack "dev" (Pulumi.dev.yaml):\n' +
        '  - aws:region must be an AWS region such as eu-west-2, got "Europe"',
    );
  });

  it("refuses the aws webhook host on the stack named local", () => {
    assert.equal(
      problems("local", { ...awsRaw, "contact-centre:webhookHost": "aws" }, token),
      'invalid configuration for stack "local" (Pulumi.local.yaml):\n' +
        "  - contact-centre:webhookHost must be local on the stack named local (it is reserved for the local webhook host)",
    );
  });

  it("needs the local webhook host's URL when the webhook host is local", () => {
    const local = { "twilio:accountSid": SID, "contact-centre:webhookHost": "local" };
    assert.equal(
      problems("local", local, token),
      'invalid configuration for stack "local" (Pulumi.local.yaml):\n' +
        "  - contact-centre:localWebhookBaseUrl is not set but contact-centre:webhookHost is local (the local webhook host, e.g. http://127.0.0.1:3000; `npm start` sets it)",
    );
    assert.equal(
      problems(
        "local",
        { ...local, "contact-centre:localWebhookBaseUrl": "127.0.0.1:3000" },
        token,
      ),
      'invalid configuration for stack "local" (Pulumi.local.yaml):\n' +
        '  - contact-centre:localWebhookBaseUrl must be an absolute http(s) URL, got "127.0.0.1:3000" (the local webhook host, e.g. http://127.0.0.1:3000; `npm start` sets it)',
    );
    assert.equal(
      problems(
        "local",
        { ...local, "contact-centre:localWebhookBaseUrl": "http://127.0.0.1:3000?x" },
        token,
      ),
      'invalid configuration for stack "local" (Pulumi.local.yaml):\n' +
        '  - contact-centre:localWebhookBaseUrl must be an http(s) URL with no query or fragment, got "http://127.0.0.1:3000?x" (the local webhook host, e.g. http://127.0.0.1:3000; `npm start` sets it)',
    );
  });
});

describe("Pulumi project and stack files", () => {
  const read = (file: string) => parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
  const stackFiles = fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

  it("names the project contact-centre, sets no backend and no main, and runs TypeScript", () => {
    const project = read("Pulumi.yaml");
    assert.equal(project.name, PROJECT);
    assert.equal("backend" in project, false);
    assert.equal("main" in project, false);
    assert.deepEqual(project.runtime, {
      name: "nodejs",
      options: { typescript: true, tsconfig: "tsconfig.pulumi.json", packagemanager: "npm" },
    });
  });

  it("declares each project key with the same default infra/config.ts applies", () => {
    const declared = read("Pulumi.yaml").config as Record<
      string,
      { type: string; default: unknown }
    >;
    assert.deepEqual(
      Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, v.default])),
      DEFAULTS,
    );
    assert.deepEqual(Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, v.type])), {
      routingFile: "string",
      webhookHost: "string",
      localWebhookBaseUrl: "string",
      lambdaRuntime: "string",
      logRetentionDays: "integer",
      protect: "boolean",
    });
  });

  it("protects every Twilio object of prod, and of no other stack", () => {
    const protect = (stack: string) =>
      parseStackConfig(
        stack,
        {
          "twilio:accountSid": "AC" + "0".repeat(32),
          "aws:region": "us-east-1",
          ...(stack === "prod" ? { "contact-centre:protect": "true" } : {}),
        },
        pulumi.output("token"),
      ).protect;
    assert.deepEqual([protect("prod"), protect("staging")], [true, undefined]);
    const prod = parse(fs.readFileSync("Pulumi.prod.yaml", "utf8")) as { config: object };
    assert.equal((prod.config as Record<string, unknown>)["contact-centre:protect"], "true");
    assert.throws(
      () =>
        parseStackConfig(
          "dev",
          {
            "twilio:accountSid": "AC" + "0".repeat(32),
            "aws:region": "us-east-1",
            "contact-centre:protect": "yes",
          },
          pulumi.output("token"),
        ),
      { message: /contact-centre:protect must be true or false, got "yes"/ },
    );
  });

  it("has a stack file for dev, staging, prod and local", () => {
    assert.deepEqual(stackFiles.sort(), [
      "Pulumi.dev.yaml",
      "Pulumi.local.yaml",
      "Pulumi.prod.yaml",
      "Pulumi.staging.yaml",
    ]);
  });

  it("commits no auth token, not even encrypted, and nothing else in plaintext under a secret-looking key", () => {
    for (const file of stackFiles) {
      const config = (read(file).config ?? {}) as Record<string, unknown>;
      assert.equal("twilio:authToken" in config, false, `${file} holds twilio:authToken`);
      for (const [key, v] of Object.entries(config)) {
        if (/token|secret|password/i.test(key)) {
          assert.ok(typeof v === "object" && v !== null && "secure" in v, `${file} ${key}`);
        }
      }
    }
  });

  it("passes the configuration checks for every stack once the token is set", () => {
    for (const file of stackFiles) {
      const stack = file.slice("Pulumi.".length, -".yaml".length);
      const raw = Object.fromEntries(
        Object.entries(read(file).config as Record<string, unknown>).map(([k, v]) => [
          k,
          String(v),
        ]),
      );
      // The committed account SID is a placeholder on purpose; the user sets the real one.
      if (stack !== "local") raw["twilio:accountSid"] = SID;
      const config = parseStackConfig(stack, raw, token);
      assert.equal(config.webhooks.host, stack === "local" ? "local" : "aws", file);
    }
  });
});
