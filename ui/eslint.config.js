import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./svelte.config.js";

/**
 * Only src/lib/ipc.ts may talk to Tauri; everything else goes through it.
 * @type {import("eslint").Linter.RulesRecord}
 */
const tauriOnlyThroughIpc = {
  "no-restricted-imports": [
    "error",
    {
      paths: [
        {
          name: "@tauri-apps/api",
          message: "Import from src/lib/ipc.ts instead: it is the only module that talks to Tauri.",
        },
      ],
      patterns: [
        {
          group: ["@tauri-apps/api/*", "@tauri-apps/plugin-*"],
          message: "Import from src/lib/ipc.ts instead: it is the only module that talks to Tauri.",
        },
      ],
    },
  ],
};

export default ts.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts", "**/*.svelte.js"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: [".svelte"],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    rules: {
      ...tauriOnlyThroughIpc,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // The IPC module itself, and its test (which mocks @tauri-apps/api/core), are the exceptions.
    files: ["src/lib/ipc.ts", "src/lib/ipc.test.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
