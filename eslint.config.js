// ESLint flat config: typescript-eslint recommended rules plus the architecture's import boundaries.
import tseslint from 'typescript-eslint';

const LAYERS = ['model', 'policy', 'scenario', 'probe', 'agent', 'providers', 'report', 'app', 'cli', 'lint'];

/**
 * Builds the boundary rules of a layer: every src/ layer except the allowed ones is forbidden, in
 * static imports (`no-restricted-imports`) and in `import()` expressions (`no-restricted-syntax`,
 * since the CLI and the registry import lazily). Each extra item forbids `group` (static globs) and
 * `dynamic` (a regular expression over the specifier; `\\x2F` stands for "/", which esquery cannot read).
 */
function onlyImports(allowed, extra = []) {
  const forbidden = LAYERS.filter((l) => !allowed.includes(l));
  const message = `this layer may import only: ${allowed.join(', ') || 'nothing from src/'}`;
  const dynamic = [
    ...forbidden.map((l) => ({ dynamic: `(^|\\x2F)${l}\\x2F`, message })),
    ...extra.filter((e) => e.dynamic),
  ];
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((l) => ({ group: [`**/${l}/*`, `**/${l}/**`, `../${l}`, `../../${l}`], message })),
          ...extra.map(({ group, message }) => ({ group, message })),
        ],
      },
    ],
    'no-restricted-syntax': ['error', ...dynamic.map((d) => ({ selector: `ImportExpression[source.value=/${d.dynamic}/]`, message: d.message }))],
  };
}

/** Forbids importing the named providers (their folders under src/providers/), statically or lazily. */
function noProviders(names, message) {
  return {
    group: names.flatMap((n) => [`**/providers/${n}/**`, `../${n}/**`]),
    dynamic: `(providers|^[.][.])\\x2F(${names.join('|')})\\x2F`,
    message,
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'schema/**', '.netseg/**', 'bin/**', '.bench-cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only the CLI entry point decides the process exit code.
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'only src/cli/main.ts calls process.exit' }],
    },
  },
  { files: ['src/cli/main.ts', 'scripts/**', 'test/**'], rules: { 'no-restricted-properties': 'off' } },
  // The probe agent is a separate program (bundled alone, run in pods): its own entry point sets its exit code.
  { files: ['src/agent/main.ts'], rules: { 'no-restricted-properties': 'off' } },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['src/model/**/*.ts'], rules: onlyImports(['model']) },
  { files: ['src/policy/**/*.ts'], rules: onlyImports(['model', 'policy']) },
  { files: ['src/report/**/*.ts'], rules: onlyImports(['model', 'report']) },
  { files: ['src/agent/**/*.ts'], rules: onlyImports(['agent']) },
  { files: ['src/scenario/**/*.ts'], rules: onlyImports(['model', 'scenario']) },
  { files: ['src/lint/**/*.ts'], rules: onlyImports(['model', 'scenario', 'lint']) },
  { files: ['src/probe/**/*.ts'], rules: onlyImports(['model', 'policy', 'probe', 'agent']) },
  {
    // The netns datapath is an independent oracle: it imports nothing from the engine (src/policy).
    files: ['src/providers/netns/**/*.ts'],
    rules: onlyImports(['model', 'probe', 'agent', 'providers'], [
      noProviders(['kind', 'k3s', 'kubeconfig', 'kube'], 'providers import no other provider (and netns shares nothing with the Kubernetes datapath)'),
    ]),
  },
  {
    // The Kubernetes datapath the Kubernetes providers share: the contract, but no provider.
    files: ['src/providers/kube/**/*.ts'],
    rules: onlyImports(['model', 'probe', 'agent', 'providers'], [noProviders(['netns', 'kind', 'k3s', 'kubeconfig'], 'the Kubernetes datapath imports no provider')]),
  },
  {
    files: ['src/providers/kind/**/*.ts', 'src/providers/k3s/**/*.ts', 'src/providers/kubeconfig/**/*.ts'],
    rules: onlyImports(['model', 'probe', 'agent', 'providers'], [noProviders(['netns'], 'providers import no other provider')]),
  },
  // The contract and the registry: the registry is the one place that names every provider.
  { files: ['src/providers/*.ts'], rules: onlyImports(['model', 'probe', 'agent', 'providers']) },
  {
    // Use cases reach a provider only through the contract (provider.ts) and the registry.
    files: ['src/app/**/*.ts'],
    rules: onlyImports(['model', 'policy', 'scenario', 'probe', 'agent', 'providers', 'report', 'lint', 'app'], [
      noProviders(['netns', 'kind', 'k3s', 'kubeconfig', 'kube'], 'use cases reach providers through src/providers/provider.ts and src/providers/registry.ts'),
    ]),
  },
  // The CLI parses arguments, calls a use case (src/app) and renders (src/report); it loads nothing itself.
  { files: ['src/cli/**/*.ts'], rules: onlyImports(['model', 'app', 'report', 'cli']) },
);
