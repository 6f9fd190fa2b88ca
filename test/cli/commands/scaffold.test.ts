import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as runCliCaptured } from '../run-cli.js';

describe('scaffold command', () => {
  describe('#action()', () => {
    it('should write a scenario that check passes, named after the output file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'netseg-scaffold-test-'));
      try {
        const out = join(dir, 'shop.yaml');
        const r = await runCliCaptured('scaffold', 'test/fixtures/scaffold/shop.yaml', '-o', out);
        expect(r.code).to.equal(0);
        expect(r.stderr).to.contain('left out test/fixtures/scaffold/shop.yaml:47:1');
        expect(readFileSync(out, 'utf8')).to.contain('name: shop\n');
        expect((await runCliCaptured('check', out)).code).to.equal(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('should exit 2 naming a missing manifest file', async () => {
      const r = await runCliCaptured('scaffold', 'no/such.yaml');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('no/such.yaml:1:1: no such file or directory');
    });

    it('should exit 2 when --from-cluster has no --context', async () => {
      const r = await runCliCaptured('scaffold', '--from-cluster');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('--from-cluster needs an explicit --context NAME');
    });
  });
});
