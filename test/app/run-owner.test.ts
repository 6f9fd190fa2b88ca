import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentOwner, ownerAlive, readOwner, writeOwner } from '../../src/app/run-owner.js';

describe('run owner', () => {
  describe('#ownerAlive()', () => {
    it('should call this process alive', () => {
      expect(ownerAlive(currentOwner('r1', 'netns'))).to.equal(true);
    });

    it('should call a process that exited gone', async () => {
      const child = execa(process.execPath, ['-e', '0']);
      const pid = child.pid!;
      await child;
      expect(ownerAlive({ runId: 'r1', provider: 'netns', pid })).to.equal(false);
    });

    it('should call a reused pid (other start time) gone', function () {
      const me = currentOwner('r1', 'netns');
      if (me.startTicks === undefined) this.skip();
      expect(ownerAlive({ ...me, startTicks: me.startTicks! + 1 })).to.equal(false);
    });
  });

  describe('#writeOwner()', () => {
    it('should write a record readOwner reads back', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'owner-test-'));
      try {
        await writeOwner(dir, { ...currentOwner('r1', 'kind'), kept: true });
        expect(await readOwner(dir)).to.include({ runId: 'r1', provider: 'kind', pid: process.pid, kept: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
