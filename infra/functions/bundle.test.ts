import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildHandlers, checkTwilioInputs, type BuiltBundle } from "./bundle";
import { handlerEnv } from "./config";
import { ROUTES } from "./routes";
import { CONFIG, INCOMING_CALL, handleEvent, twilioEvent } from "./testdata/twilioEvents";
import { WEBHOOKS } from "./webhooks";

/** The budget from issue 6: a correctness limit on what a bundle drags in, not a timing. */
const MAX_BUNDLE_BYTES = 100_000;

describe("buildHandlers", () => {
  let outDir: string;
  let bundles: BuiltBundle[];

  before(async () => {
    // Outside the repository, so a bundle can only work if it is self-contained.
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "handler-bundles-"));
    bundles = await buildHandlers({ outDir });
  });
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it("writes one bundle per route, named after the route", () => {
    assert.deepEqual(
      bundles.map((b) => path.relative(outDir, b.file)),
      ROUTES.map((r) => `${r.name}.js`),
    );
    assert.deepEqual(fs.readdirSync(outDir).sort(), ROUTES.map((r) => `${r.name}.js`).sort());
  });

  it("reports each bundle's real size, and each is at most 100 KB", () => {
    for (const b of bundles) {
      assert.equal(b.bytes, fs.statSync(b.file).size, b.name);
      assert.ok(b.bytes <= MAX_BUNDLE_BYTES, `${b.name} is ${b.bytes} bytes`);
    }
  });

  it("makes every bundle export an async handler", () => {
    for (const b of bundles) {
      const out = execFileSync(
        process.execPath,
        ["-e", `process.stdout.write(String(require(${JSON.stringify(b.file)}).handler))`],
        { encoding: "utf8" },
      );
      assert.match(out, /^async/, b.name);
    }
  });

  it("answers a signed call from the bundle alone exactly as the source does", async () => {
    const event = twilioEvent({ route: "incomingCall", params: INCOMING_CALL });
    const file = path.join(outDir, "incomingCall.js");
    const script = `require(${JSON.stringify(file)}).handler(JSON.parse(process.argv[1]))
      .then((r) => process.stdout.write(JSON.stringify(r)))`;
    const env = handlerEnv({ ...CONFIG, stack: "local" });
    const out = execFileSync(process.execPath, ["-e", script, JSON.stringify(event)], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, ...env },
    });
    const { result: fromSource } = await handleEvent(WEBHOOKS.incomingCall, event, {
      ...CONFIG,
      stack: "local",
    });
    assert.equal(fromSource.statusCode, 200);
    assert.deepEqual(JSON.parse(out), fromSource);
  });
});

describe("checkTwilioInputs", () => {
  it("accepts VoiceResponse, its base class and the webhook helpers", () => {
    const inputs = {
      "node_modules/twilio/lib/twiml/VoiceResponse.js": { bytes: 1, imports: [] },
      "node_modules/twilio/lib/twiml/TwiML.js": { bytes: 1, imports: [] },
      "node_modules/twilio/lib/webhooks/webhooks.js": { bytes: 1, imports: [] },
      "node_modules/xmlbuilder/lib/index.js": { bytes: 1, imports: [] },
      "infra/functions/incomingCall.ts": { bytes: 1, imports: [] },
    };
    assert.deepEqual(checkTwilioInputs({ inputs, outputs: {} }), []);
  });

  it("names every other twilio module that got into a bundle", () => {
    const inputs = {
      "node_modules/twilio/lib/index.js": { bytes: 1, imports: [] },
      "node_modules/twilio/lib/twiml/VoiceResponse.js": { bytes: 1, imports: [] },
      "node_modules/twilio/lib/base/BaseTwilio.js": { bytes: 1, imports: [] },
    };
    assert.deepEqual(checkTwilioInputs({ inputs, outputs: {} }), [
      "node_modules/twilio/lib/base/BaseTwilio.js is bundled, but handlers may import only twilio/lib/twiml/VoiceResponse and twilio/lib/webhooks/webhooks",
      "node_modules/twilio/lib/index.js is bundled, but handlers may import only twilio/lib/twiml/VoiceResponse and twilio/lib/webhooks/webhooks",
    ]);
  });
});
