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

  it('should answer the dnsName of an external host with every address it has, and merge externals that share a name', () => {
    const base = gridTopology({ namespaces: ['x'], pods: ['a'] });
    const records = dnsRecords({
      ...base,
      externals: [
        { name: 'api', ip: '192.0.2.10', ips: ['192.0.2.10', '2001:db8::10'], ports: [], dnsName: 'api.example.com' },
        { name: 'api2', ip: '192.0.2.11', ports: [], dnsName: 'api.example.com' },
        { name: 'plain', ip: '192.0.2.12', ports: [] },
      ],
    });
    expect(records['api.example.com']).to.deep.equal(['192.0.2.10', '2001:db8::10', '192.0.2.11']);
    expect(Object.keys(records)).to.not.include('plain');
  });
});
