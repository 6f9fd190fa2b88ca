import { expect } from 'chai';
import { candidateNames, parseResolvConf } from '../../src/agent/resolv-conf.js';

describe('resolv-conf', () => {
  describe('#parseResolvConf()', () => {
    it('should read a Kubernetes pod resolv.conf', () => {
      const conf = parseResolvConf('search x.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
      expect(conf).to.deep.equal({ nameservers: [{ address: '10.96.0.10', port: 53 }], search: ['x.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5, attemptTimeoutMs: 5000 });
    });

    it('should accept the IP:port and [IPv6]:port forms and skip comments and garbage', () => {
      const conf = parseResolvConf('# comment\nnameserver 127.0.0.1:5353 ; trailing\nnameserver [::1]:5300\nnameserver fe80::1%eth0\nnameserver not-an-ip\noptions timeout:1 ndots:x\n');
      expect(conf.nameservers).to.deep.equal([
        { address: '127.0.0.1', port: 5353 },
        { address: '::1', port: 5300 },
        { address: 'fe80::1', port: 53 },
      ]);
      expect(conf.ndots).to.equal(1);
      expect(conf.attemptTimeoutMs).to.equal(1000);
    });

    it('should let the last search or domain line win, as glibc does', () => {
      expect(parseResolvConf('search a.example b.example\ndomain c.example.\n').search).to.deep.equal(['c.example']);
    });
  });

  describe('#candidateNames()', () => {
    const conf = parseResolvConf('nameserver 10.96.0.10\nsearch x.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');

    it('should try the search domains first for a name with fewer dots than ndots', () => {
      expect(candidateNames('b.y', conf)).to.deep.equal(['b.y.x.svc.cluster.local', 'b.y.svc.cluster.local', 'b.y.cluster.local', 'b.y']);
    });

    it('should try the name as is first when it has at least ndots dots', () => {
      expect(candidateNames('a.b.c.d.e.f', conf)[0]).to.equal('a.b.c.d.e.f');
    });

    it('should not search for an absolute name', () => {
      expect(candidateNames('b.y.svc.cluster.local.', conf)).to.deep.equal(['b.y.svc.cluster.local']);
    });
  });
});
