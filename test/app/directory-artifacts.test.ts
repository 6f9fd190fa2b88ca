import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { artifactsDirFor, DirectoryArtifacts } from '../../src/app/directory-artifacts.js';

describe('DirectoryArtifacts', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'netseg-artifacts-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('#write()', () => {
    it('should create directories and keep every write under the root, whatever the names', async () => {
      const sink = new DirectoryArtifacts(join(dir, 'a'));
      await sink.write('scenarios/deny all/step-1-x: y/failing-cells.json', '{}');
      await sink.write('../../escape/../x.txt', 'x');
      expect(readFileSync(join(dir, 'a', 'scenarios', 'deny_all', 'step-1-x_y', 'failing-cells.json'), 'utf8')).to.equal('{}');
      expect(existsSync(join(dir, 'escape'))).to.equal(false);
      expect(readFileSync(join(dir, 'a', '_', '_', 'escape', '_', 'x.txt'), 'utf8')).to.equal('x');
    });

    it('should log, not throw, when a write fails', async () => {
      const logged: string[] = [];
      const sink = new DirectoryArtifacts(join(dir, 'a'), (m) => logged.push(m));
      await sink.write('f', 'file');
      await sink.write('f/under-a-file', 'x');
      expect(logged.join('\n')).to.match(/could not write artifact/);
    });
  });
});

describe('artifactsDirFor()', () => {
  it('should take --artifacts, else default to .netseg/<run id> under the working directory on CI only', () => {
    expect(artifactsDirFor('out', 'r1', {})).to.equal(resolve('out'));
    expect(artifactsDirFor(undefined, 'r1', { CI: 'true' })).to.equal(resolve('.netseg', 'r1'));
    expect(artifactsDirFor(undefined, 'r1', {})).to.equal(undefined);
  });

  it('should not count CI=false, CI=0 or an empty CI as CI', () => {
    for (const CI of ['false', 'FALSE', '0', 'no', '']) expect(artifactsDirFor(undefined, 'r1', { CI }), CI).to.equal(undefined);
    expect(artifactsDirFor(undefined, 'r1', { CI: '1' })).to.equal(resolve('.netseg', 'r1'));
  });
});
