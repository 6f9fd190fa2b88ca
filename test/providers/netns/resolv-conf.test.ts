import { expect } from 'chai';
import { dnsRecords } from '../../../src/providers/netns/dns-records.js';
import { resolvConf } from '../../../src/providers/netns/resolv-conf.js';
import { gridTopology } from './fixtures.js';

describe('resolvConf', () => {
  it('should point at the DNS Service with the Kubernetes search path and ndots:5', () => {
    expect(resolvConf({ dnsServiceIP: '10.96.0.10', clusterDomain: 'cluster.local' }, 'x')).to.equal(
      'nameserver 10.96.0.10\nsearch x.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    );
  });
});

describe('dnsRecords', () => {
  it('should map every Service name to its ClusterIP, and kube-dns to the DNS Service', () => {
    const records = dnsRecords(gridTopology({ namespaces: ['x'], pods: ['a', 'b'] }));
    expect(records).to.deep.equal({
      'a.x.svc.cluster.local': '10.96.0.101',
      'b.x.svc.cluster.local': '10.96.0.102',
      'kube-dns.kube-system.svc.cluster.local': '10.96.0.10',
    });
  });
});
