import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { lintFiles } from '../../src/lint/lint-files.js';
import { LINT_RULES } from '../../src/lint/rules/registry.js';
import type { InputIssue } from '../../src/model/index.js';

const DIR = path.relative(process.cwd(), path.join(import.meta.dirname, '../fixtures/lint'));
const fx = (name: string): string => path.join(DIR, name);

/** Issues of one rule as "file:line:col severity path", the exact contract the CLI prints. */
async function findings(files: string[], rule: string): Promise<string[]> {
  const issues = await lintFiles(files);
  return issues.filter((i) => i.message.startsWith(`[${rule}] `)).map(where);
}

function where(i: InputIssue): string {
  return `${path.relative(DIR, i.position.file)}:${i.position.line}:${i.position.column} ${i.severity} ${i.path}`;
}

async function messages(files: string[], rule: string): Promise<string[]> {
  return (await lintFiles(files)).filter((i) => i.message.startsWith(`[${rule}] `)).map((i) => i.message);
}

describe('lintFiles', () => {
  describe('well-formed input', () => {
    it('should report nothing for well-formed policies, other kinds, placeholders in scenarios and includes', async () => {
      const issues = await lintFiles([fx('good/policies.yaml'), fx('good/scenario.yaml')]);
      expect(issues.map(where)).to.deep.equal([]);
    });

    it('should start every message with a registered rule id or a reading check', async () => {
      const ids = new Set([...LINT_RULES.map((r) => r.id), 'yaml-syntax', 'unreadable-file', 'include']);
      const all = await lintFiles([
        fx('misplaced-field.yaml'), fx('bad-value.yaml'), fx('peer-and-vs-or.yaml'), fx('never-matches.yaml'), fx('bad-selector.yaml'),
        fx('bad-cidr.yaml'), fx('missing-namespace.yaml'), fx('syntax-error.yaml'), fx('egress-without-dns.yaml'), fx('scenario/scenario.yaml'),
      ]);
      expect(all.length).to.be.greaterThan(40);
      for (const issue of all) expect(ids.has(/^\[([a-z-]+)\] /.exec(issue.message)?.[1] ?? '')).to.equal(true, issue.message);
    });

    it('should sort issues by file in command-line order, then line and column', async () => {
      const issues = await lintFiles([fx('missing-namespace.yaml'), fx('bad-cidr.yaml')]);
      const keys = issues.map((i) => [i.position.file === fx('missing-namespace.yaml') ? 0 : 1, i.position.line, i.position.column]);
      const sorted = [...keys].sort((a, b) => (a[0]! - b[0]!) || (a[1]! - b[1]!) || (a[2]! - b[2]!));
      expect(keys).to.deep.equal(sorted);
      expect(keys[0]?.[0]).to.equal(0);
    });
  });

  describe('rule registry', () => {
    it('should give every rule a unique id, a one-line description, and a section in docs/lint-rules.md', () => {
      const doc = readFileSync(path.join(import.meta.dirname, '../../docs/lint-rules.md'), 'utf8');
      expect(new Set(LINT_RULES.map((r) => r.id)).size).to.equal(LINT_RULES.length);
      for (const rule of LINT_RULES) {
        expect(rule.description).to.match(/^[^\n]{10,200}$/);
        expect(doc).to.contain(`## \`${rule.id}\``);
      }
    });
  });

  describe('reading', () => {
    it('should report YAML syntax errors as errors with their position', async () => {
      expect((await lintFiles([fx('syntax-error.yaml')])).map((i) => `${where(i)} ${i.message.slice(0, 25)}`)).to.deep.equal([
        'syntax-error.yaml:6:1 error  [yaml-syntax] YAML syntax',
      ]);
    });

    it('should report an unreadable file as an error at 1:1', async () => {
      expect(await findings([fx('no-such-file.yaml')], 'unreadable-file')).to.deep.equal(['no-such-file.yaml:1:1 error ']);
    });

    it('should report an include that cannot be read at the include, and only there', async () => {
      const issues = await lintFiles([fx('scenario/scenario.yaml')]);
      expect(issues.filter((i) => /\[(include|unreadable-file)\]/.test(i.message)).map(where)).to.deep.equal([
        'scenario/scenario.yaml:42:20 error spec.steps[0].actions[6].apply.file',
      ]);
    });

    it('should lint a file given twice only once', async () => {
      const once = await lintFiles([fx('bad-cidr.yaml')]);
      const twice = await lintFiles([fx('bad-cidr.yaml'), `${DIR}/./bad-cidr.yaml`]);
      expect(twice.length).to.equal(once.length);
    });
  });

  describe('misplaced-field', () => {
    it('should flag fields at the wrong level and unknown keys, at the key', async () => {
      expect(await findings([fx('misplaced-field.yaml')], 'misplaced-field')).to.deep.equal([
        'misplaced-field.yaml:3:1 error podSelector',
        'misplaced-field.yaml:7:3 error metadata.policyTypes',
        'misplaced-field.yaml:10:3 error spec.ports',
        'misplaced-field.yaml:12:3 error spec.namespaceSelector',
        'misplaced-field.yaml:15:11 error spec.ingress[0].from[0].podselector',
        'misplaced-field.yaml:16:11 error spec.ingress[0].from[1].matchLabels',
        'misplaced-field.yaml:17:40 error spec.ingress[0].from[2].ipBlock.exept',
        'misplaced-field.yaml:18:7 error spec.ingress[0].to',
        'misplaced-field.yaml:21:23 error spec.ingress[0].ports[0].protocl',
        'misplaced-field.yaml:22:3 error spec.Egress',
        'misplaced-field.yaml:23:3 error spec.colour',
      ]);
    });

    it('should suggest where the field belongs or what was meant', async () => {
      const m = await messages([fx('misplaced-field.yaml')], 'misplaced-field');
      expect(m[2]).to.contain('`ports` does not belong in spec').and.contain('spec.ingress[].ports');
      expect(m[4]).to.contain('did you mean `podSelector`');
      expect(m[6]).to.contain('did you mean `except`');
      expect(m[7]).to.contain('ingress rules name their peers with `from`');
    });
  });

  describe('bad-value', () => {
    it('should flag wrong types, out-of-range ports, bad protocols, policyTypes, apiVersion and names', async () => {
      expect(await findings([fx('bad-value.yaml')], 'bad-value')).to.deep.equal([
        'bad-value.yaml:1:1 error apiVersion',
        'bad-value.yaml:4:3 error metadata.name',
        'bad-value.yaml:6:13 error metadata.labels.enabled',
        'bad-value.yaml:9:17 error spec.policyTypes[0]',
        'bad-value.yaml:10:3 error spec.ingress',
        'bad-value.yaml:14:7 error spec.egress[0].to',
        'bad-value.yaml:17:13 error spec.egress[0].ports[0].port',
        'bad-value.yaml:18:13 error spec.egress[0].ports[1].port',
        'bad-value.yaml:18:26 error spec.egress[0].ports[1].protocol',
        'bad-value.yaml:19:13 error spec.egress[0].ports[2].port',
        'bad-value.yaml:20:23 error spec.egress[0].ports[3].endPort',
        'bad-value.yaml:24:1 error metadata',
      ]);
    });
  });

  describe('peer-and-vs-or', () => {
    it('should warn at the second of two adjacent single-selector peers, in both directions', async () => {
      expect(await findings([fx('peer-and-vs-or.yaml')], 'peer-and-vs-or')).to.deep.equal([
        'peer-and-vs-or.yaml:12:11 warning spec.ingress[0].from[1]',
        'peer-and-vs-or.yaml:17:11 warning spec.egress[0].to[1]',
      ]);
    });

    it('should explain OR versus AND', async () => {
      const [m] = await messages([fx('peer-and-vs-or.yaml')], 'peer-and-vs-or');
      expect(m).to.contain('ORed').and.contain('one peer with both selectors');
    });
  });

  describe('duplicate-name', () => {
    it('should flag a policy name repeated in the same namespace across files, pointing at the first', async () => {
      expect(await findings([fx('duplicate-name-a.yaml'), fx('duplicate-name-b.yaml')], 'duplicate-name')).to.deep.equal([
        'duplicate-name-b.yaml:5:3 error metadata.name',
      ]);
      const [m] = await messages([fx('duplicate-name-a.yaml'), fx('duplicate-name-b.yaml')], 'duplicate-name');
      expect(m).to.contain(`shop/web is already defined at ${fx('duplicate-name-a.yaml')}:4:3`);
    });

    it('should not flag the same name in another namespace', async () => {
      expect(await findings([fx('duplicate-name-a.yaml')], 'duplicate-name')).to.deep.equal([]);
    });

    it('should flag a second apply in a scenario but not apply after delete', async () => {
      expect(await findings([fx('scenario/scenario.yaml')], 'duplicate-name')).to.deep.equal([
        'scenario/scenario.yaml:48:25 error spec.steps[1].actions[0].apply.metadata.name',
      ]);
    });
  });

  describe('selects-no-pod', () => {
    it("should warn when a scenario policy selects none of its namespace's pods in any step (grid, declared pods, relabels)", async () => {
      expect(await findings([fx('scenario/scenario.yaml')], 'selects-no-pod')).to.deep.equal([
        'scenario/scenario.yaml:27:15 warning spec.steps[0].actions[1].apply.spec.podSelector',
      ]);
    });

    it('should still know the pods when the topology does not pass the scenario schema', async () => {
      expect(await findings([fx('scenario/broken-topology.yaml')], 'selects-no-pod')).to.deep.equal([
        'scenario/broken-topology.yaml:21:15 warning spec.steps[0].actions[0].apply.spec.podSelector',
      ]);
    });

    it('should not run on plain manifests, whose pods are unknown', async () => {
      expect(await findings([fx('peer-and-vs-or.yaml')], 'selects-no-pod')).to.deep.equal([]);
    });
  });

  describe('egress-without-dns', () => {
    it('should warn for each egress-isolating policy of a namespace lacking DNS on UDP or TCP 53', async () => {
      expect(await findings([fx('egress-without-dns.yaml')], 'egress-without-dns')).to.deep.equal([
        'egress-without-dns.yaml:11:7 warning spec.policyTypes[1]',
        'egress-without-dns.yaml:20:3 warning spec.egress',
        'egress-without-dns.yaml:35:3 warning spec.egress',
      ]);
    });

    it('should say which of UDP and TCP is missing', async () => {
      const m = await messages([fx('egress-without-dns.yaml')], 'egress-without-dns');
      expect(m[0]).to.contain('namespace shop').and.contain('on TCP 53 (only UDP 53 is allowed)');
      expect(m[2]).to.contain('namespace bank').and.contain('either UDP 53 or TCP 53');
    });

    it('should consider the policies of a scenario together', async () => {
      expect(await findings([fx('scenario/scenario.yaml')], 'egress-without-dns')).to.deep.equal([
        'scenario/scenario.yaml:59:15 warning spec.steps[1].actions[2].apply.spec.egress',
      ]);
    });
  });

  describe('never-matches', () => {
    it('should flag contradictory selectors', async () => {
      expect(await findings([fx('never-matches.yaml')], 'never-matches')).to.deep.equal([
        'never-matches.yaml:10:9 warning spec.podSelector.matchExpressions[0]',
        'never-matches.yaml:27:17 warning spec.ingress[0].from[2].namespaceSelector.matchExpressions[1]',
        'never-matches.yaml:31:17 warning spec.ingress[0].from[3].namespaceSelector.matchExpressions[1]',
      ]);
    });

    it('should leave what the API server rejects (empty ranges, excepts outside the cidr, In []) to the error rules', async () => {
      const issues = await lintFiles([fx('never-matches.yaml')]);
      expect(issues.filter((i) => i.severity === 'error').map((i) => `${where(i)} ${/^\[([a-z-]+)\]/.exec(i.message)?.[1]}`)).to.deep.equal([
        'never-matches.yaml:17:17 error spec.ingress[0].from[0].ipBlock.except[1] bad-cidr',
        'never-matches.yaml:18:17 error spec.ingress[0].from[0].ipBlock.except[2] bad-cidr',
        'never-matches.yaml:19:17 error spec.ingress[0].from[0].ipBlock.except[3] bad-cidr',
        'never-matches.yaml:20:17 error spec.ingress[0].from[0].ipBlock.except[4] bad-cidr',
        'never-matches.yaml:23:44 error spec.ingress[0].from[1].podSelector.matchExpressions[0].values bad-selector',
        'never-matches.yaml:33:23 error spec.ingress[0].ports[0].endPort bad-value',
        'never-matches.yaml:34:25 error spec.ingress[0].ports[1].endPort bad-value',
      ]);
    });

    it("should flag selector peers that match no namespace or pod of a scenario's topology", async () => {
      expect(await findings([fx('scenario/scenario.yaml')], 'never-matches')).to.deep.equal([
        'scenario/scenario.yaml:73:23 warning spec.steps[2].actions[0].apply.spec.ingress[0].from[0].namespaceSelector',
        'scenario/scenario.yaml:75:23 warning spec.steps[2].actions[0].apply.spec.ingress[0].from[1].podSelector',
        'scenario/scenario.yaml:76:23 warning spec.steps[2].actions[0].apply.spec.ingress[0].from[2].podSelector',
      ]);
    });

    it('should say what contradicts what', async () => {
      const m = await messages([fx('never-matches.yaml')], 'never-matches');
      expect(m[0]).to.contain('app NotIn [web] contradicts matchLabels app=web').and.contain('selects no pod');
      expect(m[1]).to.contain('team NotIn [b, a] contradicts team In [a, b]');
    });
  });

  describe('bad-selector', () => {
    it('should flag unknown operators, values with Exists, NotIn without values and invalid keys/values', async () => {
      expect(await findings([fx('bad-selector.yaml')], 'bad-selector')).to.deep.equal([
        'bad-selector.yaml:9:7 error spec.podSelector.matchLabels.enabled',
        'bad-selector.yaml:10:7 error spec.podSelector.matchLabels["bad key!"]',
        'bad-selector.yaml:11:7 error spec.podSelector.matchLabels["example.com/app"]',
        'bad-selector.yaml:17:29 error spec.ingress[0].from[0].podSelector.matchExpressions[0].operator',
        'bad-selector.yaml:18:47 error spec.ingress[0].from[0].podSelector.matchExpressions[1].values',
        'bad-selector.yaml:19:30 error spec.ingress[0].from[0].podSelector.matchExpressions[2].operator',
        'bad-selector.yaml:20:53 error spec.ingress[0].from[0].podSelector.matchExpressions[3].values[0]',
      ]);
    });
  });

  describe('bad-cidr', () => {
    it('should flag invalid CIDRs, bare IPs, malformed placeholders and placeholders in plain manifests', async () => {
      expect(await findings([fx('bad-cidr.yaml')], 'bad-cidr')).to.deep.equal([
        'bad-cidr.yaml:11:13 error spec.egress[0].to[0].ipBlock.cidr',
        'bad-cidr.yaml:13:13 error spec.egress[0].to[1].ipBlock.cidr',
        'bad-cidr.yaml:14:22 error spec.egress[0].to[1].ipBlock.except[0]',
        'bad-cidr.yaml:16:13 error spec.egress[0].to[2].ipBlock.cidr',
        'bad-cidr.yaml:19:22 error spec.egress[0].to[3].ipBlock.except[0]',
        'bad-cidr.yaml:19:59 error spec.egress[0].to[3].ipBlock.except[2]',
        'bad-cidr.yaml:20:11 error spec.egress[0].to[4].ipBlock',
      ]);
    });

    it('should accept placeholders in scenario policies and in files a scenario includes', async () => {
      expect(await findings([fx('scenario/scenario.yaml'), fx('scenario/policies.yaml')], 'bad-cidr')).to.deep.equal([]);
    });
  });

  describe('missing-namespace', () => {
    it('should warn for a plain manifest without metadata.namespace', async () => {
      expect(await findings([fx('missing-namespace.yaml')], 'missing-namespace')).to.deep.equal(['missing-namespace.yaml:3:1 warning metadata']);
    });

    it('should treat a file a scenario includes as scenario input, not also as a plain manifest', async () => {
      expect(await findings([fx('scenario/policies.yaml'), fx('scenario/scenario.yaml')], 'missing-namespace')).to.deep.equal([
        'scenario/policies.yaml:3:1 error metadata',
        'scenario/scenario.yaml:37:13 error spec.steps[0].actions[3].apply.metadata',
      ]);
    });

    it('should be an error in a scenario, unless the include sets the namespace', async () => {
      expect(await findings([fx('scenario/scenario.yaml')], 'missing-namespace')).to.deep.equal([
        'scenario/scenario.yaml:37:13 error spec.steps[0].actions[3].apply.metadata',
        'scenario/policies.yaml:3:1 error metadata',
      ]);
    });
  });

  describe('egress-not-isolated', () => {
    it('should warn on `egress: []` without policyTypes and not on an explicit Egress deny', async () => {
      expect(await findings([fx('egress-not-isolated.yaml')], 'egress-not-isolated')).to.deep.equal(['egress-not-isolated.yaml:6:3 warning spec.egress']);
    });
  });

  describe('validator: what the API server rejects is an error', () => {
    const v = (name: string): string => fx(`validator/${name}`);
    const errorsOf = async (files: string[]): Promise<string[]> =>
      (await lintFiles(files)).filter((i) => i.severity === 'error').map((i) => `${where(i)} ${/^\[([a-z-]+)\]/.exec(i.message)?.[1]}`);

    it('should report each rejected class at the offending field', async () => {
      expect(await errorsOf([v('rejected.yaml')])).to.deep.equal([
        'validator/rejected.yaml:4:1 error metadata bad-value',
        'validator/rejected.yaml:4:13 error metadata.generateName misplaced-field',
        'validator/rejected.yaml:7:1 error  bad-value',
        'validator/rejected.yaml:11:1 error apiVersion bad-value',
        'validator/rejected.yaml:16:1 error  bad-value',
        'validator/rejected.yaml:25:26 error spec.policyTypes[1] bad-value',
        'validator/rejected.yaml:32:3 error spec.policyTypes bad-value',
        'validator/rejected.yaml:32:34 error spec.policyTypes[2] bad-value',
        'validator/rejected.yaml:40:14 error spec.ingress[0].from[0] bad-peer',
        'validator/rejected.yaml:49:11 error spec.ingress[0].from[0].ipBlock bad-peer',
        'validator/rejected.yaml:58:21 error spec.podSelector.matchExpressions[0].operator bad-selector',
        'validator/rejected.yaml:66:38 error spec.podSelector.matchExpressions[0].values bad-selector',
        'validator/rejected.yaml:73:20 error spec.podSelector.matchLabels.version bad-selector',
        'validator/rejected.yaml:80:13 error metadata.labels["bad key!"] bad-value',
        'validator/rejected.yaml:88:13 error metadata.labels.enabled bad-value',
        'validator/rejected.yaml:97:27 error spec.ingress[0].ports[0].endPort bad-value',
        'validator/rejected.yaml:105:17 error spec.ingress[0].ports[0].endPort bad-value',
        'validator/rejected.yaml:113:55 error spec.ingress[0].from[0].ipBlock.except[0] bad-cidr',
      ]);
    });

    it('should quote numbers as written and explain generateName', async () => {
      const m = (await lintFiles([v('rejected.yaml')])).map((i) => i.message);
      expect(m.find((x) => x.includes('"version"'))).to.contain('YAML reads 1.0 as a number, so quote it ("1.0")');
      expect(m.find((x) => x.includes('generateName'))).to.contain('need a fixed metadata.name');
    });

    it('should reject unquoted words kubectl reads as booleans (YAML 1.1), and accept them quoted', async () => {
      expect(await errorsOf([v('kubectl-yaml.yaml')])).to.deep.equal([
        'validator/kubectl-yaml.yaml:7:13 error metadata.labels.beta bad-value',
        'validator/kubectl-yaml.yaml:10:20 error spec.podSelector.matchLabels.canary bad-selector',
        'validator/kubectl-yaml.yaml:12:45 error spec.podSelector.matchExpressions[0].values[0] bad-selector',
      ]);
    });

    it('should reject empty files, list and scalar documents, and objects without apiVersion or kind', async () => {
      expect(await errorsOf([v('documents.yaml'), v('empty.yaml')])).to.deep.equal([
        'validator/documents.yaml:1:1 error  bad-document',
        'validator/documents.yaml:4:1 error  bad-document',
        'validator/documents.yaml:6:1 error  bad-document',
        'validator/documents.yaml:8:1 error  bad-document',
        'validator/documents.yaml:8:1 error  bad-document',
        'validator/empty.yaml:1:1 error  bad-document',
      ]);
    });
  });

  describe('smells: valid but probably wrong is a warning, each at its own line', () => {
    it('should warn about an omitted podSelector, host bits, DNS to anywhere and rules policyTypes ignores', async () => {
      const issues = await lintFiles([fx('validator/accepted.yaml')]);
      expect(issues.map((i) => `${where(i)} ${/^\[([a-z-]+)\]/.exec(i.message)?.[1]}`)).to.deep.equal([
        'validator/accepted.yaml:5:1 warning spec implicit-pod-selector',
        'validator/accepted.yaml:14:27 warning spec.ingress[0].from[0].ipBlock.cidr cidr-host-bits',
        'validator/accepted.yaml:23:7 warning spec.egress[0] dns-to-anywhere',
        'validator/accepted.yaml:24:14 warning spec.egress[1].to[0].namespaceSelector dns-to-anywhere',
        'validator/accepted.yaml:26:12 warning spec.egress[2].to[0] dns-to-anywhere',
        'validator/accepted.yaml:35:3 warning spec.egress ignored-rules',
      ]);
      expect(issues[1]?.message).to.contain('it means 10.0.0.0/24');
    });

    it('should report egress-without-dns at the egress rules, not at policyTypes (unless there is no rule)', async () => {
      const egressRules = await findings([fx('scenario/scenario.yaml')], 'egress-without-dns');
      expect(egressRules.every((f) => f.endsWith('.spec.egress'))).to.equal(true, egressRules.join('\n'));
    });
  });

  describe('topology-aware lint', () => {
    const manifests = fx('topology/manifests.yaml');
    const cluster = fx('topology/cluster.yaml');

    it("should lint plain manifests against a --topology scenario's pods, ports and namespaces", async () => {
      const issues = await lintFiles([manifests], { topologyFile: cluster });
      expect(issues.map((i) => `${where(i)} ${/^\[([a-z-]+)\]/.exec(i.message)?.[1]}`)).to.deep.equal([
        'topology/manifests.yaml:14:3 warning spec.podSelector selects-no-pod',
        'topology/manifests.yaml:16:16 warning spec.ingress[0].from[0].namespaceSelector never-matches',
        'topology/manifests.yaml:17:17 warning spec.ingress[0].ports[0].port unknown-named-port',
      ]);
    });

    it('should not guess pods without --topology', async () => {
      expect(await lintFiles([manifests])).to.deep.equal([]);
    });

    it('should report a --topology file that holds no scenario topology', async () => {
      const issues = await lintFiles([manifests], { topologyFile: manifests });
      expect(issues.map((i) => `${where(i)} ${i.message.slice(0, 10)}`)).to.deep.equal(['topology/manifests.yaml:1:1 error  [topology]']);
    });

    it('should make a namespace, pod or external host the topology lacks an error in a scenario', async () => {
      expect(await findings([fx('scenario/scenario.yaml'), fx('scenario/references.yaml')], 'unknown-reference')).to.deep.equal([
        'scenario/scenario.yaml:31:50 error spec.steps[0].actions[2].apply.metadata.namespace',
        'scenario/references.yaml:15:34 error spec.steps[0].actions[0].apply.metadata.namespace',
        'scenario/references.yaml:27:34 error spec.steps[0].actions[1].apply.spec.egress[0].to[1].ipBlock.cidr',
        'scenario/references.yaml:29:34 error spec.steps[0].actions[1].apply.spec.egress[0].to[3].ipBlock.cidr',
      ]);
    });

    it('should make a named port no pod declares an error in a scenario, as check does', async () => {
      const issues = await lintFiles([fx('scenario/named-port.yaml')]);
      expect(issues.filter((i) => i.message.startsWith('[unknown-named-port]')).map(where)).to.deep.equal([
        'scenario/named-port.yaml:20:45 error spec.steps[0].actions[0].apply.spec.ingress[0].ports[1].port',
      ]);
    });
  });
});

