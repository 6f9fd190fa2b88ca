import { expect } from 'chai';
import { formatIssue } from '../../src/model/index.js';
import { IssueList } from '../../src/scenario/issue-list.js';
import { deleteTargetOf } from '../../src/scenario/normalize-delete.js';
import { parseYamlText } from '../../src/scenario/yaml-source.js';

const doc = parseYamlText('s.yaml', 'delete: { namespace: x, name: a }\n').documents[0]!;
// No cluster-scoped kind is registered yet: the lookup is injected to check the scope rule.
const clusterScoped = () => ({ kind: 'NetworkPolicy' as const, scope: 'Cluster' as const });

describe('deleteTargetOf', () => {
  describe('#deleteTargetOf()', () => {
    it('should read "namespace/name" as a NetworkPolicy', () => {
      expect(deleteTargetOf('x/a', ['delete'], doc, new IssueList())).to.deep.equal({ kind: 'NetworkPolicy', namespace: 'x', name: 'a' });
    });

    it('should forbid a namespace for a cluster-scoped kind and name it by name alone', () => {
      const issues = new IssueList();
      expect(deleteTargetOf({ name: 'a' }, ['delete'], doc, issues, clusterScoped)).to.deep.equal({ kind: 'NetworkPolicy', name: 'a' });
      expect(deleteTargetOf({ namespace: 'x', name: 'a' }, ['delete'], doc, issues, clusterScoped)).to.equal(undefined);
      expect(issues.all().map(formatIssue)).to.deep.equal(['s.yaml:1:11: NetworkPolicy is cluster-scoped: delete it by name only (at delete.namespace)']);
    });
  });
});
