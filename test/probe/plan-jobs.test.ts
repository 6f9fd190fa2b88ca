import { expect } from 'chai';
import type { CellKey, HttpProbe } from '../../src/model/index.js';
import { planJob } from '../../src/probe/plan-jobs.js';
import { netnsAddressBook } from '../../src/providers/netns/netns-address-book.js';
import { dualStackTopology, gridTopology } from '../providers/netns/fixtures.js';

const dual = dualStackTopology({ namespaces: ['x'], pods: ['a', 'b'], externals: true });
const book = netnsAddressBook(dual);
const key = (k: Partial<CellKey>): CellKey => ({ from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP', ...k });

describe('planJob', () => {
  describe('#planJob()', () => {
    it('should address each family of a dual-stack cell with that family', () => {
      const host = (k: Partial<CellKey>) => planJob(key(k), book, dual, 500).job;
      expect(host({ family: 'IPv4' })).to.include({ host: '10.244.0.2' });
      expect(host({ family: 'IPv6' })).to.include({ host: 'fd00:10:244::2' });
      expect(host({ family: 'IPv6', target: 'service' })).to.include({ host: 'fd00:10:96::66' });
      expect(host({ family: 'IPv6', target: 'external', to: 'external:metadata' })).to.include({ host: 'fd00:ec2::254' });
    });

    it('should ask the IPv6 DNS Service for AAAA records and resolve names to IPv6 for IPv6 cells, A over IPv4 otherwise', () => {
      const dns = (family: 'IPv4' | 'IPv6', protocol: 'UDP' | 'TCP') => planJob(key({ family, target: 'dns', to: 'kube-system/coredns', port: 53, protocol }), book, dual, 500).job;
      expect(dns('IPv6', 'TCP')).to.include({ kind: 'dns', server: 'fd00:10:96::a', transport: 'TCP', type: 'AAAA' });
      expect(dns('IPv4', 'UDP')).to.include({ server: '10.96.0.10' }).and.not.have.property('type');
      expect(planJob(key({ family: 'IPv6', target: 'dns-name' }), book, dual, 500).job).to.include({ host: 'b.x.svc.cluster.local.', family: 6 });
      expect(planJob(key({ family: 'IPv4', target: 'dns-name' }), book, dual, 500).job).not.to.have.property('family');
    });

    it('should make a request cell an HTTP job to the address its target dials, with the Host header for it (IPv6 bracketed, names without the root dot)', () => {
      const requests: HttpProbe[] = [{ id: 'create', method: 'POST', path: '/orders', headers: { 'x-a': '1' } }, { id: 'GET /', method: 'GET', path: '/', host: 'shop.example', headers: {} }];
      const job = (k: Partial<CellKey>) => planJob(key({ port: 8080, request: 'create', ...k }), book, dual, 500, requests).job;
      expect(job({ family: 'IPv4' })).to.deep.equal({ kind: 'http', id: 'pod-ip x/a -> x/b 8080/TCP [create] IPv4', host: '10.244.0.2', port: 8080, timeoutMs: 500, method: 'POST', path: '/orders', hostHeader: '10.244.0.2:8080', headers: { 'x-a': '1' }, expectIdentity: 'x/b' });
      expect(job({ family: 'IPv6', target: 'service' })).to.include({ host: 'fd00:10:96::66', hostHeader: '[fd00:10:96::66]:8080' });
      expect(job({ family: 'IPv6', target: 'dns-name' })).to.include({ host: 'b.x.svc.cluster.local.', hostHeader: 'b.x.svc.cluster.local:8080', family: 6 });
      expect(job({ family: 'IPv4', port: 80, request: 'GET /' })).to.include({ hostHeader: 'shop.example', method: 'GET' });
      expect(() => job({ family: 'IPv4', request: 'unknown' })).to.throw('no HTTP probe "unknown"');
    });

    it('should dial an external with a dnsName by that name (resolved first), IPv6 cells asking for AAAA', () => {
      const named = { ...dual, externals: dual.externals.map((e) => (e.name === 'metadata' ? { ...e, dnsName: 'metadata.example.com' } : e)) };
      const job = (family: 'IPv4' | 'IPv6') => planJob(key({ family, target: 'external', to: 'external:metadata' }), book, named, 500).job;
      expect(job('IPv6')).to.include({ host: 'metadata.example.com.', family: 6 });
      expect(job('IPv4')).to.include({ host: 'metadata.example.com.' }).and.not.have.property('family');
    });

    it('should plan single-family cells as before', () => {
      const v4 = gridTopology({ namespaces: ['x'], pods: ['a', 'b'] });
      expect(planJob(key({}), netnsAddressBook(v4), v4, 500).job).to.deep.equal({ kind: 'connect', id: 'pod-ip x/a -> x/b 80/TCP', port: 80, protocol: 'TCP', timeoutMs: 500, host: '10.244.0.2', expectIdentity: 'x/b' });
    });
  });
});
