import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, InputError, type InputIssue } from '../../src/model/index.js';
import { discoverScenarioFiles, loadScenarioFile, loadScenarios } from '../../src/scenario/index.js';

const FIX = 'test/fixtures/scenarios';

async function issuesOf(file: string): Promise<string[]> {
  try {
    await loadScenarioFile(file);
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return (err as InputError).issues.map((i: InputIssue) => formatIssue(i));
  }
  expect.fail(`${file} loaded without errors`);
}

const scratchDirs: string[] = [];
after(() => {
  for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

/** Writes a scenario with the given spec YAML (and metadata, flow style), returns its path. */
function scenarioWith(body: string, metadata = '{ name: t }'): string {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-scn-'));
  scratchDirs.push(dir);
  const file = join(dir, 's.yaml');
  writeFileSync(file, `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: ${metadata}\nspec:\n${body}`);
  return file;
}

describe('loadScenarioFile', () => {
  describe('valid scenarios', () => {
    it('should expand the grid, merge pods and add the implicit namespace label', async () => {
      const s = await loadScenarioFile(`${FIX}/valid/grid-deny.yaml`);
      const refs = s.topology.pods.map((p) => `${p.namespace}/${p.name}`);
      expect(refs).to.deep.equal(['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c', 'w/client', 'kube-system/coredns']);
      const xa = s.topology.pods[0]!;
      expect(xa.labels).to.deep.equal({ pod: 'a', app: 'web' });
      expect(xa.ports.map((p) => p.name)).to.deep.equal(['serve-80-tcp', 'serve-80-udp', 'serve-81-tcp', 'serve-81-udp']);
      expect(s.topology.namespaces.find((n) => n.name === 'x')!.labels).to.deep.equal({ team: 'blue', 'kubernetes.io/metadata.name': 'x' });
      expect(s.topology.namespaces.map((n) => n.name)).to.deep.equal(['x', 'y', 'z', 'w', 'kube-system']);
    });

    it('should plan pod IPs in declaration order and ClusterIPs from .100, the DNS Service at .10', async () => {
      const s = await loadScenarioFile(`${FIX}/valid/grid-deny.yaml`);
      const byRef = new Map(s.topology.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
      expect(byRef.get('x/a')!.ip).to.equal('10.244.0.1');
      expect(byRef.get('w/client')!.ip).to.equal('10.244.0.10');
      expect(byRef.get('x/a')!.serviceIP).to.equal('10.96.0.100');
      expect(byRef.get('w/client')!.service).to.equal(false);
      expect(byRef.get('w/client')!.serviceIP).to.equal(undefined);
      const dns = byRef.get('kube-system/coredns')!;
      expect(dns).to.deep.include({ system: true, service: true, serviceIP: '10.96.0.10', labels: { 'k8s-app': 'kube-dns' } });
      expect(dns.ports.map((p) => `${p.port}/${p.protocol}`)).to.deep.equal(['53/UDP', '53/TCP']);
      expect(s.topology.dnsServiceIP).to.equal('10.96.0.10');
    });

    it('should default probes to the declared ports and to pod-ip plus external', async () => {
      const s = await loadScenarioFile(`${FIX}/valid/grid-deny.yaml`);
      expect(s.probes.ports.map((p) => `${p.port}/${p.protocol}`)).to.deep.equal(['80/TCP', '80/UDP', '81/TCP', '81/UDP']);
      expect(s.probes.targets).to.deep.equal(['pod-ip', 'external']);
      expect(s.probes.dns).to.deep.equal([]);
      expect(s.probes.timeoutMs).to.equal(1000);
    });

    it('should put the baseline step first and load multi-document policy files with their namespace', async () => {
      const s = await loadScenarioFile(`${FIX}/valid/grid-deny.yaml`);
      expect(s.steps.map((st) => st.name)).to.deep.equal(['baseline', 'deny to web', 'from file', 'cleanup']);
      expect(s.steps.map((st) => st.index)).to.deep.equal([0, 1, 2, 3]);
      const fromFile = s.steps[2]!.mutations[0]!;
      expect(fromFile.kind).to.equal('apply');
      if (fromFile.kind !== 'apply') return;
      expect(fromFile.policy.metadata).to.deep.equal({ name: 'allow-from-pod', namespace: 'x' });
      expect(fromFile.source?.file).to.match(/allow-from-pod\.yaml$/);
    });

    it('should parse truth tables with their slice', async () => {
      const s = await loadScenarioFile(`${FIX}/valid/grid-deny.yaml`);
      const exp = s.steps[1]!.expect;
      if (exp.kind !== 'declared') expect.fail('declared expected');
      expect(exp.tables[0]).to.deep.include({ port: 80, protocol: 'TCP', columns: ['x/a', 'x/b'] });
      expect(exp.tables[0]!.rows).to.deep.equal([
        { from: 'x/b', cells: ['blocked', 'allowed'] },
        { from: 'y/a', cells: ['blocked', 'allowed'] },
      ]);
      expect(exp.rules[0]).to.deep.include({ to: { namespace: 'x', pod: 'a' }, port: 81, expect: 'blocked' });
    });

    it('should omit the baseline when baseline is false and honour explicit probes', async () => {
      const s = await loadScenarioFile(
        scenarioWith('  topology: { pods: [{ ref: n/p, ports: [{ port: 8080 }] }], podCIDR: 10.1.0.0/24, serviceCIDR: 10.2.0.0/24 }\n  baseline: false\n  probes: { ports: [8080/TCP, 53], targets: [service], dns: [UDP] }\n  steps: [{ name: only, expect: computed }]\n'),
      );
      expect(s.steps.map((st) => st.name)).to.deep.equal(['only']);
      expect(s.topology.pods[0]!.ip).to.equal('10.1.0.1');
      expect(s.topology.pods[0]!.serviceIP).to.equal('10.2.0.100');
      expect(s.topology.dnsServiceIP).to.equal('10.2.0.10');
      expect(s.probes).to.deep.equal({ ports: [{ port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'TCP' }], targets: ['service'], dns: ['UDP'], timeoutMs: 1000 });
    });

    it('should keep metadata notes in order, and leave notes out when the list is empty or absent', async () => {
      const spec = '  topology: { grid: {} }\n  steps: [{ name: s, expect: computed }]\n';
      const noted = await loadScenarioFile(scenarioWith(spec, '{ name: t, notes: ["the prose says A", "the YAML does B"] }'));
      expect(noted.notes).to.deep.equal(['the prose says A', 'the YAML does B']);
      expect(await loadScenarioFile(scenarioWith(spec, '{ name: t, notes: [] }'))).to.not.have.property('notes');
      expect(await loadScenarioFile(scenarioWith(spec))).to.not.have.property('notes');
    });
  });

  describe('invalid scenarios', () => {
    it('should report schema and semantic errors of a file all at once with file:line:col', async () => {
      const f = `${FIX}/invalid/many-errors.yaml`;
      expect(await issuesOf(f)).to.deep.equal([
        `${f}:13:15: unknown pod "x/nobody" (at spec.steps[0].expect.rules[0].from)`,
        `${f}:22:15: unknown key "ports" (ports belong inside an ingress or egress rule) (at spec.steps[1].actions[0].apply.spec.ports)`,
        `${f}:26:25: port must be between 1 and 65535 (at spec.steps[1].actions[0].apply.spec.ingress[0].ports[0].port)`,
        `${f}:28:9: unknown key "colour" (at spec.steps[1].expect.colour)`,
        `${f}:32:7: expect must be "computed" or an object, got string "computd" (at spec.steps[2].expect)`,
      ]);
    });

    it('should report every semantic rule violation with its position', async () => {
      const f = `${FIX}/invalid/semantic-errors.yaml`;
      const issues = await issuesOf(f);
      const expected = [
        `${f}:11:9: pod "x/a" is declared twice`,
        `${f}:22:51: operator Exists takes no values`,
        `${f}:23:47: operator In needs at least one value`,
        `${f}:26:34: "10.0.0.0/33" is not a CIDR`,
        `${f}:27:34: placeholder names an unknown pod "q/zz"`,
        `${f}:29:35: endPort 80 is less than port 90`,
        `${f}:30:25: named port "http" (TCP) is declared by no pod`,
        `${f}:30:37: endPort cannot be used with a named port`,
        `${f}:31:25: named port "no-such-port" (TCP) is declared by no pod`,
        `${f}:35:25: policy x/p1 already exists`,
        `${f}:40:26: column "q/q" names an unknown pod`,
        `${f}:41:13: row "x/a" has 2 cells but the header has 3 columns`,
        `${f}:42:13: row "x/a" appears twice`,
        `${f}:44:15: unknown pod "x/nobody"`,
        `${f}:45:15: unknown external host "nothing"`,
        `${f}:51:25: policy y/p2 does not exist at this step`,
        `${f}:53:24: unknown pod "z/a"`,
      ];
      expect(issues).to.have.length(expected.length);
      expected.forEach((prefix, i) => expect(issues[i]).to.satisfy((s: string) => s.startsWith(prefix), `${issues[i]} should start with ${prefix}`));
    });

    it('should report problems of included policy files in those files', async () => {
      const issues = await issuesOf(`${FIX}/invalid/include-errors.yaml`);
      expect(issues).to.have.length(3);
      expect(issues[0]).to.match(/include-errors\.yaml:12:20: .*no-policy\.yaml contains no NetworkPolicy/);
      expect(issues[1]).to.match(/include-errors\.yaml:14:20: file not found: .*missing\.yaml/);
      expect(issues[2]).to.match(/bad-policy\.yaml:9:22: "not-a-cidr" is not a CIDR/);
    });

    it('should report YAML syntax errors with their position', async () => {
      const issues = await issuesOf(`${FIX}/invalid/syntax-error.yaml`);
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/syntax-error\.yaml:\d+:\d+: YAML syntax error/);
    });

    it('should reject an empty note and a note that is not a string, at their positions', async () => {
      const f = scenarioWith('  topology: { grid: {} }\n  steps: [{ name: s, expect: computed }]\n', '{ name: t, notes: ["", 3] }');
      const issues = await issuesOf(f);
      expect(issues).to.have.length(2);
      expect(issues[0]).to.include(`${f}:3:`).and.include('a note must not be empty');
      expect(issues[1]).to.include(`${f}:3:`);
    });

    it('should report a missing required key at its parent', async () => {
      const f = scenarioWith('  topology: { grid: {} }\n  steps:\n    - expect: computed\n');
      expect(await issuesOf(f)).to.deep.equal([`${f}:7:7: missing required key "name" (at spec.steps[0].name)`]);
    });

    it('should report duplicate step names and the reserved baseline name', async () => {
      const f = scenarioWith('  topology: { grid: {} }\n  steps:\n    - { name: baseline, expect: computed }\n    - { name: s, expect: computed }\n    - { name: s, expect: computed }\n');
      const issues = await issuesOf(f);
      expect(issues).to.have.length(2);
      expect(issues[0]).to.include('step name "baseline" is reserved');
      expect(issues[1]).to.include(`${f}:9:9: step name "s" is used by step 1 too`);
    });

    it('should reject bad label keys and values, bad pod names and duplicate ports', async () => {
      const f = scenarioWith(
        '  topology:\n    pods:\n      - ref: X/a\n        labels: { "-bad": ok, good: "not ok" }\n        ports: [{ port: 80 }, { port: 80, protocol: TCP, name: Bad_Name }]\n  steps: [{ name: s, expect: computed }]\n',
      );
      const issues = await issuesOf(f);
      expect(issues.join('\n')).to.include('namespace "X" must be a DNS-1123 label');
      expect(issues.join('\n')).to.include('label key "-bad" is invalid');
      expect(issues.join('\n')).to.include('label value "not ok" is invalid');
      expect(issues.join('\n')).to.include('port 80/TCP is declared twice');
      expect(issues.join('\n')).to.include('port name "Bad_Name" must be an IANA service name');
    });

    it('should take external sources in rules and table rows, and refuse them where the host is no source or is real', async () => {
      const topology = '  topology:\n    grid: { namespaces: [x], pods: [a] }\n    externals:\n      - { name: browser, ip: 203.0.113.10, source: true }\n      - { name: meta, ip: 169.254.169.254, ports: [{ port: 80 }] }\n      - { name: cloud, ip: 192.0.2.1, real: true, source: true }\n';
      const ok = scenarioWith(`${topology}  steps:\n    - name: s\n      expect:\n        rules: [{ from: "external:browser", to: x/a, expect: allowed }]\n        tables:\n          80/TCP: |\n            - x/a\n            external:browser .\n`);
      const f = scenarioWith(`${topology}  steps:\n    - name: s\n      expect:\n        rules: [{ from: "external:meta", expect: allowed }]\n        tables:\n          80/TCP: |\n            - x/a\n            external:meta .\n`);
      const messages = (await issuesOf(f)).join('\n');
      expect(messages).to.include('external host "meta" is a destination only; declare it "source: true"');
      expect(messages).to.include('row "external:meta": this external host is a destination only');
      expect(messages).to.include('external host "cloud" is "real"');
      expect((await issuesOf(ok)).join('\n')).to.not.include('browser');
    });

    it('should reject malformed placeholders, unknown externals, bad except and setLabels on unknown namespaces', async () => {
      const policy = (name: string, peer: string): string =>
        `        - apply: { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: ${name}, namespace: x }, spec: { podSelector: {}, egress: [{ to: [${peer}] }] } }\n`;
      const f = scenarioWith(
        '  topology: { grid: {} }\n  steps:\n    - name: s\n      actions:\n' +
          policy('p1', '{ ipBlock: { cidr: "10.0.0.0/8 {{podIP x/a}}" } }') +
          policy('p2', '{ ipBlock: { cidr: "{{externalIP nope}}" } }') +
          policy('p3', '{ ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24] } }') +
          policy('p4', '{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }') +
          '        - setLabels: { namespace: nope, labels: { a: b } }\n        - delete: x/p9\n      expect: computed\n',
      );
      const all = (await issuesOf(f)).join('\n');
      expect(all).to.include('malformed placeholder');
      expect(all).to.include('placeholder names an unknown external host "nope"');
      expect(all).to.include('except 10.1.0.0/24 must lie strictly inside');
      expect(all).to.include('ipBlock cannot be combined');
      expect(all).to.include('unknown namespace "nope"');
      expect(all).to.include('policy x/p9 does not exist at this step');
    });
  });
});

describe('loadScenarios', () => {
  it('should collect the issues of every file before throwing', async () => {
    try {
      await loadScenarios([`${FIX}/invalid/many-errors.yaml`, `${FIX}/invalid/syntax-error.yaml`]);
      expect.fail('should throw');
    } catch (err) {
      const files = new Set((err as InputError).issues.map((i) => i.position.file));
      expect([...files].sort()).to.deep.equal([`${FIX}/invalid/many-errors.yaml`, `${FIX}/invalid/syntax-error.yaml`]);
    }
  });
});

describe('discoverScenarioFiles', () => {
  it('should find scenario files recursively, sorted, skipping other YAML', async () => {
    const files = await discoverScenarioFiles([FIX]);
    expect(files).to.deep.equal([
      `${FIX}/invalid/include-errors.yaml`,
      `${FIX}/invalid/many-errors.yaml`,
      `${FIX}/invalid/semantic-errors.yaml`,
      `${FIX}/invalid/syntax-error.yaml`,
      `${FIX}/valid/grid-deny.yaml`,
      `${FIX}/valid/http-probes.yaml`,
    ]);
  });

  it('should throw InputError for a missing path', async () => {
    try {
      await discoverScenarioFiles(['no/such/dir']);
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).issues[0]!.position.file).to.equal('no/such/dir');
    }
  });
});
