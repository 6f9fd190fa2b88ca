import { expect } from 'chai';
import fc from 'fast-check';
import { lintFiles } from '../../src/lint/lint-files.js';

// Any value at any position of a policy: lint must report, never throw (it runs in pre-commit hooks
// on whatever is about to be committed).
const anyValue = fc.oneof(
  fc.constantFrom(null, true, 0, 1.5, -1, 65536, '', 'yes', 'In', 'TCP', 'Egress', '10.0.0.1/24', '0.0.0.0/0', 'http', '{{podIP x/a}}', 'Admin', 'Pass', '::/0'),
  fc.jsonValue({ maxDepth: 3 }),
);

const key = fc.constantFrom(
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'generateName', 'spec', 'podSelector', 'policyTypes', 'ingress', 'egress',
  'from', 'to', 'ports', 'port', 'endPort', 'protocol', 'ipBlock', 'cidr', 'except', 'namespaceSelector', 'matchLabels', 'matchExpressions',
  'key', 'operator', 'values',
  // ClusterNetworkPolicy
  'tier', 'priority', 'subject', 'namespaces', 'pods', 'networks', 'nodes', 'domainNames', 'action', 'protocols', 'tcp', 'udp', 'destinationPort', 'destinationNamedPort', 'number', 'range', 'start', 'end',
);

/** A policy-shaped tree: known keys at random depths, any values at the leaves. */
const tree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyValue,
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

const policy = fc.record({
  apiVersion: fc.constantFrom('networking.k8s.io/v1', 'v1', 'policy.networking.k8s.io/v1alpha2'),
  kind: fc.constantFrom('NetworkPolicy', 'ClusterNetworkPolicy'),
  metadata: fc.oneof(fc.constant({ name: 'p', namespace: 'x' }), tree),
  spec: tree,
});

describe('lintFiles', () => {
  describe('#robustness', () => {
    it('should report findings for any policy shape, in a manifest and in a scenario, without throwing', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(policy, { minLength: 1, maxLength: 3 }), async (policies) => {
          const manifest = policies.map((p) => JSON.stringify(p)).join('\n---\n');
          const steps = policies.map((p, i) => ({ name: `s${i}`, actions: [{ apply: p }], expect: 'computed' }));
          const scenario = JSON.stringify({ apiVersion: 'netseg.io/v1alpha1', kind: 'Scenario', metadata: { name: 't' }, spec: { topology: { grid: {} }, steps } });
          const files: Record<string, string> = { 'm.yaml': manifest, 's.yaml': scenario };
          const readText = (f: string): Promise<string> => (f in files ? Promise.resolve(files[f] as string) : Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' })));
          const issues = await lintFiles(['m.yaml', 's.yaml'], { readText, topologyFile: 's.yaml' });
          for (const issue of issues) expect(issue.message).to.match(/^\[[a-z-]+\] /);
        }),
        { numRuns: 300, seed: 8 },
      );
    });
  });
});
