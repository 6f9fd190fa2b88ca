import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffPolicies, parseOpenGuard } from '../../src/app/diff-policies.js';
import { parseRevisionRange, readManifestsAtRevision } from '../../src/app/git-manifests.js';
import { InputError, type ClusterNetworkPolicy } from '../../src/model/index.js';
import { renderDiffMarkdown, renderDiffTable } from '../../src/report/policy-diff-renderer.js';
import { collectInventory } from '../../src/scenario/manifest-inventory.js';
import { readManifestFiles } from '../../src/scenario/read-manifest-files.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { cli as runCliCaptured } from '../cli/run-cli.js';
import { expectGolden } from '../report/golden.js';

const FIX = 'test/fixtures/diff';
const policiesIn = async (path: string) => collectInventory(await readManifestFiles([path])).policies;

async function shopDiff(guards: string[] = []) {
  const scenario = await loadScenarioFile(`${FIX}/shop.yaml`);
  const sides = { before: { label: 'old', policies: await policiesIn(`${FIX}/old`) }, after: { label: 'new', policies: await policiesIn(`${FIX}/new`) } };
  return diffPolicies(scenario, sides, guards.map(parseOpenGuard));
}

describe('diffPolicies', () => {
  describe('#diffPolicies()', () => {
    it('should list opened and closed flows once per flow, with the rule of the new set that causes each', async () => {
      const diff = await shopDiff();
      expect(diff.changes.map((c) => `${c.kind} ${c.from} -> ${c.to} ${c.port}/${c.protocol} [${c.targets.join(',')}]`)).to.deep.equal([
        'opened shop/api -> shop/db 5432/TCP [pod-ip,service]',
        'opened shop/web -> shop/db 5432/TCP [pod-ip,service]',
        'opened tools/debug -> shop/db 5432/TCP [pod-ip,service]',
        'closed tools/debug -> shop/web 80/TCP [pod-ip,service]',
      ]);
      expect(diff.changes.find((c) => c.to === 'shop/db')?.cause).to.contain('shop/db-from-all rule 0');
    });

    it('should flag opened flows a --deny-open guard forbids, and only those', async () => {
      const diff = await shopDiff(['tools/*->shop/db']);
      expect(diff.changes.filter((c) => c.forbiddenBy.length > 0).map((c) => c.from)).to.deep.equal(['tools/debug']);
    });

    it('should match the golden table and Markdown renderings', async () => {
      const diff = await shopDiff(['tools/*->shop/db']);
      expectGolden('../diff/shop.txt', renderDiffTable(diff));
      expectGolden('../diff/shop.md', renderDiffMarkdown(diff));
    });

    it('should say so when nothing changes', async () => {
      const scenario = await loadScenarioFile(`${FIX}/shop.yaml`);
      const same = { label: 'old', policies: await policiesIn(`${FIX}/old`) };
      const diff = diffPolicies(scenario, { before: same, after: same });
      expect(diff.changes).to.deep.equal([]);
      expect(renderDiffTable(diff)).to.contain('no cell changes verdict');
    });

    it('should diff sets that hold ClusterNetworkPolicies, naming the one that causes a change', async () => {
      const scenario = await loadScenarioFile(`${FIX}/shop.yaml`);
      const old = await policiesIn(`${FIX}/old`);
      const cnp: ClusterNetworkPolicy = {
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'no-tools-egress' },
        spec: { tier: 'Admin', priority: 1, subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } }, egress: [{ name: 'deny-all', action: 'Deny', to: [{ namespaces: {} }] }] },
      };
      const diff = diffPolicies(scenario, { before: { label: 'old', policies: old }, after: { label: 'new', policies: [...old, cnp] } });
      expect(diff.changes.length).to.be.greaterThan(0);
      expect(diff.changes.every((c) => c.kind === 'closed' && c.from === 'tools/debug' && c.cause.includes('ClusterNetworkPolicy/no-tools-egress'))).to.equal(true, JSON.stringify(diff.changes));
      const back = diffPolicies(scenario, { before: { label: 'new', policies: [...old, cnp] }, after: { label: 'old', policies: old } });
      expect(back.changes.map((c) => `${c.from} -> ${c.to}`)).to.deep.equal(diff.changes.map((c) => `${c.from} -> ${c.to}`));
    });
  });

  describe('#parseOpenGuard()', () => {
    it('should reject text that is not FROM->TO', () => {
      expect(() => parseOpenGuard('shop/db')).to.throw(InputError, /expected FROM->TO/);
      expect(() => parseOpenGuard('a/b/c->x/y')).to.throw(InputError, /expected FROM->TO/);
    });
  });
});

describe('git manifests', () => {
  describe('#readManifestsAtRevision()', () => {
    it('should diff the manifests of a folder at two revisions (diff --git A..B PATH)', async () => {
      const repo = mkdtempSync(join(tmpdir(), 'netseg-diff-git-'));
      try {
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'pipe' });
        git('init', '-q');
        cpSync(`${FIX}/old`, join(repo, 'k8s'), { recursive: true });
        git('add', '.');
        git('commit', '-qm', 'old');
        cpSync(`${FIX}/new`, join(repo, 'k8s'), { recursive: true });
        git('add', '.');
        git('commit', '-qm', 'new');
        const before = collectInventory(await readManifestsAtRevision('HEAD~1', 'k8s', repo)).policies;
        const after = collectInventory(await readManifestsAtRevision('HEAD', 'k8s', repo)).policies;
        expect(before.map((p) => p.metadata.name)).to.deep.equal(['default-deny', 'web-from-anywhere', 'api-from-web']);
        expect(after.map((p) => p.metadata.name)).to.include('db-from-all');
        const bad = await readManifestsAtRevision('no-such-rev', 'k8s', repo).then(() => undefined, (e: unknown) => e);
        expect(bad).to.be.instanceOf(InputError);
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    });

    it('should parse A..B and reject anything else', () => {
      expect(parseRevisionRange('main..HEAD~2')).to.deep.equal({ before: 'main', after: 'HEAD~2' });
      expect(() => parseRevisionRange('main')).to.throw(InputError, /expected two revisions A\.\.B/);
    });
  });
});

describe('diff command', () => {
  describe('#action()', () => {
    it('should exit 1 when a --deny-open guard is broken, 0 otherwise, and print Markdown with -o markdown', async () => {
      const args = ['diff', `${FIX}/shop.yaml`, '--policies', `${FIX}/old`, `${FIX}/new`];
      expect((await runCliCaptured(...args, '--deny-open', 'tools/*->shop/db')).code).to.equal(1);
      const md = await runCliCaptured(...args, '-o', 'markdown');
      expect(md.code).to.equal(0);
      expect(md.stdout).to.match(/^### netseg diff: 3 opened, 1 closed\n/);
    });

    it('should exit 2 when --policies does not have two paths', async () => {
      const r = await runCliCaptured('diff', `${FIX}/shop.yaml`, '--policies', `${FIX}/old`);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('--policies needs exactly two paths');
    });
  });
});
