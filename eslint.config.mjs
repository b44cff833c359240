import tseslint from "typescript-eslint";
import jest from "eslint-plugin-jest";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "cdktf.out.staging-*/", ".gen/", "coverage/", "jest.config.js", "jest.browser.config.js"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // The provider packages' root index loads every resource class (~6 s and ~1 GB per synth).
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@cdktf/provider-[a-z-]+$",
              message: "Import the resource by its deep path, e.g. @cdktf/provider-aws/lib/s3-bucket.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // Loaded on first use, so a synth whose inputs hit the caches never loads them (config/validated-cache.ts).
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^zod$", "^yaml$", "^\\./schema$", "^\\./yaml$"] }],
    },
  },
  {
    // Plain CommonJS helpers (the benchmark's preload).
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts"],
    ...jest.configs["flat/recommended"],
    rules: {
      ...jest.configs["flat/recommended"].rules,
      "jest/valid-expect": "error",
      // Tests read synthesized Terraform JSON, which is untyped by nature.
      "@typescript-eslint/no-explicit-any": "off",
      "jest/no-disabled-tests": "error",
      "jest/no-focused-tests": "error",
      "jest/expect-expect": ["error", { assertFunctionNames: ["expect", "expect*"] }],
    },
  },
);
