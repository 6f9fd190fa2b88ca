import { expect } from 'chai';
import { cli } from '../run-cli.js';

const OK = 'test/fixtures/cli/ok.yaml';

describe('netseg explain', () => {
  describe('#step', () => {
    it('should explain every step, in order, without --step', async () => {
      const r = await cli('explain', OK, '--from', 'y/a', '--to', 'x/a');
      expect(r.code, r.stderr).to.equal(0);
      const heads = r.stdout.split('\n').filter((l) => l.startsWith('y/a -> x/a'));
      expect(heads).to.deep.equal(['y/a -> x/a 80/TCP (pod-ip) at step 0 "baseline": ALLOWED', 'y/a -> x/a 80/TCP (pod-ip) at step 1 "deny ingress to x/a": BLOCKED']);
    });

    it('should explain only the step --step names', async () => {
      const r = await cli('explain', OK, '--from', 'y/a', '--to', 'x/a', '--step', 'baseline');
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('y/a -> x/a'))).to.deep.equal(['y/a -> x/a 80/TCP (pod-ip) at step 0 "baseline": ALLOWED']);
    });
  });
});
