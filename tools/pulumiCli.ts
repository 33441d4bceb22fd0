// Finds the Pulumi CLI v3.248.0 (with the Node.js language host and the dynamic-provider plugin)
// and describes the environment that keeps the engine offline. The CLI cannot be downloaded here,
// so tools/pulumi-cli/build.sh builds it from Go modules; see tools/pulumi-cli/README.md.
import { execFile, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PulumiCommand } from "@pulumi/pulumi/automation";

export const PULUMI_VERSION = "v3.248.0";
export const BUILD_SCRIPT = path.join(__dirname, "pulumi-cli", "build.sh");
/** Not a secret: it only encrypts secrets of local, throw-away stacks (file backend under .local/). */
export const LOCAL_PASSPHRASE = "local-only-passphrase";

const PLUGINS = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];
/** Written by build.sh next to the language host: the hash of the source it was built from. */
export const HOST_STAMP = ".pulumi-language-nodejs.sha256";

/**
 * SHA-256 (hex) of the language host's source as build.sh stamps it: languagehost/*.go in name
 * order, go.mod, go.sum, concatenated. A cached host with another stamp is out of date.
 */
export function languageHostSourceHash(): string {
  const dir = path.join(__dirname, "pulumi-cli");
  const sources = fs
    .readdirSync(path.join(dir, "languagehost"))
    .filter((f) => f.endsWith(".go"))
    .sort()
    .map((f) => path.join("languagehost", f));
  const hash = crypto.createHash("sha256");
  for (const f of [...sources, "go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(dir, f)));
  return hash.digest("hex");
}
const execFileAsync = promisify(execFile);

export interface PulumiCli {
  /** Directory whose bin/ holds pulumi and its plugins: pass it to PulumiCommand.get({ root }). */
  root: string;
  /** Absolute path of the pulumi binary (root/bin/pulumi). */
  bin: string;
  version: string;
  source: "path" | "cache" | "built";
}

export interface FindPulumiCliOptions {
  /** Build with tools/pulumi-cli/build.sh when nothing usable is found (default true). */
  build?: boolean;
  /** Receives progress lines (build output included). Default: none. */
  log?: (line: string) => void;
}

/** Where build.sh puts the CLI; PULUMI_OFFLINE_ROOT overrides it (same variable as build.sh). */
export function offlineRoot(): string {
  return (
    process.env.PULUMI_OFFLINE_ROOT ??
    path.join(os.homedir(), ".cache", "pulumi-offline", PULUMI_VERSION)
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

async function versionOf(bin: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(bin, ["version"], {
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
      timeout: 30_000,
    });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** Why a `pulumi` on PATH is unusable, or undefined when it is usable. */
async function pathCandidateProblem(bin: string): Promise<string | undefined> {
  const version = await versionOf(bin);
  if (version !== PULUMI_VERSION) {
    return `${bin} reports version ${version ?? "(none)"}, need ${PULUMI_VERSION}`;
  }
  // The engine looks for bundled plugins beside the real path of pulumi, then on PATH.
  const dirs = [path.dirname(bin), path.dirname(fs.realpathSync(bin))];
  const missing = PLUGINS.filter(
    (p) => !dirs.some((d) => isExecutable(path.join(d, p))) && !onPath(p),
  );
  if (missing.length > 0) {
    const are = missing.length > 1 ? "are" : "is";
    return `${bin} is ${PULUMI_VERSION} but ${missing.join(" and ")} ${are} neither beside it nor on PATH`;
  }
  if (path.basename(path.dirname(bin)) !== "bin") {
    // PulumiCommand.get({ root }) runs <root>/bin/pulumi.
    return `${bin} is not in a directory named bin, so it cannot serve as an Automation API root`;
  }
  return undefined;
}

async function cachedBuild(root: string): Promise<boolean> {
  const bin = path.join(root, "bin");
  return (
    ["pulumi", ...PLUGINS].every((f) => isExecutable(path.join(bin, f))) &&
    (await versionOf(path.join(bin, "pulumi"))) === PULUMI_VERSION &&
    hostIsCurrent(bin)
  );
}

/** The cached language host was built from this checkout's source (build.sh rebuilds it if not). */
function hostIsCurrent(bin: string): boolean {
  try {
    return fs.readFileSync(path.join(bin, HOST_STAMP), "utf8").trim() === languageHostSourceHash();
  } catch {
    return false;
  }
}

function runBuild(root: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT], {
      env: { ...process.env, PULUMI_OFFLINE_ROOT: root },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tail: string[] = [];
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString().split("\n")) {
        if (!line) continue;
        log(line);
        tail.push(line);
        if (tail.length > 15) tail.shift();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${BUILD_SCRIPT} failed (${signal ? `signal ${signal}` : `exit ${code}`}):\n${tail.join("\n")}`,
          ),
        );
    });
  });
}

function cliAt(root: string, source: PulumiCli["source"]): PulumiCli {
  return { root, bin: path.join(root, "bin", "pulumi"), version: PULUMI_VERSION, source };
}

function howToInstall(root: string): string {
  return (
    `Install the Pulumi CLI ${PULUMI_VERSION} with its bundled plugins on PATH ` +
    `(online: curl -fsSL https://get.pulumi.com | sh -s -- --version ${PULUMI_VERSION.slice(1)}), ` +
    `or build it offline into ${path.join(root, "bin")} with: bash tools/pulumi-cli/build.sh ` +
    `(needs Go >= 1.25.11 and the Go module proxy; 5-12 minutes on 2 cores the first time).`
  );
}

/**
 * Finds a usable Pulumi CLI v3.248.0: a `pulumi` on PATH with that version and both plugins beside
 * it or on PATH, else the cached offline build, else (unless `build: false`) builds it. Throws an
 * error saying how to install or build the CLI when none of these works.
 */
export async function findPulumiCli(opts: FindPulumiCliOptions = {}): Promise<PulumiCli> {
  const log = opts.log ?? (() => undefined);
  const root = offlineRoot();
  const reasons: string[] = [];

  const onPathBin = onPath("pulumi");
  if (onPathBin) {
    const bin = path.resolve(onPathBin);
    const problem = await pathCandidateProblem(bin);
    if (!problem) {
      return cliAt(path.dirname(path.dirname(bin)), "path");
    }
    reasons.push(problem);
    log(`ignoring ${problem}`);
  } else {
    reasons.push("no pulumi on PATH");
  }

  if (await cachedBuild(root)) {
    return cliAt(root, "cache");
  }
  reasons.push(
    `no complete ${PULUMI_VERSION} build in ${path.join(root, "bin")} ` +
      `(or its language host was built from other source)`,
  );

  if (opts.build ?? true) {
    log(`building the Pulumi CLI ${PULUMI_VERSION} with ${BUILD_SCRIPT}`);
    try {
      await runBuild(root, log);
    } catch (err) {
      throw new Error(
        `Pulumi CLI ${PULUMI_VERSION} not found (${reasons.join("; ")}) and the build failed: ` +
          `${(err as Error).message}\n${howToInstall(root)}`,
      );
    }
    if (await cachedBuild(root)) {
      return cliAt(root, "built");
    }
    reasons.push(`${BUILD_SCRIPT} succeeded but ${path.join(root, "bin")} is still incomplete`);
  }
  throw new Error(
    `Pulumi CLI ${PULUMI_VERSION} not found (${reasons.join("; ")}). ${howToInstall(root)}`,
  );
}

/**
 * Environment for running the engine with no network: a file backend in `stateDir`, the local
 * passphrase for secrets, a private PULUMI_HOME, no update checks and no plugin downloads.
 */
export function offlineEnv(stateDir: string, pulumiHome: string): Record<string, string> {
  return {
    // metadata=skip: the file backend otherwise writes a `.attrs` sidecar per state file with a
    // plain create-then-write; a process killed in between leaves it empty and every later run
    // fails with "failed to load checkpoint: EOF". The state files themselves are renamed into place.
    PULUMI_BACKEND_URL: `file://${path.resolve(stateDir)}?metadata=skip`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    PULUMI_HOME: path.resolve(pulumiHome),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // PULUMI_IGNORE_AMBIENT_PLUGINS is deliberately not set: a CLI found on PATH may have its
    // plugins elsewhere on PATH. PulumiCommand puts <root>/bin first on PATH, so ours win anyway.
  };
}

/**
 * An Automation API command bound to the found CLI (never PulumiCommand.install(): it downloads).
 * No `version` option: findPulumiCli already checked the exact version, and passing one would need
 * a semver.SemVer from a package that is not our dependency.
 */
export function pulumiCommand(cli: PulumiCli): Promise<PulumiCommand> {
  return PulumiCommand.get({ root: cli.root });
}
