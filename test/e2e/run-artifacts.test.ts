import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leftovers, netnsUnavailable } from './netns-helpers.js';
import { runNetseg } from './support/run-cli.js';

describe('netseg run --artifacts (e2e, netns)', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'netseg-e2e-artifacts-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep the failing cells of a mismatching step with their raw outcomes and probe jobs after the run', async () => {
    const runId = `e2eart${Math.floor(Math.random() * 1000)}`;
    const artifacts = join(dir, 'artifacts');
    const r = await runNetseg(['run', 'scenarios/recipes/01-deny-all-traffic-to-an-application.yaml', '--run-id', runId, '--no-enforce', '--converge-timeout', '2s', '--artifacts', artifacts], { timeoutMs: 150_000 });
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.contain(`artifacts in ${artifacts}`);
    const scenarioDir = join(artifacts, 'scenarios');
    const [scenario] = readdirSync(scenarioDir);
    const [step] = readdirSync(join(scenarioDir, scenario!));
    const file = JSON.parse(readFileSync(join(scenarioDir, scenario!, step!, 'failing-cells.json'), 'utf8')) as { cells: { status: string; expected: string; observed: string; raw: string }[]; batches: Record<string, { id: string; host: string }[]> };
    expect(file.cells.length).to.be.greaterThan(0);
    expect(file.cells.every((c) => c.status === 'fail' && c.expected === 'blocked' && c.observed === 'allowed' && c.raw === 'connected')).to.equal(true);
    expect(Object.values(file.batches).flat().length).to.equal(file.cells.length);
    expect(existsSync(join(artifacts, 'kind-logs')), 'netns has no kind logs').to.equal(false);
    expect(await leftovers(runId)).to.deep.equal([]);
  });
});
