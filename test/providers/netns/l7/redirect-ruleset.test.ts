import { expect } from 'chai';
import { execa } from 'execa';
import { PROXY_GID } from '../../../../src/providers/netns/l7/haproxy-config.js';
import { redirectRuleset } from '../../../../src/providers/netns/l7/redirect-ruleset.js';

const LISTENERS = [
  { port: 80, listen: 15000 },
  { port: 80, listen: 15001, to: [{ cidr: '10.244.0.1/32', except: [] }, { cidr: '10.0.0.0/8', except: ['10.0.0.4/32', '10.0.0.5/32'] }, { cidr: '::/0', except: [] }] },
];

describe('redirectRuleset', () => {
  describe('#output()', () => {
    it('should redirect an egress port to its destinations on the output hook, skipping the proxy group, and ingress ports on prerouting only', () => {
      const text = redirectRuleset(LISTENERS);
      expect(text).to.include('iifname "eth0" tcp dport 80 redirect to :15000');
      expect(text).to.include(`oifname "eth0" meta skgid != ${PROXY_GID} ip daddr 10.244.0.1/32 tcp dport 80 redirect to :15001`);
      expect(text).to.include(`oifname "eth0" meta skgid != ${PROXY_GID} ip daddr 10.0.0.0/8 ip daddr != { 10.0.0.4/32, 10.0.0.5/32 } tcp dport 80 redirect to :15001`);
      expect(text).to.include(`ip6 daddr ::/0 tcp dport 80 redirect to :15001`);
      expect(text.match(/redirect to :15000/g)).to.have.length(1);
      expect(redirectRuleset([{ port: 80, listen: 15000 }])).to.not.include('chain output');
    });

    it('should be accepted by nft -c (skipped without root)', async function () {
      if (process.getuid?.() !== 0) this.skip();
      const r = await execa('nft', ['-c', '-f', '-'], { input: redirectRuleset(LISTENERS), reject: false });
      expect(r.exitCode, String(r.stderr)).to.equal(0);
    });
  });
});
