// ESLint with typescript-eslint's recommended rules; formatting is Prettier's job, types are tsc's.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".local/"] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `const { key: _, ...rest } = obj` is how we drop a key without mutating.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    // Pulumi serializes dynamic providers' closures: modules are required inside the methods (or
    // from a root known only at run time) so no client, secret or implementation is captured.
    // See docs/providers.md.
    files: [
      "infra/taskrouter/providers/thin.ts",
      "infra/taskrouter/providers/engineFixture/index.ts",
      "infra/taskrouter/twilioClient.ts",
      "tools/pulumi-cli/fixture/index.ts",
    ],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The one plain JavaScript file: CommonJS, loaded by Node before ts-node is registered.
    files: ["infra/taskrouter/providers/load.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // `export =` (one default export, so Pulumi reads only the outputs) carries its types in a
    // declared namespace.
    files: ["infra/index.ts"],
    rules: { "@typescript-eslint/no-namespace": ["error", { allowDeclarations: true }] },
  },
);
