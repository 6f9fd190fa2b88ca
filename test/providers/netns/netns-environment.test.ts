import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetnsCleanupOptions } from '../../../src/providers/netns/cleanup-netns.js';
import { NetnsEnvironment } from '../../../src/providers/netns/netns-environment.js';
import { netnsNames } from '../../../src/providers/netns/netns-names.js';
import { FakeRunner } from './fake-runner.js';

describe('NetnsEnvironment', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'netns-env-test-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('#[Symbol.asyncDispose]()', () => {
    it('should say what its clean-up could not remove, and how to remove it, before its run directory goes', async () => {
      const logged: string[] = [];
      const asked: NetnsCleanupOptions[] = [];
      const dir = join(root, 'netns');
      const settings = { enforce: true, denyAction: 'drop' as const, nodePath: '/node', agentBundle: '/agent.mjs' };
      const env = new NetnsEnvironment(new FakeRunner(), netnsNames('u2'), dir, settings, (m) => logged.push(m), async (o) => {
        asked.push(o);
        return { removed: ['netns netseg-u2-p0'], failed: ['netns netseg-u2-node (`ip netns del netseg-u2-node` left it in place)'] };
      });
      await env[Symbol.asyncDispose]();
      expect(asked).to.deep.equal([{ runId: 'u2' }]);
      expect(logged).to.deep.equal(['netns: could not remove netns netseg-u2-node (`ip netns del netseg-u2-node` left it in place); remove it with: sudo npx netseg cleanup --run-id u2']);
      expect(existsSync(dir)).to.equal(false);
    });
  });
});
