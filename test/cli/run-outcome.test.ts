import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { runOutcome } from '../../src/cli/run-outcome.js';
import { countCells, REPORT_SCHEMA_VERSION, type CellReport, type RunReport } from '../../src/model/index.js';

function report(cells: Partial<CellReport>[]): RunReport {
  const full = cells.map((c) => ({ from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'SCTP', expected: 'allowed', engine: 'allowed', engineAgrees: true, status: 'skipped', ...c }) as CellReport);
  const counts = countCells(full);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'netseg', version: '0' },
    mode: 'run',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    scenarios: [{ name: 's', file: 's.yaml', tags: [], counts, steps: [{ index: 0, name: 'baseline', cells: full, counts }] }],
    counts,
  };
}

function outcome(r: RunReport) {
  const stderr = new PassThrough();
  const code = runOutcome(r, stderr);
  return { code, stderr: String(stderr.read() ?? '') };
}

describe('runOutcome', () => {
  describe('#runOutcome()', () => {
    it('should exit 1 and give the skip reasons when every cell was skipped', () => {
      const r = outcome(report([{ detail: 'SCTP is not supported by this datapath' }, { detail: 'SCTP is not supported by this datapath' }, { raw: 'no-result' }]));
      expect(r.code).to.equal(1);
      expect(r.stderr).to.equal('netseg: nothing was checked: every cell was skipped (2 × SCTP is not supported by this datapath; 1 × no-result)\n');
    });

    it('should exit 1 and give the reasons when every cell was unsupported, or skipped or unsupported', () => {
      const reason = 'NetworkPolicy is not enforced by kind (cni flannel)';
      const all = outcome(report([{ status: 'unsupported', detail: reason }, { status: 'unsupported', detail: reason }]));
      expect(all).to.deep.equal({ code: 1, stderr: `netseg: nothing was checked: every cell was unsupported (2 × ${reason})\n` });
      const mixed = outcome(report([{ status: 'unsupported', detail: reason }, { detail: 'SCTP is not supported by this datapath' }]));
      expect(mixed.stderr).to.equal(`netseg: nothing was checked: every cell was skipped or unsupported (1 × ${reason}; 1 × SCTP is not supported by this datapath)\n`);
    });

    it('should exit 0 when some cells were unsupported and the others passed', () => {
      const r = outcome(report([{ status: 'pass', protocol: 'TCP' }, { status: 'unsupported', detail: 'NetworkPolicy is not enforced by fake' }]));
      expect(r).to.deep.equal({ code: 0, stderr: '' });
    });

    it('should exit 0 when some cells were skipped and the others passed', () => {
      const r = outcome(report([{ status: 'pass', protocol: 'TCP' }, { detail: 'SCTP is not supported by this datapath' }]));
      expect(r).to.deep.equal({ code: 0, stderr: '' });
    });

    it('should exit 1 without the note when a cell failed', () => {
      expect(outcome(report([{ status: 'fail' }, {}]))).to.deep.equal({ code: 1, stderr: '' });
    });

    it('should exit 1 when there was no cell at all', () => {
      const r = outcome(report([]));
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/nothing was checked: the scenarios have no cells/);
    });
  });
});
