// ESLint flat config: typescript-eslint recommended rules plus the architecture's import boundaries.
import tseslint from 'typescript-eslint';

/** Builds a `no-restricted-imports` rule forbidding every src/ layer except the allowed ones. */
function onlyImports(allowed, extra = []) {
  const layers = ['model', 'policy', 'scenario', 'probe', 'agent', 'providers', 'kube', 'report', 'app', 'cli', 'lint'];
  const forbidden = layers.filter((l) => !allowed.includes(l));
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((l) => ({
            group: [`**/${l}/*`, `**/${l}/**`, `../${l}`, `../../${l}`],
            message: `this layer may import only: ${allowed.join(', ') || 'nothing from src/'}`,
          })),
          ...extra,
        ],
      },
    ],
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
  { files: ['src/scenario/**/*.ts'], rules: onlyImports(['model', 'policy', 'scenario']) },
  { files: ['src/lint/**/*.ts'], rules: onlyImports(['model', 'policy', 'scenario', 'lint']) },
  { files: ['src/probe/**/*.ts'], rules: onlyImports(['model', 'policy', 'probe', 'agent']) },
  { files: ['src/kube/**/*.ts'], rules: onlyImports(['model', 'kube', 'probe', 'agent', 'policy']) },
  {
    // The netns datapath is an independent oracle: from the engine it may reuse only selector matching and CIDR parsing.
    files: ['src/providers/netns/**/*.ts'],
    rules: onlyImports(['model', 'probe', 'agent', 'providers', 'policy'], [
      { group: ['**/policy/*', '!**/policy/label-selector.js', '!**/policy/cidr.js'], message: 'the netns datapath must not use the engine (only label-selector and cidr)' },
      { group: ['**/providers/kind/**', '**/providers/k3s/**', '**/providers/kubeconfig/**', '../kind/**', '../k3s/**', '../kubeconfig/**'], message: 'providers import no other provider' },
    ]),
  },
  {
    files: ['src/providers/kind/**/*.ts', 'src/providers/k3s/**/*.ts', 'src/providers/kubeconfig/**/*.ts'],
    rules: onlyImports(['model', 'probe', 'agent', 'providers', 'kube', 'policy'], [
      { group: ['../netns/**', '**/providers/netns/**'], message: 'providers import no other provider' },
    ]),
  },
);
