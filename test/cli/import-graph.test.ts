import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

// The cluster-only dependencies: together most of a start-up when loaded eagerly.
const HEAVY = /(^|\/)(@kubernetes\/client-node|testcontainers|@testcontainers\/k3s)(\/|$)/;

/** Modules reachable from the entry points through static imports only (dynamic import() edges are not followed unless `follow` accepts them). */
async function staticGraph(entries: string[], follow: (path: string) => boolean = () => false): Promise<Set<string>> {
  const { metafile } = await build({ entryPoints: entries, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', outdir: 'unused', logLevel: 'silent' });
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of metafile.inputs[file]?.imports ?? []) if (i.kind !== 'dynamic-import' || follow(i.path)) todo.push(i.path);
  }
  return seen;
}

/** Every module a real CLI process resolved while running `args`. */
async function loadedBy(args: string[]): Promise<{ status: number | null; modules: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'netseg-imports-'));
  try {
    const log = join(dir, 'imports.log');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/support/record-imports.mjs', 'src/cli/main.ts', ...args], { env: { ...process.env, NETSEG_IMPORT_LOG: log }, encoding: 'utf8', timeout: 60_000 });
    const modules = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { status: r.status, modules };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('CLI import graph', function () {
  this.timeout(120_000);

  describe('static imports', () => {
    it('should reach neither the Kubernetes client nor testcontainers from the CLI or the netns provider', async () => {
      const graph = await staticGraph(['src/cli/main.ts', 'src/providers/netns/index.ts']);
      expect([...graph].filter((m) => HEAVY.test(m))).to.deep.equal([]);
    });

    it('should reach them once the Kubernetes providers are followed (the check sees them)', async () => {
      const graph = await staticGraph(['src/cli/main.ts'], () => true);
      expect([...graph].filter((m) => HEAVY.test(m))).to.include.members(['@kubernetes/client-node', '@testcontainers/k3s']);
    });
  });

  describe('modules a process loads', () => {
    const heavy = (modules: string[]) => modules.filter((m) => HEAVY.test(m.replace(/^.*node_modules\//, '')));

    for (const args of [['--help'], ['check', 'test/fixtures/cli/ok.yaml'], ['plan', 'test/fixtures/cli/ok.yaml'], ['explain', 'test/fixtures/cli/ok.yaml', '--from', 'x/a', '--to', 'x/b'], ['lint', 'test/fixtures/cli/ok.yaml'], ['run', 'test/fixtures/cli/missing-dir/'], ['cleanup', '--run-id', 'importgraphnone']]) {
      it(`should load neither for netseg ${args.join(' ')}`, async () => {
        const r = await loadedBy(args);
        expect(r.modules.length, 'the import log is empty').to.be.greaterThan(10);
        expect(heavy(r.modules)).to.deep.equal([]);
      });
    }

    it('should load the Kubernetes client for --provider kubeconfig (the log sees it)', async () => {
      const r = await loadedBy(['run', '--provider', 'kubeconfig', '--context', 'none', 'test/fixtures/cli/missing-dir/']);
      expect(heavy(r.modules).some((m) => m.includes('@kubernetes/client-node'))).to.equal(true);
    });
  });
});
