import assert from "node:assert/strict";
import * as fs from "node:fs";
import Ajv from "ajv";
import { parse } from "yaml";
import { renderScenarioSchema, renderStackSchema, run } from "./schema";
import { defaultStackFiles } from "./validate";

describe("stacks/schema.json", () => {
  it("is what `npm run schema` generates from the model", () => {
    const committed = fs.readFileSync("stacks/schema.json", "utf8");
    assert.ok(
      committed === renderStackSchema(),
      "stacks/schema.json differs from the schema generated from infra/taskrouter/model.ts; run `npm run schema`",
    );
  });

  it("reports an up-to-date schema with --check", async () => {
    let output = "";
    const code = await run(["--check"], { write: (text: string) => (output += text) });
    assert.deepEqual(
      { code, output },
      {
        code: 0,
        output: "stacks/schema.json: up to date\nstacks/scenarios/schema.json: up to date\n",
      },
    );
  });

  it("writes stacks/scenarios/schema.json from the scenario schema, which editors apply to the shipped scenarios", () => {
    assert.ok(
      fs.readFileSync("stacks/scenarios/schema.json", "utf8") === renderScenarioSchema(),
      "stacks/scenarios/schema.json differs from the schema in tools/simulate/scenario.ts; run `npm run schema`",
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(renderScenarioSchema()) as object,
    );
    for (const file of ["dev-normal-day.yaml", "dev-peak-hour.yaml"]) {
      const text = fs.readFileSync(`stacks/scenarios/${file}`, "utf8");
      assert.equal(text.split("\n")[0], "# yaml-language-server: $schema=./schema.json");
      assert.equal(validate(parse(text)), true, JSON.stringify(validate.errors));
    }
    assert.equal(validate({ name: "x", handleTime: 60, arrivals: [], colour: 1 }), false);
  });

  it("refuses a value for --check (exit 2)", async () => {
    let output = "";
    const code = await run(["--check=yes"], { write: (text: string) => (output += text) });
    assert.deepEqual(
      { code, output },
      { code: 2, output: "--check takes no value; usage: npm run schema [-- --check]\n" },
    );
  });

  describe("as editors use it", () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(renderStackSchema()) as object,
    );
    const errorsOf = (data: unknown): string[] =>
      validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

    for (const file of defaultStackFiles()) {
      it(`is referenced from the first line of ${file}`, () =>
        assert.equal(
          fs.readFileSync(file, "utf8").split("\n")[0],
          "# yaml-language-server: $schema=./schema.json",
        ));

      it(`accepts ${file} as written`, () =>
        assert.deepEqual(errorsOf(parse(fs.readFileSync(file, "utf8"))), []));
    }

    it("checks a file without extends as a complete stack", () => {
      assert.deepEqual(errorsOf({ workspace: { friendlyName: "W" } }).slice(0, 2), [
        " must have required property 'activities'",
        " must have required property 'defaultActivity'",
      ]);
    });

    it("checks an overlay's keys but lets it omit or null out entries", () => {
      assert.deepEqual(errorsOf({ extends: "dev.yaml", workers: { Alice: null }, phone: {} }), []);
      assert.deepEqual(errorsOf({ extends: "dev.yaml", workspace: { frendlyName: "x" } }), [
        "/workspace must NOT have additional properties",
        "/workspace must be null",
        "/workspace must match a schema in anyOf",
        ' must match "then" schema',
      ]);
    });
  });
});
