import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { lintFiles } from '../../src/lint/lint-files.js';
import { InputError } from '../../src/model/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { parseYamlText, type YamlDocument } from '../../src/scenario/yaml-source.js';

const DIR = 'test/fixtures/lint/validator';

const scratch = mkdtempSync(path.join(tmpdir(), 'netseg-lint-agree-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function documentsOf(file: string): YamlDocument[] {
  return parseYamlText(file, readFileSync(file, 'utf8')).documents;
}

// Generated policies: known keys nested at random, values that are valid, invalid or of the wrong type.
const leaf = fc.oneof(
  fc.constantFrom(null, true, 0, 1.5, 80, 90, 65536, '', 'In', 'NotIn', 'Exists', 'TCP', 'UDP', 'Ingress', 'Egress', '10.0.0.1/24', '10.0.0.0/8', '10.1.0.0/16', '0.0.0.0/0', 'http', 'pod', 'a', 'x', '{{podIP x/a}}', '{{podIP x/q}}'),
  fc.array(fc.constantFrom('a', 'b', 'In', 'Ingress', 'Egress', '10.0.0.0/24', 1), { maxLength: 3 }),
);
const specKey = fc.constantFrom('podSelector', 'policyTypes', 'ingress', 'egress', 'from', 'to', 'ports', 'port', 'endPort', 'protocol', 'ipBlock', 'cidr', 'except', 'namespaceSelector', 'matchLabels', 'matchExpressions', 'key', 'operator', 'values', 'pod');
const specTree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(specKey, tie('node'), { maxKeys: 3 }), fc.array(tie('node'), { maxLength: 2 })),
})).node;
const metadata = fc.record(
  {
    name: fc.constantFrom('p', 'P', 'a_b', '', 'web.v1', 1),
    namespace: fc.constantFrom('x', 'q', 'X', undefined),
    labels: fc.option(fc.dictionary(fc.constantFrom('app', 'bad key', 'example.com/x', 'a/b/c'), fc.constantFrom('web', '', 'no!', 1, true, null)), { nil: undefined }),
    annotations: fc.option(fc.dictionary(fc.constantFrom('note'), fc.constantFrom('x', 1, null)), { nil: undefined }),
  },
  { requiredKeys: ['name'] },
);

/** Whether `netseg check`'s loader accepts the policy, applied inline in a grid scenario. */
async function loaderAccepts(policy: unknown, index: number): Promise<boolean> {
  const file = path.join(scratch, `p${index}.yaml`);
  const apply = JSON.stringify(policy);
  writeFileSync(file, `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology: { grid: {} }\n  steps:\n    - name: s\n      actions:\n        - apply: ${apply}\n      expect: computed\n`);
  try {
    await loadScenarioFile(file);
    return true;
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return false;
  }
}

/** Per document of the file: the number of lint errors reported inside it. */
async function lintErrorsPerDocument(file: string): Promise<number[]> {
  const docs = documentsOf(file);
  const starts = docs.map((d) => d.positionOf([]).line);
  const issues = (await lintFiles([file])).filter((i) => i.severity === 'error');
  return starts.map((start, i) => issues.filter((issue) => issue.position.line >= start && issue.position.line < (starts[i + 1] ?? Infinity)).length);
}

describe('lint and the scenario loader', () => {
  describe('#one NetworkPolicy schema', () => {
    it('should reject with lint (an error) every policy the loader rejects', async () => {
      const file = path.join(DIR, 'rejected.yaml');
      const docs = documentsOf(file);
      expect(docs.length).to.equal(16);
      const errors = await lintErrorsPerDocument(file);
      for (const [i, doc] of docs.entries()) {
        const name = JSON.stringify((doc.value as { metadata?: unknown }).metadata);
        expect(await loaderAccepts(doc.value, i), `loader on ${name}`).to.equal(false);
        expect(errors[i], `lint errors in ${name}`).to.be.greaterThan(0);
      }
    });

    it('should accept with lint (warnings only) every policy the loader accepts', async () => {
      const file = path.join(DIR, 'accepted.yaml');
      const docs = documentsOf(file);
      const errors = await lintErrorsPerDocument(file);
      const warnings = (await lintFiles([file])).filter((i) => i.severity === 'warning');
      for (const [i, doc] of docs.entries()) {
        expect(await loaderAccepts(doc.value, i), `loader on document ${i + 1}`).to.equal(true);
        expect(errors[i], `lint errors in document ${i + 1}`).to.equal(0);
      }
      expect(warnings.length).to.be.greaterThanOrEqual(docs.length);
    });
  });

  describe('#generated policies', () => {
    it('should have lint report an error exactly when the loader rejects the policy', async () => {
      let index = 1000;
      await fc.assert(
        fc.asyncProperty(specTree, metadata, async (spec, md) => {
          const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: md, spec };
          const accepted = await loaderAccepts(policy, index++);
          const errors = (await lintFiles([path.join(scratch, `p${index - 1}.yaml`)])).filter((i) => i.severity === 'error');
          expect(errors.length === 0, `loader ${accepted ? 'accepts' : 'rejects'}; lint: ${errors.map((e) => e.message).join(' | ')}`).to.equal(accepted);
        }),
        { numRuns: 200, seed: 15 },
      );
    });
  });

  describe('#generated ClusterNetworkPolicies', () => {
    // CNP keys nested at random over a mostly valid skeleton, so that many draws get past the schema.
    const cnpLeaf = fc.oneof(
      fc.constantFrom(null, 0, 10, 53, 1001, 70000, 1.5, '', 'Admin', 'Baseline', 'Accept', 'Deny', 'Pass', 'In', 'Exists', '10.0.0.0/8', '0.0.0.0/0', '::/0', '10.0.0.0/33', 'example.com', 'bad_', 'serve-80-tcp', 'nope', '{{podIP x/a}}', '{{podIP x/q}}', 'x'),
      fc.array(fc.constantFrom('10.0.0.0/8', '10.0.0.0/8', 'fd00::/64', '*.example.com', 'x'), { maxLength: 3 }),
    );
    const cnpKey = fc.constantFrom('namespaces', 'pods', 'podSelector', 'namespaceSelector', 'networks', 'nodes', 'domainNames', 'matchLabels', 'matchExpressions', 'tcp', 'udp', 'sctp', 'destinationPort', 'destinationNamedPort', 'number', 'range', 'start', 'end', 'action', 'name', 'from', 'to', 'protocols');
    const cnpTree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, cnpLeaf, fc.dictionary(cnpKey, tie('node'), { maxKeys: 3 }), fc.array(tie('node'), { maxLength: 2 })),
    })).node;
    const mostly = <T,>(valid: fc.Arbitrary<T>, noise: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: noise, weight: 1 });
    const validPeers = fc.constantFrom([{ namespaces: {} }], [{ pods: { podSelector: { matchLabels: { pod: 'a' } } } }], [{ networks: ['10.0.0.0/8', '{{podIP x/a}}'] }], [{ namespaces: { matchExpressions: [{ key: 'k', operator: 'Exists' }] } }]);
    const validProtocols = fc.constantFrom([{ tcp: { destinationPort: { number: 80 } } }], [{ udp: { destinationPort: { range: { start: 53, end: 54 } } } }], [{ destinationNamedPort: 'serve-80-tcp' }]);
    const rule = fc.record(
      { action: mostly(fc.constantFrom('Accept', 'Deny', 'Pass'), cnpLeaf), to: mostly(validPeers, fc.array(cnpTree, { maxLength: 2 })), protocols: fc.option(mostly(validProtocols, fc.array(cnpTree, { maxLength: 2 })), { nil: undefined }) },
      { requiredKeys: ['action', 'to'] },
    );
    const spec = fc.record(
      {
        tier: mostly(fc.constantFrom('Admin', 'Baseline'), cnpLeaf),
        priority: mostly(fc.constantFrom(0, 10, 1000), cnpLeaf),
        subject: mostly(fc.constantFrom({ namespaces: {} }, { pods: { podSelector: {} } }), cnpTree),
        egress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
        ingress: fc.option(fc.array(mostly(rule.map(({ to, ...r }) => ({ ...r, from: to })), cnpTree), { maxLength: 2 }), { nil: undefined }),
      },
      { requiredKeys: ['tier', 'priority', 'subject'] },
    );

    it('should have lint report an error exactly when the loader rejects the policy', async () => {
      let index = 5000;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(spec, fc.constantFrom('c', 'c', 'C_', 'web.v1'), async (s, name) => {
          const policy = { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: s };
          const ok = await loaderAccepts(policy, index++);
          if (ok) accepted++;
          const errors = (await lintFiles([path.join(scratch, `p${index - 1}.yaml`)])).filter((i) => i.severity === 'error');
          expect(errors.length === 0, `loader ${ok ? 'accepts' : 'rejects'}; lint: ${errors.map((e) => e.message).join(' | ')}`).to.equal(ok);
        }),
        { numRuns: 200, seed: 16 },
      );
      // The generator is only useful if both outcomes occur.
      expect(accepted, `${accepted} of 200 accepted`).to.be.within(10, 190);
    });
  });

  describe('#well-formed input', () => {
    it('should load the scenario lint finds nothing in', async () => {
      const file = 'test/fixtures/lint/good/scenario.yaml';
      expect(await lintFiles([file])).to.deep.equal([]);
      await loadScenarioFile(file);
    });
  });

  describe('#topology references', () => {
    it('should report the same positions as errors as the loader, for names the topology lacks', async () => {
      for (const file of ['test/fixtures/lint/scenario/references.yaml', 'test/fixtures/lint/scenario/named-port.yaml']) {
        const lint = (await lintFiles([file])).filter((i) => i.severity === 'error').map((i) => `${i.position.line}:${i.position.column}`);
        let check: string[] = [];
        try {
          await loadScenarioFile(file);
        } catch (err) {
          check = (err as InputError).issues.map((i) => `${i.position.line}:${i.position.column}`);
        }
        expect(lint, file).to.have.length.greaterThan(0);
        expect(lint, file).to.deep.equal(check);
      }
    });
  });
});
