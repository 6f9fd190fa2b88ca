import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../../src/model/index.js';
import { cleanupNetns } from '../../../src/providers/netns/cleanup-netns.js';
import { FakeRunner } from './fake-runner.js';

describe('cleanupNetns', () => {
  let dir: string;
  beforeEach(() => {
    // A scratch stand-in for /run/netns: its files are not any process's namespace, so no process is touched.
    dir = mkdtempSync(join(tmpdir(), 'netseg-cleanup-test-'));
    for (const n of ['netseg-zz9-node', 'netseg-zz9-p0', 'netseg-other-node']) writeFileSync(join(dir, n), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('#cleanupNetns()', () => {
    it('should refuse without root, saying so, and touch nothing', async () => {
      const runner = new FakeRunner();
      const err = await cleanupNetns({ all: true, uid: 1000, netnsDir: dir }, runner).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect((err as EnvironmentError).message).to.match(/needs root.*nothing was removed/);
      expect((err as EnvironmentError).hint).to.contain('sudo npx netseg cleanup --all');
      expect(runner.calls).to.deep.equal([]);
    });

    it('should count as removed only the namespaces that are gone afterwards', async () => {
      const runner = new FakeRunner();
      // `ip` exits 0 but removes only p0: the node namespace must not be claimed.
      runner.respond = () => {
        rmSync(join(dir, 'netseg-zz9-p0'));
        return {};
      };
      const { removed, failed } = await cleanupNetns({ runId: 'zz9', uid: 0, netnsDir: dir }, runner);
      expect(removed).to.deep.equal(['netns netseg-zz9-p0']);
      expect(failed).to.have.length(1);
      expect(failed[0]).to.match(/^netns netseg-zz9-node /);
    });

    it('should remove only the namespaces of the run it was given', async () => {
      const runner = new FakeRunner();
      await cleanupNetns({ runId: 'zz9', uid: 0, netnsDir: dir }, runner);
      expect(runner.calls[0]?.input).to.equal('netns del netseg-zz9-node\nnetns del netseg-zz9-p0\n');
    });

    it('should remove only its own world of a parallel run when given one, and every world when not', async () => {
      for (const n of ['netseg-zz9-w0-node', 'netseg-zz9-w0-p0', 'netseg-zz9-w1-node']) writeFileSync(join(dir, n), '');
      const runner = new FakeRunner();
      await cleanupNetns({ runId: 'zz9', world: 0, uid: 0, netnsDir: dir }, runner);
      expect(runner.calls[0]?.input).to.equal('netns del netseg-zz9-w0-node\nnetns del netseg-zz9-w0-p0\n');
      await cleanupNetns({ runId: 'zz9', uid: 0, netnsDir: dir }, runner);
      expect(runner.calls[1]?.input).to.contain('netns del netseg-zz9-w1-node\n');
    });
  });
});
