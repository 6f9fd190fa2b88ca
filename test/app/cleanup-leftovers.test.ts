import { expect } from 'chai';
import { cleanupLeftovers } from '../../src/app/cleanup-leftovers.js';
import { InputError } from '../../src/model/index.js';

describe('cleanupLeftovers', () => {
  describe('#cleanupLeftovers()', () => {
    it('should clean up after k3s (a registry entry, not a missing switch branch)', async () => {
      // A run id no run used: nothing to remove, and no "expected netns, kind or kubeconfig".
      expect(await cleanupLeftovers({ provider: 'k3s', runId: 'h-arch1-none' })).to.deep.equal({ removed: [], failed: [] });
    });

    it('should list every provider of the registry for an unknown name', async () => {
      const err = await cleanupLeftovers({ provider: 'docker', runId: 'r1' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).message).to.contain('--provider docker: expected netns, kind, k3s or kubeconfig');
    });
  });
});
