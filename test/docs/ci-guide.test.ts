import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkScenarios } from '../../src/app/check-scenarios.js';

describe('docs/ci-guide.md', () => {
  it('should scaffold a scenario that passes, and a frozen table the engine confirms', async () => {
    const guide = await readFile('docs/ci-guide.md', 'utf8');
    const blocks = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const policy = blocks.find((b) => b.includes('kind: NetworkPolicy'))!;
    const scenario = blocks.find((b) => b.includes('kind: Scenario'))!;
    const table = blocks.find((b) => b.includes('tables:'))!;
    const dir = await mkdtemp(join(tmpdir(), 'netseg-guide-'));
    try {
      await mkdir(join(dir, 'policies'));
      await writeFile(join(dir, 'policies', 'api.yaml'), policy);
      await writeFile(join(dir, 'api.yaml'), scenario);
      const computed = await checkScenarios([join(dir, 'api.yaml')]);
      expect(computed.counts.fail).to.equal(0);
      const frozen = scenario.replace('      expect: computed\n', table);
      expect(frozen).to.not.equal(scenario);
      await writeFile(join(dir, 'api.yaml'), frozen);
      const checked = await checkScenarios([join(dir, 'api.yaml')]);
      expect(checked.counts.fail).to.equal(0);
      const step = checked.scenarios[0]!.steps.find((s) => s.name === 'api only from frontend')!;
      const debugToApi = step.cells.find((c) => c.from === 'tools/debug' && c.to === 'shop/api')!;
      expect([debugToApi.expected, debugToApi.engine]).to.deep.equal(['blocked', 'blocked']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
