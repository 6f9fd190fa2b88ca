import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLeftovers, leftoverWarning } from '../../src/app/find-leftovers.js';
import type { RunOwner } from '../../src/app/run-owner.js';

describe('findLeftovers', () => {
  let root: string;
  let tmp: string;
  let netnsDir: string;
  const runDir = (name: string, owner?: RunOwner) => {
    mkdirSync(join(tmp, name));
    if (owner) writeFileSync(join(tmp, name, 'owner.json'), JSON.stringify(owner));
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'leftovers-test-'));
    tmp = join(root, 'tmp');
    netnsDir = join(root, 'netns');
    mkdirSync(tmp);
    mkdirSync(netnsDir);
    for (const n of ['netseg-dead1-node', 'netseg-dead1-p0', 'netseg-live1-node', 'netseg-other-node']) writeFileSync(join(netnsDir, n), '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const alive = (o: RunOwner) => o.pid === 1;

  describe('#findLeftovers()', () => {
    it('should find the run directory and namespaces of a run whose process is gone, and nothing of live or unowned runs', async () => {
      runDir('netseg-dead1-abc', { runId: 'dead1', provider: 'netns', pid: 4242 });
      runDir('netseg-live1-def', { runId: 'live1', provider: 'netns', pid: 1 });
      runDir('netseg-other-ghi');
      runDir('unrelated', { runId: 'x', provider: 'netns', pid: 4242 });
      const found = await findLeftovers({ tmp, netnsDir, alive });
      expect(found.map((l) => l.owner.runId)).to.deep.equal(['dead1']);
      expect(found[0]!.items).to.deep.equal([`run directory ${join(tmp, 'netseg-dead1-abc')}`, '2 network namespaces (netseg-dead1-node, …)']);
    });

    it('should ignore a corrupt owner record', async () => {
      runDir('netseg-bad-abc');
      writeFileSync(join(tmp, 'netseg-bad-abc', 'owner.json'), '{"runId": 3');
      expect(await findLeftovers({ tmp, netnsDir, alive })).to.deep.equal([]);
    });
  });

  describe('#leftoverWarning()', () => {
    it('should say why each run counts and name the command that removes it', async () => {
      runDir('netseg-dead1-abc', { runId: 'dead1', provider: 'netns', pid: 4242 });
      runDir('netseg-kept1-abc', { runId: 'kept1', provider: 'kind', pid: 4243, kept: true });
      const lines = leftoverWarning(await findLeftovers({ tmp, netnsDir, alive }));
      expect(lines).to.have.length(2);
      expect(lines[0]).to.match(/^warning: run dead1 \(netns, its process 4242 is gone\) left .*; remove it with: netseg cleanup --run-id dead1$/);
      expect(lines[1]).to.match(/kept with --keep.*netseg cleanup --run-id kept1 --provider kind$/);
    });
  });
});
