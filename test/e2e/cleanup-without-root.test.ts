import { expect } from 'chai';
import { execa } from 'execa';
import { REPO } from './netns-helpers.js';

/** Runs the CLI (from source) as user nobody. */
function asNobody(...args: string[]) {
  return execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO, reject: false, timeout: 30_000 });
}

describe('netseg cleanup without root (e2e)', function () {
  this.timeout(60_000);
  before(async function () {
    // Needs root to drop to nobody, and setpriv (util-linux).
    if (process.getuid?.() !== 0 || (await execa('setpriv', ['--version'], { reject: false })).exitCode !== 0) this.skip();
  });

  for (const args of [['--all'], ['--run-id', 'nobodytest']]) {
    it(`should exit 3 saying it needs root, and claim nothing, for cleanup ${args.join(' ')}`, async () => {
      const r = await asNobody('cleanup', ...args);
      expect(r.exitCode, String(r.stderr)).to.equal(3);
      expect(String(r.stderr)).to.match(/needs root/);
      expect(String(r.stderr)).to.not.match(/item\(s\) removed|EACCES|internal error/);
      expect(String(r.stdout)).to.equal('');
    });
  }
});
