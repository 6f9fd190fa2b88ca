// Lint benchmark: scenarios of 1,000 / 2,000 / 4,000 steps (one policy per step, all in one
// namespace, the shape that made egress-without-dns quadratic). Prints each lint time beside its
// target (linear: the per-step time at 4,000 steps at most 1.5x the one at 1,000) and beside the
// previous implementation (src/ of a git ref, default the merge-base with main) measured in this run.
// Run: npm run bench:lint   (or: npx tsx scripts/bench-lint.ts [--baseline REF] [--no-baseline])
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintFiles } from '../src/lint/lint-files.js';

const SIZES = [1000, 2000, 4000] as const;
const LINEARITY_TARGET = 1.5;

type Lint = (files: readonly string[]) => Promise<readonly unknown[]>;

function scenario(steps: number): string {
  const head = 'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata:\n  name: big\nspec:\n  topology:\n    grid: {}\n  steps:\n';
  const step = (i: number): string => `    - name: step ${i}
      actions:
        - apply:
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: p${i}, namespace: x }
            spec:
              podSelector: { matchLabels: { pod: a } }
              policyTypes: [Ingress, Egress]
              ingress:
                - from: [{ podSelector: { matchLabels: { pod: b } } }]
              egress:
                - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }]
                  ports: [{ port: 53, protocol: UDP }]
      expect: computed
`;
  return head + Array.from({ length: steps }, (_, i) => step(i)).join('');
}

async function timeLint(lint: Lint, file: string): Promise<{ ms: number; findings: number }> {
  const start = performance.now();
  const findings = (await lint([file])).length;
  return { ms: performance.now() - start, findings };
}

/** The previous lintFiles: src/ of `ref` extracted next to a link to this checkout's node_modules. */
async function baselineLint(ref: string, scratch: string): Promise<Lint> {
  const root = path.join(scratch, 'baseline');
  mkdirSync(root);
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  const mod = (await import(pathToFileURL(path.join(root, 'src/lint/lint-files.ts')).href)) as { lintFiles: Lint };
  return mod.lintFiles;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'netseg-bench-lint-'));
try {
  const ref = process.argv.includes('--no-baseline') ? undefined : (arg('--baseline') ?? execFileSync('git', ['merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim());
  const previous = ref === undefined ? undefined : await baselineLint(ref, scratch);
  console.log(`lint of one scenario, one policy per step${ref ? `; previous = src/ of ${ref.slice(0, 12)}` : ''}`);
  console.log('steps   now (ms)   ms/step   previous (ms)   previous ms/step');
  const perStep: number[] = [];
  for (const steps of SIZES) {
    const file = path.join(scratch, `s${steps}.yaml`);
    writeFileSync(file, scenario(steps));
    const now = await timeLint((f) => lintFiles(f), file);
    perStep.push(now.ms / steps);
    const before = previous ? await timeLint(previous, file) : undefined;
    console.log(
      `${String(steps).padStart(5)}   ${now.ms.toFixed(0).padStart(8)}   ${(now.ms / steps).toFixed(3).padStart(7)}   ` +
        `${before ? before.ms.toFixed(0).padStart(13) : '            -'}   ${before ? (before.ms / steps).toFixed(3).padStart(16) : '               -'}`,
    );
  }
  const ratio = (perStep[perStep.length - 1] ?? 0) / (perStep[0] ?? 1);
  console.log(`linearity: ms/step at ${SIZES[SIZES.length - 1]} / ms/step at ${SIZES[0]} = ${ratio.toFixed(2)} (target <= ${LINEARITY_TARGET})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
