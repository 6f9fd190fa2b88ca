import { expect } from 'chai';
import { cli as runCliCaptured } from '../run-cli.js';

const DIR = 'test/fixtures/lint';

/** `netseg lint …`, in-process. */
function lint(...args: string[]): ReturnType<typeof runCliCaptured> {
  return runCliCaptured('lint', ...args);
}

describe('lintCommand', () => {
  describe('#exit codes', () => {
    it('should exit 2 (bad input) when there is an error, naming file:line:col', async () => {
      const r = await lint(`${DIR}/validator/rejected.yaml`);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.contain(`${DIR}/validator/rejected.yaml:40:14: [bad-peer]`);
      expect(r.stdout).to.not.match(/\n\s+at /);
    });

    it('should exit 0 for warnings alone, and 1 with --strict', async () => {
      expect((await lint(`${DIR}/validator/accepted.yaml`)).code).to.equal(0);
      expect((await lint('--strict', `${DIR}/validator/accepted.yaml`)).code).to.equal(1);
    });

    it('should exit 2 for a file that does not exist', async () => {
      const r = await lint(`${DIR}/validator/missing.yaml`);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.contain('missing.yaml:1:1: [unreadable-file] file not found');
    });
  });

  describe('#directories', () => {
    it('should lint every YAML file under a directory, skipping files that hold no policy or scenario', async () => {
      const r = await lint(`${DIR}/validator`);
      expect(r.code).to.equal(2);
      for (const f of ['accepted', 'kubectl-yaml', 'rejected']) expect(r.stdout).to.contain(`${DIR}/validator/${f}.yaml:`);
      for (const f of ['documents', 'empty']) expect(r.stdout).to.not.contain(`${DIR}/validator/${f}.yaml:`);
      expect(r.stderr).to.contain('5 file(s)');
    });

    it('should reject a non-manifest file named explicitly', async () => {
      const r = await lint(`${DIR}/validator/empty.yaml`);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.contain('empty.yaml:1:1: [bad-document]');
    });
  });

  describe('#--topology', () => {
    it("should lint manifests against the scenario's pods", async () => {
      const r = await lint('--topology', `${DIR}/topology/cluster.yaml`, `${DIR}/topology/manifests.yaml`);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.contain('manifests.yaml:17:17: warning: [unknown-named-port]');
    });
  });
});
