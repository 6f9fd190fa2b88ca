import { expect } from 'chai';
import { formatIssue } from '../../../src/model/index.js';
import { IssueList } from '../../../src/scenario/issue-list.js';
import { settleNamespace } from '../../../src/scenario/kinds/settle-namespace.js';
import { parseYamlText } from '../../../src/scenario/yaml-source.js';

const doc = parseYamlText('p.yaml', 'metadata:\n  name: a\n  namespace: x\n').documents[0]!;
// A cluster-scoped module shape: no such kind is registered yet, so the rule is checked on its own.
const cluster = { scope: 'Cluster', manifestKind: 'ClusterNetworkPolicy' } as const;
const namespaced = { scope: 'Namespaced', manifestKind: 'NetworkPolicy' } as const;

function settle(module: typeof cluster | typeof namespaced, metadata: { name: string; namespace?: string }, namespace?: string) {
  const issues = new IssueList();
  const out = settleNamespace(module, { metadata }, { doc, path: [], namespace }, issues);
  return { out, issues: issues.all().map(formatIssue) };
}

describe('settleNamespace', () => {
  describe('#settleNamespace()', () => {
    it('should default a namespaced object to the include namespace and require one', () => {
      expect(settle(namespaced, { name: 'a' }, 'y').out?.metadata.namespace).to.equal('y');
      expect(settle(namespaced, { name: 'a' }).issues[0]).to.match(/policy "a" has no metadata.namespace/);
    });

    it('should reject a namespace on a cluster-scoped object and keep one without', () => {
      expect(settle(cluster, { name: 'a' }, 'y').out).to.deep.equal({ metadata: { name: 'a' } });
      const bad = settle(cluster, { name: 'a', namespace: 'x' });
      expect(bad.out).to.equal(undefined);
      expect(bad.issues).to.deep.equal(['p.yaml:3:3: policy "a" is a ClusterNetworkPolicy, which is cluster-scoped: remove metadata.namespace (at metadata.namespace)']);
    });
  });
});
