import { expect } from 'chai';
import fc from 'fast-check';
import { CellSpace, cellId, type PolicyObject, type ProbeSettings, type Topology } from '../../src/model/index.js';
import { compilePolicies, FamilyPolicies } from '../../src/policy/index.js';
import { ipv6Image as image, mirroredPolicies as mirrored } from '../builders/dual-stack.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import { policiesArb, topologyArb } from './policy-arbitraries.js';

const RUNS = { numRuns: 80 };
const SETTINGS: ProbeSettings = {
  ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }],
  targets: ['pod-ip', 'service', 'dns-name', 'external'],
  dns: ['UDP'],
  timeoutMs: 1000,
};

/** The arbitrary topology without its IPv6 external host: an IPv4 world to mirror. */
function ipv4World(t: Topology): Topology {
  return { ...t, externals: t.externals.filter((e) => !e.ip.includes(':')) };
}

/** The same world as a dual-stack one: each host also has its IPv6 image. */
function dualWorld(t: Topology): Topology {
  return {
    ...t,
    ipFamilies: ['IPv4', 'IPv6'],
    pods: t.pods.map((p) => ({ ...p, ips: [p.ip, image(p.ip)] })),
    externals: t.externals.map((e) => ({ ...e, ips: [e.ip, image(e.ip)] })),
  };
}

describe('FamilyPolicies', () => {
  describe('#verdict() properties', () => {
    it('should decide each IPv6 cell of a mirrored world as the IPv4 cell of the original (CIDR containment, except and family separation agree across families)', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), clusterNetworkPoliciesArb(2), (raw, nps, cnps) => {
          const v4 = ipv4World(raw);
          const policies: PolicyObject[] = [...nps, ...cnps];
          const original = compilePolicies(v4, policies);
          const dual = new FamilyPolicies(dualWorld(v4), mirrored(policies));
          const differ: string[] = [];
          for (const key of CellSpace.of(v4, SETTINGS).keys()) {
            const want = original.verdict(key);
            const got = dual.verdict({ ...key, family: 'IPv6' });
            if (want !== got) differ.push(`${cellId(key)}: IPv4 ${want}, mirrored IPv6 ${got}`);
          }
          expect(differ).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should never let an ipBlock or network of one family match an address of the other', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), (raw, nps) => {
          const v4 = ipv4World(raw);
          // Only IPv4 CIDRs: the IPv6 cells see policies whose blocks match nothing, the same as empty blocks of no address.
          const v4Only = nps.map((p) => JSON.parse(JSON.stringify(p).replace(/"(fd00::\/16|fd00::\/64)"/g, '"203.0.113.0/24"')) as PolicyObject);
          const dual = new FamilyPolicies(dualWorld(v4), v4Only);
          const none = compilePolicies({ ...v4, pods: v4.pods.map((p) => ({ ...p, ip: '' })), externals: [] }, v4Only);
          const differ: string[] = [];
          for (const key of CellSpace.of({ ...v4, externals: [] }, { ...SETTINGS, targets: ['pod-ip'] }).keys()) {
            const want = none.verdict(key);
            const got = dual.verdict({ ...key, family: 'IPv6' });
            if (want !== got) differ.push(`${cellId(key)}: no-address ${want}, IPv6 ${got}`);
          }
          expect(differ).to.deep.equal([]);
        }),
        RUNS,
      );
    });
  });

  describe('#of()', () => {
    it('should compile a single-family topology once, for any family asked', () => {
      const t = ipv4World(fc.sample(topologyArb, { seed: 1, numRuns: 1 })[0]!);
      const engine = new FamilyPolicies(t, []);
      expect(engine.of(undefined)).to.equal(engine.of('IPv4'));
      expect(engine.of('IPv6')).to.equal(engine.of('IPv4'));
    });
  });
});
