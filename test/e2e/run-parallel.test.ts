// `netseg run --parallel`: scenarios at once, each in its own netns world. Two consecutive runs of
// the recipes must pass every cell with no flapping, report the scenarios in file order, print
// each scenario's progress in one piece, and leave nothing of their run ids behind.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { leftovers, netnsUnavailable } from './netns-helpers.js';
import { runNetseg } from './support/run-cli.js';

const PACK = 'scenarios/recipes';

describe('netseg run --parallel on the netns datapath (e2e)', function () {
  this.timeout(600_000);
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  for (const attempt of [1, 2]) {
    it(`should pass every cell of ${PACK} in 4 worlds with no flapping, in file order (run ${attempt} of 2)`, async () => {
      const runId = `e2epar${attempt}${Math.floor(Math.random() * 1000)}`;
      // Which worlds' node namespaces exist at once, sampled whenever the run prints.
      let most = 0;
      const onStderr = (): undefined => {
        const nodes = readdirSync('/run/netns').filter((n) => n.startsWith(`netseg-${runId}-w`) && n.endsWith('-node'));
        most = Math.max(most, nodes.length);
        return undefined;
      };
      const r = await runNetseg(['run', PACK, '--parallel', '4', '--run-id', runId, '--reporter', 'json'], { timeoutMs: 300_000, onStderr });
      const report = parseRunReport(r.stdout, 'stdout');
      const cells = report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
      expect(cells.filter((c) => c.status !== 'pass').slice(0, 5), r.stderr).to.deep.equal([]);
      expect(report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.convergence?.flapped ?? []))).to.deep.equal([]);
      expect(r.code, r.stderr).to.equal(0);
      // File order, as a serial run reports them.
      const files = report.scenarios.map((s) => s.file);
      expect(files).to.deep.equal([...files].sort());
      expect(files).to.have.length.greaterThan(10);
      // Each scenario's progress lines come in one piece: once another scenario speaks, it is done.
      const speakers = r.stderr.split('\n').map((l) => /^(recipe-[\w-]+): /.exec(l)?.[1]).filter((s): s is string => s !== undefined);
      const runs = speakers.filter((s, i) => s !== speakers[i - 1]);
      expect(runs).to.deep.equal([...new Set(runs)]);
      // Several worlds really were up at once.
      expect(most).to.be.at.least(2);
      expect(await leftovers(runId)).to.deep.equal([]);
    });
  }
});
