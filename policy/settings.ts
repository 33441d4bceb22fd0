// Each stack's choice of enforcement levels and bounds: the `contact-centre:policy` key of
// Pulumi.<stack>.yaml, read by the pack from the stack's configuration (never by editing the pack).
// Pure: the raw value in, validated settings or an error naming the file and key out.
import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { DEFAULT_BOUNDS, type Bounds } from "./rules";

/** Every policy of the pack, in the order docs/policies.md lists them. */
export const POLICY_NAMES = [
  "queues-reachable",
  "routes-end-at-a-worker",
  "no-caller-waits-forever",
  "routing-bounds",
  "worker-contact-uri",
  "ivr-options-routed",
  "lambda-runtime-supported",
  "log-retention-set",
  "auth-token-only-in-ssm",
  "signature-validation-on",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** @pulumi/policy's levels except remediate (no policy here changes a resource). */
export const LEVELS = ["advisory", "mandatory", "disabled"] as const;
export type Level = (typeof LEVELS)[number];

/** The stack config key, `contact-centre:policy`. */
export const POLICY_CONFIG_KEY = "policy";

const LevelSchema = Type.Union(LEVELS.map((l) => Type.Literal(l)));
const BoundSchema = Type.Object(
  { min: Type.Integer(), max: Type.Integer() },
  { additionalProperties: false },
);
const SettingsSchema = Type.Object(
  {
    enforcement: Type.Optional(LevelSchema),
    levels: Type.Optional(
      Type.Object(Object.fromEntries(POLICY_NAMES.map((n) => [n, Type.Optional(LevelSchema)])), {
        additionalProperties: false,
      }),
    ),
    bounds: Type.Optional(
      Type.Object(
        {
          reservationTimeout: Type.Optional(BoundSchema),
          targetTimeout: Type.Optional(BoundSchema),
          priority: Type.Optional(BoundSchema),
          logRetentionDays: Type.Optional(BoundSchema),
          lambdaRuntimes: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
type RawSettings = Static<typeof SettingsSchema>;

export interface PolicySettings {
  levels: Record<PolicyName, Level>;
  bounds: Bounds;
}

/** Without `contact-centre:policy`: every policy advisory, default bounds. */
export const DEFAULT_LEVEL: Level = "advisory";

/**
 * Validates `contact-centre:policy` (undefined = not set). `file` is the stack's
 * Pulumi.<stack>.yaml, for messages. Throws an Error listing every problem.
 */
export function parsePolicySettings(raw: unknown, file: string): PolicySettings {
  const where = `${file} contact-centre:${POLICY_CONFIG_KEY}`;
  const value = raw ?? {};
  if (!Value.Check(SettingsSchema, value)) {
    const problems = [...Value.Errors(SettingsSchema, value)].map(
      (e) => `${e.path || "/"}: ${e.message}`,
    );
    throw new Error(`${where}: ${problems.join("; ")} (see docs/policies.md)`);
  }
  const settings = value as RawSettings;
  const base = settings.enforcement ?? DEFAULT_LEVEL;
  const levels = Object.fromEntries(
    POLICY_NAMES.map((n) => [
      n,
      (settings.levels as Partial<Record<PolicyName, Level>>)?.[n] ?? base,
    ]),
  ) as Record<PolicyName, Level>;
  const bounds: Bounds = { ...DEFAULT_BOUNDS, ...settings.bounds };
  for (const [key, bound] of Object.entries(bounds)) {
    if ("min" in bound && bound.min > bound.max) {
      throw new Error(`${where}: bounds.${key}: min ${bound.min} is greater than max ${bound.max}`);
    }
  }
  return { levels, bounds };
}
