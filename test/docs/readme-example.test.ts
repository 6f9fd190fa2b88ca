import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkScenarios } from '../../src/app/check-scenarios.js';

describe('README', () => {
  it('should show a scenario that loads and whose expectation the engine confirms', async () => {
    const readme = await readFile('README.md', 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('kind: Scenario'));
    expect(block, 'a yaml block with kind: Scenario').to.be.a('string');
    const dir = await mkdtemp(join(tmpdir(), 'netseg-readme-'));
    try {
      await writeFile(join(dir, 'example.yaml'), block!);
      const report = await checkScenarios([join(dir, 'example.yaml')]);
      expect(report.counts.fail).to.equal(0);
      expect(report.counts.pass).to.be.greaterThan(100);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
