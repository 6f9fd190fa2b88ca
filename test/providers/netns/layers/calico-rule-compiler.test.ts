import { expect } from 'chai';
import type { CalicoRule, Topology } from '../../../../src/model/index.js';
import { CalicoRuleCompiler } from '../../../../src/providers/netns/layers/calico-rule-compiler.js';
import type { LayerRule } from '../../../../src/providers/netns/layers/netns-layer.js';
import { calicoPolicy, globalPolicy, gridTopology, sel } from '../fixtures.js';

// gridTopology: x/a 10.244.0.1, x/b .2, y/a .3, y/b .4 (namespace y: team=blue), kube-system/coredns .5.
const base = gridTopology({ externals: true });
const topology: Topology = {
  ...base,
  pods: base.pods.map((p) => (p.namespace === 'y' && p.name === 'b' ? { ...p, serviceAccount: 'robot' } : p)),
  serviceAccounts: [{ namespace: 'y', name: 'robot', labels: { role: 'bot' } }],
};
const compiler = new CalicoRuleCompiler({ topology, policies: [] });
const pod = (ref: string) => topology.pods.find((p) => `${p.namespace}/${p.name}` === ref)!;
const block = (cidr: string, except: string[] = []) => ({ cidr, except });
/** The rules one rule compiles to at `subject`, with peers and ports written compactly. */
function compile(rule: CalicoRule, options: { direction?: 'ingress' | 'egress'; namespace?: string; subject?: string } = {}): { rules: unknown[]; unevaluable: string[] } {
  const direction = options.direction ?? 'ingress';
  const spec = direction === 'ingress' ? { ingress: [rule] } : { egress: [rule] };
  const p = options.namespace ? calicoPolicy(options.namespace, 'p', spec) : globalPolicy('g', spec);
  const out = compiler.compile(p, pod(options.subject ?? 'x/a'), direction);
  return { rules: out.rules.map(compact), unevaluable: out.unevaluable.map((u) => u.reason) };
}
function compact(r: LayerRule): unknown {
  const peer = r.peer.kind === 'block' ? block(`${r.peer.cidr.network}/${r.peer.cidr.prefix}`, r.peer.except.map((e) => `${e.network}/${e.prefix}`)) : r.peer.kind === 'ips' ? r.peer.ips : 'any';
  return { peer, port: r.port, verdict: r.verdict, ...(r.except ? { except: r.except } : {}) };
}

describe('CalicoRuleCompiler', () => {
  describe('#compile()', () => {
    it('should map the actions to verdicts and match anything without criteria', () => {
      expect(compile({ action: 'Allow' }).rules).to.deep.equal([{ peer: 'any', port: { kind: 'any' }, verdict: 'accept' }]);
      expect(['Deny', 'Pass', 'Log'].map((action) => (compile({ action } as CalicoRule).rules[0] as { verdict: string }).verdict)).to.deep.equal(['deny', 'pass', 'log']);
    });

    it('should scope a selector to the policy namespace, to namespaceSelector namespaces, or to every namespace in a GlobalNetworkPolicy', () => {
      const source = { selector: sel("pod == 'a'") };
      expect(compile({ action: 'Allow', source }, { namespace: 'x' }).rules).to.deep.equal([{ peer: ['10.244.0.1'], port: { kind: 'any' }, verdict: 'accept' }]);
      expect(compile({ action: 'Allow', source }).rules[0]).to.deep.include({ peer: ['10.244.0.1', '10.244.0.3'] });
      expect(compile({ action: 'Allow', source: { ...source, namespaceSelector: sel("team == 'blue'") } }, { namespace: 'x' }).rules[0]).to.deep.include({ peer: ['10.244.0.3'] });
      // namespaceSelector alone: every endpoint of those namespaces; global(): no pod at all (the rule matches nothing).
      expect(compile({ action: 'Allow', source: { namespaceSelector: sel('all()') } }, { namespace: 'x' }).rules[0]).to.deep.include({ peer: ['10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5'] });
      expect(compile({ action: 'Allow', source: { namespaceSelector: sel('global()') } }).rules).to.deep.equal([]);
    });

    it('should let notSelector match external addresses in a GlobalNetworkPolicy, but only own-namespace endpoints in a NetworkPolicy', () => {
      const source = { notSelector: sel("pod == 'b'") };
      expect(compile({ action: 'Deny', source }).rules).to.deep.equal([{ peer: block('0.0.0.0/0', ['10.244.0.2/32', '10.244.0.4/32']), port: { kind: 'any' }, verdict: 'deny' }]);
      // libcalico-go scopes a namespaced policy's rule to its namespace as soon as notSelector is used.
      expect(compile({ action: 'Deny', source }, { namespace: 'x' }).rules).to.deep.equal([{ peer: ['10.244.0.1'], port: { kind: 'any' }, verdict: 'deny' }]);
    });

    it('should combine nets and notNets with selectors and with each other, IPv4 only', () => {
      expect(compile({ action: 'Allow', source: { nets: ['169.254.0.0/16', '10.244.0.0/30', 'fd00::/8'], notNets: ['10.244.0.2/32', 'fd00::1/128'] } }).rules.map((r) => (r as { peer: unknown }).peer)).to.deep.equal([
        block('169.254.0.0/16', ['10.244.0.2/32']),
        block('10.244.0.0/30', ['10.244.0.2/32']),
      ]);
      expect(compile({ action: 'Allow', source: { nets: ['10.244.0.0/30'], selector: sel('all()'), notNets: ['10.244.0.1'] } }).rules[0]).to.deep.include({ peer: ['10.244.0.2', '10.244.0.3'] });
      expect(compile({ action: 'Allow', source: { nets: ['fd00::/8'] } }).rules).to.deep.equal([]);
      expect(compile({ action: 'Allow', ipVersion: 6 }).rules).to.deep.equal([]);
      expect(compile({ action: 'Allow', ipVersion: 4 }).rules).to.have.length(1);
    });

    it('should decide the criteria on the pod the policy applies to at compile time', () => {
      expect(compile({ action: 'Deny', destination: { selector: sel("pod == 'b'") } }).rules).to.deep.equal([]);
      expect(compile({ action: 'Deny', destination: { notNets: ['10.244.0.1/32'] } }).rules).to.deep.equal([]);
      expect(compile({ action: 'Deny', source: { selector: sel("pod == 'a'") } }, { direction: 'egress' }).rules).to.have.length(1);
      expect(compile({ action: 'Deny', source: { notSelector: sel("pod == 'a'") } }, { direction: 'egress' }).rules).to.deep.equal([]);
    });

    it('should select by service account name and labels, scoped like a selector', () => {
      expect(compile({ action: 'Allow', source: { serviceAccounts: { names: ['robot'] } } }).rules[0]).to.deep.include({ peer: ['10.244.0.4'] });
      expect(compile({ action: 'Allow', source: { serviceAccounts: { selector: sel("role == 'bot'") } } }, { namespace: 'x' }).rules).to.deep.equal([]);
      expect(compile({ action: 'Allow', source: { serviceAccounts: { names: ['default'], selector: sel("projectcalico.org/name == 'default'") } } }, { namespace: 'x' }).rules[0]).to.deep.include({ peer: ['10.244.0.1', '10.244.0.2'] });
      expect(compile({ action: 'Allow', source: { selector: sel("projectcalico.org/serviceaccount == 'robot' && pcsa.role == 'bot'") } }).rules[0]).to.deep.include({ peer: ['10.244.0.4'] });
    });

    it('should match ports, ranges and named ports (on the pod for ingress, on the peer pods for egress) under the protocol', () => {
      const ingress = compile({ action: 'Allow', protocol: 'TCP', destination: { ports: [{ number: 80 }, { range: { start: 81, end: 90 } }, { name: 'serve-81-tcp' }, { name: 'serve-80-udp' }] } }).rules;
      expect(ingress.map((r) => (r as { port: unknown }).port)).to.deep.equal([
        { kind: 'range', protocol: 'TCP', from: 80, to: 80 },
        { kind: 'range', protocol: 'TCP', from: 81, to: 90 },
        { kind: 'range', protocol: 'TCP', from: 81, to: 81 },
      ]);
      const egress = compile({ action: 'Allow', protocol: 'UDP', destination: { selector: sel("pod == 'b'"), ports: [{ name: 'serve-80-udp' }] } }, { direction: 'egress' }).rules;
      expect(egress).to.deep.equal([{ peer: 'any', port: { kind: 'tuples', tuples: [{ ip: '10.244.0.2', protocol: 'UDP', port: 80 }, { ip: '10.244.0.4', protocol: 'UDP', port: 80 }] }, verdict: 'accept' }]);
      expect(compile({ action: 'Allow', protocol: 'UDP' }).rules[0]).to.deep.include({ port: { kind: 'protocol', protocol: 'UDP' } });
      expect(compile({ action: 'Deny', protocol: 'ICMP' }).rules[0]).to.deep.include({ port: { kind: 'ipProtocol', number: 1 } });
    });

    it('should exclude notPorts and notProtocol from the rule', () => {
      expect(compile({ action: 'Deny', protocol: 'TCP', destination: { notPorts: [{ number: 53 }, { name: 'serve-81-tcp' }] } }).rules).to.deep.equal([
        { peer: 'any', port: { kind: 'protocol', protocol: 'TCP' }, verdict: 'deny', except: [{ kind: 'range', protocol: 'TCP', from: 53, to: 53 }, { kind: 'range', protocol: 'TCP', from: 81, to: 81 }] },
      ]);
      expect(compile({ action: 'Deny', notProtocol: 'UDP' }).rules).to.deep.equal([{ peer: 'any', port: { kind: 'any' }, verdict: 'deny', except: [{ kind: 'protocol', protocol: 'UDP' }] }]);
    });

    it('should leave out a rule with source ports and report it unevaluable (a probe\'s source port is ephemeral)', () => {
      const out = compile({ action: 'Deny', protocol: 'TCP', source: { ports: [{ number: 1234 }] } });
      expect(out.rules).to.deep.equal([]);
      expect(out.unevaluable).to.deep.equal(['netns cannot evaluate GlobalNetworkPolicy/g ingress[0] Deny: source ports']);
    });
  });
});
