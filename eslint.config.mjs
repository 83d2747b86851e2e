// Lint for the extension, the CLI, the child processes, the webviews, the tests and the benchmarks.
// Two jobs: type-aware checks that catch what tsc lets through (a promise nobody awaits, an `any` that
// switches type checking off), and the layers — which folder may import which — so that a wrong import
// is an error in the editor where it is written. Layers are named by folder and glob, never by file,
// so files can move within a folder without touching this file.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------
// Packages that only one layer may load. Each is forbidden as a static import (no-restricted-imports),
// a require() and an import() (no-restricted-syntax), in the folders listed further down.

/**
 * `module` is a regular expression on the import's text; `loose` is the same without "/" (selectors
 * of no-restricted-syntax cannot hold one), matching "/" with ".".
 */
const PACKAGES = {
  vscode: {
    module: '^vscode$',
    loose: '^vscode$',
    typesToo: true,
    message:
      'Only src/vscode/ uses the VS Code API. Core, the child processes, the CLI and the webviews take what they need as parameters (effect interfaces), so they run and test without VS Code.',
  },
  tfjs: {
    // Its package.json (the version, inlined at build time) loads nothing.
    module: '^@tensorflow/tfjs(-[a-z0-9-]+)?(/(?!package\\.json$).*)?$',
    loose: '^@tensorflow.tfjs(-[a-z0-9-]+)?$',
    typesToo: false,
    message:
      'TensorFlow.js loads only in the child processes (src/child/), which run lab code: the extension host and the CLI stay small and never block on it. Import its types with `import type`.',
  },
  queueLibraries: {
    module: '^(bullmq|ioredis)(/.*)?$',
    loose: '^(bullmq|ioredis)(.*)?$',
    typesToo: true,
    message: 'BullMQ and ioredis load only in src/core/queue/, which the rest loads with import() when a Redis URL is given.',
  },
  queueEntry: {
    // The queue's entry, imported statically from outside it (a relative path ending in core/queue or queue).
    module: '^(\\.{1,2}/)+(core/)?queue(/index)?$',
    loose: null, // import() is the way to load it
    typesToo: false,
    message:
      "A static import of the queue's entry puts BullMQ in the extension's and the CLI's bundles: load it with `await import(...)` when a Redis URL is given (types: `import type`).",
  },
};

/** no-restricted-imports and no-restricted-syntax for the packages a folder may not load. */
function packageRules(...names) {
  const chosen = names.map((n) => PACKAGES[n]);
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { patterns: chosen.map((p) => ({ regex: p.module, message: p.message, allowTypeImports: !p.typesToo })) },
    ],
    'no-restricted-syntax': [
      'error',
      ...chosen
        .filter((p) => p.loose)
        .flatMap((p) => [
          { selector: `CallExpression[callee.name='require'][arguments.0.value=/${p.loose}/]`, message: p.message },
          { selector: `ImportExpression[source.value=/${p.loose}/]`, message: p.message },
        ]),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Folders that may not import one another (resolved paths, so relative imports count wherever the
// importing file sits). `from` and `target` are globs from the repository's root.

/** Modules of src/core the webviews may import: protocols, view models, and pure code with no Node. */
const WEBVIEW_SHARED = [
  '**/src/core/**/*{Protocol,protocol,Model,model}*.ts',
  '**/src/core/**/{protocol,model}/**',
  '**/src/core/**/*{Report,report}*.ts',
  '**/src/core/**/*{smoothing,Smoothing,format,Format}*.ts',
  // The rule for logging dropped messages, shared by the hosts and the pages.
  '**/src/core/droppedMessages.ts',
  // The dashboard's browser-safe pieces shared with its page (schemas, columns, axes).
  '**/src/core/dashboard/{records,epochColumns,yAxis,studyModel}.ts',
  // The playground's pure engine (the webview trains in the page too); not its host, which forks.
  '**/src/core/playground/{config,datasets,features,network,networkKernels,presets,session}.ts',
];

const LAYER_ZONES = [
  {
    target: ['src/core/**', 'src/child/**', 'src/cli/**', 'media/**'],
    from: ['src/vscode/**'],
    message: 'Only the extension (src/vscode/) wires VS Code; the other layers never import it.',
  },
  {
    target: ['src/core/**'],
    from: ['src/cli/**', 'src/child/**'],
    message:
      'src/core/ is shared by the extension, the CLI and the child processes: it imports none of them (it talks to the children through its protocol modules).',
  },
  {
    target: ['src/child/**'],
    from: ['src/cli/**'],
    message: 'The child processes run lab code: they import src/core/ and their own folder only.',
  },
  {
    target: ['src/cli/**', 'src/vscode/**'],
    from: ['src/child/**'],
    message: 'The front ends run lab code in a child process through the hosts in src/core/, never in their own process.',
  },
  {
    target: ['src/vscode/**'],
    from: ['src/cli/**'],
    message: 'The extension and the CLI are two front ends over src/core/: what they share belongs in src/core/.',
  },
  {
    target: ['src/child/learner/**'],
    from: ['src/child/evaluator/**'],
    message: "The learner's process runs untrusted code and shares nothing with the evaluator but src/child/common/.",
  },
  {
    target: ['src/child/evaluator/**'],
    from: ['src/child/learner/**'],
    message: "The evaluator never loads the learner's code or its modules: what both need lives in src/child/common/.",
  },
  {
    target: ['media/**'],
    from: ['src/**'],
    except: WEBVIEW_SHARED,
    message:
      'The webviews run in a browser page: from src/ they import only protocols, view models and pure modules of src/core/ (see WEBVIEW_SHARED in eslint.config.mjs).',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-artifacts/**',
      'bench/results/**',
      // Course content: the learner's starter code and the lab authors' solutions, checked by the labs'
      // own tsconfig and by the course checks, not part of the extension's code.
      'lab-templates/**',
      // Learner code and hostile folders the tests feed the runner: wrong on purpose.
      'test/fixtures/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Plain JavaScript: the build and packaging scripts (CommonJS, Node).
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
  },

  // TypeScript, type-aware: the extension, CLI, child processes, tests and benchmarks share one program
  // (test/tsconfig.json includes src/ and bench/); the webviews have their own (DOM, no Node).
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: { project: ['./test/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // A `_`-prefixed name is unused on purpose (a rest destructuring that drops fields, a parameter
      // an interface requires).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A `let` that callbacks created before its assignment read (and check for undefined) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Off: the code writes `!` after index reads it knows are in range (as if noUncheckedIndexedAccess
      // were on: ~310 of them); the rule calls each unnecessary. Turn on with that compiler option.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Off: an `async` callback that satisfies a Promise-returning interface (test stubs, `metricsOf`)
      // is deliberate — it turns a throw into a rejection — and needs no `await`.
      '@typescript-eslint/require-await': 'off',
      // Off: require() is how heavy or optional modules load on first use (TensorFlow.js and its
      // backends in the children, esbuild, yaml, the extension's main bundle), always cast to
      // `typeof import(...)`. What a layer may require is checked by the package rules below.
      '@typescript-eslint/no-require-imports': 'off',
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: LAYER_ZONES }],
    },
  },
  // Size: a file a reader can hold in mind, a function that does one thing. Blank lines and comments
  // count, as `wc -l` counts them.
  {
    files: ['src/**/*.ts', 'media/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    files: ['media/**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./media/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The webviews are bundled for a browser page: no Node built-ins.
      'import-x/no-nodejs-modules': 'error',
    },
  },

  // The packages each layer may not load (one block per folder: a later block's options for the same
  // rule replace an earlier one's, so the folders do not overlap).
  { files: ['src/vscode/**/*.ts'], rules: packageRules('tfjs', 'queueLibraries', 'queueEntry') },
  { files: ['src/core/queue/**/*.ts'], rules: packageRules('vscode', 'tfjs') },
  { files: ['src/core/**/*.ts'], ignores: ['src/core/queue/**'], rules: packageRules('vscode', 'tfjs', 'queueLibraries', 'queueEntry') },
  { files: ['src/child/**/*.ts'], rules: packageRules('vscode', 'queueLibraries', 'queueEntry') },
  { files: ['src/cli/**/*.ts'], rules: packageRules('vscode', 'tfjs', 'queueLibraries', 'queueEntry') },
  { files: ['media/**/*.ts'], rules: packageRules('vscode', 'tfjs', 'queueLibraries') },
);
