import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { renderScenarioJsonSchema } from '../../src/scenario/index.js';

describe('renderScenarioJsonSchema', () => {
  it('should match the committed schema/scenario.schema.json (run `npm run schema` when this fails)', () => {
    expect(readFileSync('schema/scenario.schema.json', 'utf8')).to.equal(renderScenarioJsonSchema());
  });

  it('should forbid unknown keys at the top level and inside NetworkPolicy specs', () => {
    const schema = JSON.parse(renderScenarioJsonSchema()) as { additionalProperties: unknown; definitions?: unknown; $defs?: unknown };
    expect(schema.additionalProperties).to.equal(false);
    expect(renderScenarioJsonSchema()).to.include('"podSelector"');
  });
});

describe('gen-schema --check', () => {
  it('should exit 0 when the committed schema is fresh', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-schema.ts', '--check'], { encoding: 'utf8' });
    expect(out).to.include('up to date');
  });

  it('should exit 1 when the schema file is stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netseg-schema-'));
    try {
      const stale = join(dir, 'scenario.schema.json');
      writeFileSync(stale, renderScenarioJsonSchema().replace('"podSelector"', '"podSelectorX"'));
      let status = 0;
      try {
        execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-schema.ts', '--check', '--out', stale], { encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        status = (err as { status: number }).status;
      }
      expect(status).to.equal(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
