import { expect } from 'chai';
import { familyAddresses } from '../../../src/providers/kube/family-addresses.js';
import type { KubeAddresses } from '../../../src/providers/kube/kube-address-book.js';
import { KubeAddressBook } from '../../../src/providers/kube/kube-address-book.js';
import { podReadiness } from '../../../src/providers/kube/pod-readiness.js';
import { dualStackOf } from '../../builders/dual-stack.js';
import { smallTopology } from './fixtures.js';

describe('familyAddresses', () => {
  const topology = dualStackOf(smallTopology());
  const base: KubeAddresses = {
    podIPs: new Map(topology.pods.filter((p) => !p.system).map((p) => [`${p.namespace}/${p.name}` as const, p.ip])),
    serviceIPs: new Map(topology.pods.filter((p) => !p.system && p.serviceIP).map((p) => [`${p.namespace}/${p.name}` as const, p.serviceIP!])),
    serviceNames: new Map(),
    dnsServer: '10.96.0.10',
  };

  describe('#familyAddresses()', () => {
    it('should give each family present its own pod, Service and DNS addresses', () => {
      const byFamily = familyAddresses(topology, base, ['10.96.0.10', 'fd00:10:96::a'], ['IPv4', 'IPv6']);
      const v6 = byFamily.get('IPv6')!;
      const first = topology.pods.find((p) => !p.system)!;
      const ref = `${first.namespace}/${first.name}` as const;
      expect(v6.podIPs.get(ref)).to.equal(first.ips![1]);
      expect(v6.serviceIPs.get(ref)).to.equal(first.serviceIPs![1]);
      expect(v6.dnsServer).to.equal('fd00:10:96::a');
      expect(byFamily.get('IPv4')!.podIPs.get(ref)).to.equal(first.ip);
    });

    it('should leave out a family the cluster gave no address of, so its cells are skipped', () => {
      const byFamily = familyAddresses(topology, base, ['10.96.0.10'], ['IPv4']);
      expect([...byFamily.keys()]).to.deep.equal(['IPv4']);
      expect(new KubeAddressBook(base, byFamily).ofFamily('IPv6')).to.equal(undefined);
      expect(new KubeAddressBook(base, byFamily).ofFamily('IPv4')?.dnsServer()).to.equal('10.96.0.10');
    });
  });
});

describe('podReadiness', () => {
  describe('#podReadiness()', () => {
    it('should read every address of a dual-stack pod, the primary first, and only podIP of a single-stack one', () => {
      const pod = (status: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' }, status: { conditions: [{ type: 'Ready', status: 'True' }], ...status } });
      expect(podReadiness(pod({ podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }] }))).to.deep.include({ ready: true, ip: '10.244.1.5', ips: ['10.244.1.5', 'fd00:10:244:1::5'] });
      expect(podReadiness(pod({ podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] }))).not.to.have.property('ips');
    });
  });
});
