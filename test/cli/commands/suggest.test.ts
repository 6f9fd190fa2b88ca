import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as runCliCaptured } from '../run-cli.js';

/** Suggests for recipe 06's second step, writes the file, and checks the recipe's step with only that file applied. */
async function roundTrip(args: readonly string[]): Promise<{ suggest: string; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-suggest-test-'));
  try {
    const out = join(dir, 'policies.yaml');
    const r = await runCliCaptured('suggest', 'scenarios/recipes/06-allow-traffic-from-a-namespace.yaml', '--step', 'apply web-allow-prod', '-o', out, ...args);
    expect(r.code, r.stderr).to.equal(0);
    // The recipe's step, with its policies replaced by the suggested file.
    const recipe = readFileSync('scenarios/recipes/06-allow-traffic-from-a-namespace.yaml', 'utf8');
    const step = recipe.slice(recipe.indexOf('    - name: apply web-allow-prod'), recipe.indexOf('    - name: relabel dev as production'));
    const expect_ = step.slice(step.indexOf('      expect:'));
    const scenario = `${recipe.slice(0, recipe.indexOf('  steps:'))}  baseline: false\n  steps:\n    - name: suggested\n      actions:\n        - apply: { file: policies.yaml }\n${expect_}`;
    writeFileSync(join(dir, 'roundtrip.yaml'), scenario.replace('$schema=../../schema/scenario.schema.json', ''));
    const check = await runCliCaptured('check', join(dir, 'roundtrip.yaml'));
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    return { suggest: r.stderr, text: readFileSync(out, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('suggest command', () => {
  describe('#action()', () => {
    it('should write policies that a scenario can apply and check then passes', async () => {
      const { suggest } = await roundTrip([]);
      expect(suggest).to.match(/netseg suggest: \d+ policy\(ies\), \d+ rule\(s\), verified on \d+ cell\(s\) \(NetworkPolicy\)/);
    });

    it('should write ClusterNetworkPolicies with --kind ClusterNetworkPolicy that a scenario can apply and check then passes', async () => {
      const { suggest, text } = await roundTrip(['--kind', 'ClusterNetworkPolicy']);
      expect(suggest).to.match(/verified on \d+ cell\(s\) \(ClusterNetworkPolicy\)/);
      expect(text).to.contain('apiVersion: policy.networking.k8s.io/v1alpha2');
      expect(text).not.to.contain('kind: NetworkPolicy');
    });

    it('should exit 2 for an unknown --kind', async () => {
      const r = await runCliCaptured('suggest', 'scenarios/recipes/06-allow-traffic-from-a-namespace.yaml', '--kind', 'CiliumNetworkPolicy');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('Allowed choices are NetworkPolicy, ClusterNetworkPolicy');
    });

    it('should exit 1 and print no policy when labels cannot express the matrix', async () => {
      const r = await runCliCaptured('suggest', 'scenarios/conformance/12-service-targets.yaml');
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.contain('x/a and x/b have labels no selector tells apart');
    });

    it('should exit 2 for an unknown step', async () => {
      const r = await runCliCaptured('suggest', 'scenarios/recipes/06-allow-traffic-from-a-namespace.yaml', '--step', 'nope');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('no step "nope"');
    });
  });
});
