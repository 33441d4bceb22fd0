// The layout rules of docs/CONTRIBUTING.md, checked on every import so that a change cannot break them
// quietly: the emulator's layers, its one public entry, the program not importing a command, and the
// size limit on production files.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const MAX_PRODUCTION_LINES = 600;

/** Left to right: a layer imports only layers to its right; `errors.ts` is ground for all. */
const EMULATOR_LAYERS = ["testing", "wire", "voice", "taskrouter", "state"];

function trackedTypeScript(): string[] {
  return execFileSync("git", ["ls-files", "*.ts"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "");
}

/** Repository-relative targets of a file's relative imports (without extension). */
function relativeImports(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
}

/** The emulator layer of a repository path, "errors" or "index" for the two root files, else null. */
function emulatorPart(target: string): string | null {
  const m = /^emulator\/(?:([a-z]+)\/|(errors|index)(?:\.ts)?$)/.exec(target);
  if (m === null) return null;
  return m[1] ?? m[2];
}

const isTest = (file: string) => file.endsWith(".test.ts");

describe("house rules", () => {
  const files = trackedTypeScript();

  it("each emulator layer imports only the layers to its right and errors.ts", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = emulatorPart(file);
      // Tests drive a layer through any other (most go over HTTP): the rule is for production code.
      if (from === null || from === "index" || from === "errors" || isTest(file)) continue;
      for (const target of relativeImports(file)) {
        const to = emulatorPart(target);
        if (to === null || to === "errors" || to === from) continue;
        const allowed =
          to === "index"
            ? from === "testing"
            : EMULATOR_LAYERS.indexOf(to) > EMULATOR_LAYERS.indexOf(from);
        if (!allowed) violations.push(`${file} imports ${target}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it("code outside the emulator imports it only through emulator/index.ts or emulator/testing", () => {
    const violations: string[] = [];
    for (const file of files) {
      if (file.startsWith("emulator/")) continue;
      for (const target of relativeImports(file)) {
        if (!target.startsWith("emulator/") && target !== "emulator") continue;
        if (target === "emulator" || target === "emulator/testing") continue;
        violations.push(`${file} imports ${target}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it("the Pulumi program and the Lambda handlers never import a command", () => {
    const violations = files
      .filter((f) => (f.startsWith("infra/") || f.startsWith("policy/")) && !isTest(f))
      .flatMap((f) => relativeImports(f).map((target) => ({ f, target })))
      .filter(({ target }) => target.startsWith("tools/"))
      .map(({ f, target }) => `${f} imports ${target}`);
    assert.deepEqual(violations, []);
  });

  it(`no production file is over ${MAX_PRODUCTION_LINES} lines`, () => {
    const tooLong = files
      .filter((f) => !isTest(f))
      .map((f) => ({
        f,
        lines: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length - 1,
      }))
      .filter(({ lines }) => lines > MAX_PRODUCTION_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    assert.deepEqual(tooLong, []);
  });
});
