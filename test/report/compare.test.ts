import { expect } from 'chai';
import type { RunReport } from '../../src/model/index.js';
import { compareReports, renderComparison, renderComparisonHtml } from '../../src/report/compare.js';
import { reportLabel } from '../../src/report/report-label.js';
import { checkAllPass, runMixed, runOtherProvider } from './fixtures.js';

describe('compareReports()', () => {
  it('should return only the cells whose observed connectivity differs, with expectation and explanation', () => {
    const result = compareReports([
      { label: 'netns', report: runMixed() },
      { label: 'kind/calico', report: runOtherProvider() },
    ]);
    expect(result.labels).to.deep.equal(['netns', 'kind/calico']);
    expect(result.disagreements.map((c) => `${c.step} ${c.cell}`)).to.deep.equal([
      '0 pod-ip y/a -> x/b 80/TCP',
      '1 pod-ip x/a -> x/b 80/TCP',
      '1 pod-ip x/a -> y/a 80/TCP',
    ]);
    const first = result.disagreements[1]!;
    expect(first.expected).to.equal('blocked');
    expect(first.engine).to.equal('blocked');
    expect(first.explanation).to.include('x/b ingress is isolated');
    expect(first.providers.map((p) => p?.observed)).to.deep.equal(['allowed', 'blocked']);
  });

  it('should not count skipped cells as observations, nor scenarios one report lacks', () => {
    const result = compareReports([
      { label: 'netns', report: runMixed() },
      { label: 'kind/calico', report: runOtherProvider() },
    ]);
    expect(result.disagreements.some((c) => c.protocol === 'SCTP')).to.equal(false);
    expect(result.disagreements.some((c) => c.scenario === 'aborted')).to.equal(false);
    expect(result.notes).to.deep.equal(['scenario aborted is missing from kind/calico']);
    // non-skipped cells both reports share: 9 (baseline) + 10 (step 1: 7 pod-ip, 1 dns-name, 2 external; SCTP skipped on netns)
    expect(result.cellsCompared).to.equal(19);
  });

  it('should find no disagreement between identical reports', () => {
    const result = compareReports([
      { label: 'a', report: runMixed() },
      { label: 'b', report: runMixed() },
    ]);
    expect(result.disagreements).to.deep.equal([]);
    expect(result.notes).to.deep.equal([]);
    expect(renderComparison(result, 'table', { color: false })).to.include('every compared cell was observed the same by all providers');
  });

  it('should make duplicate labels unique', () => {
    const result = compareReports([
      { label: 'kind/calico', report: runMixed() },
      { label: 'kind/calico', report: runOtherProvider() },
    ]);
    expect(result.labels).to.deep.equal(['kind/calico', 'kind/calico #2']);
  });

  it('should note check reports, which have no observations to compare', () => {
    const result = compareReports([
      { label: 'check', report: checkAllPass() },
      { label: 'netns', report: runMixed() },
    ]);
    expect(result.cellsCompared).to.equal(0);
    expect(result.notes).to.include('check is a check report: it has no observed connectivity to compare');
    expect(result.notes).to.include('fewer than two run reports: nothing to compare');
  });

  it('should compare three providers and mark absent cells', () => {
    const third: RunReport = { ...runOtherProvider(), scenarios: [] };
    const result = compareReports([
      { label: 'netns', report: runMixed() },
      { label: 'kind/calico', report: runOtherProvider() },
      { label: 'kind/cilium', report: third },
    ]);
    expect(result.disagreements).to.have.length(3);
    expect(result.disagreements[0]!.providers[2]).to.equal(undefined);
    expect(renderComparison(result, 'table', { color: false })).to.include('absent');
  });
});

describe('renderComparison()', () => {
  const result = compareReports([
    { label: 'netns', report: runMixed() },
    { label: 'kind/calico', report: runOtherProvider() },
  ]);

  it('should bracket values violating the expectation, in red only with colour', () => {
    const plain = renderComparison(result, 'table', { color: false });
    expect(plain).to.include('[allowed]').and.not.include('\u001b[');
    expect(renderComparison(result, 'table', { color: true })).to.include('\u001b[31m[allowed]');
  });

  it('should render JSON that parses and carries each provider label', () => {
    const doc = JSON.parse(renderComparison(result, 'json', { color: false }));
    expect(doc.comparisonSchemaVersion).to.equal(1);
    expect(doc.disagreements[0].providers.map((p: { label: string }) => p.label)).to.deep.equal(['netns', 'kind/calico']);
  });

  it('should render one Markdown row per disagreement', () => {
    const md = renderComparison(result, 'markdown', { color: false });
    expect(md.match(/^\| mixed /gm)).to.have.length(3);
  });
});

describe('reportLabel()', () => {
  it('should name a report by provider and CNI', () => {
    expect(reportLabel(runOtherProvider())).to.equal('kind/calico');
    expect(reportLabel(runMixed())).to.equal('netns');
    expect(reportLabel(checkAllPass())).to.equal('check');
  });
});

describe('renderComparisonHtml()', () => {
  it('should draw each provider\'s heat map of every disagreeing slice side by side, disagreeing cells outlined', () => {
    const reports = [runMixed(), runOtherProvider()];
    const result = compareReports([
      { label: 'netns', report: reports[0]! },
      { label: 'kind/calico', report: reports[1]! },
    ]);
    const out = renderComparisonHtml(result, reports);
    const sections = out.split('<section class="step compare"').slice(1);
    expect(sections).to.have.length(2);
    for (const section of sections) {
      expect(section.match(/<div class="provider"><h4>netns<\/h4>/g)).to.have.length(1);
      expect(section.match(/<div class="provider"><h4>kind\/calico<\/h4>/g)).to.have.length(1);
    }
    // 3 disagreeing cells, outlined in both providers' maps
    expect(out.match(/<td class="c [^"]*\bhl\b/g)).to.have.length(6);
    expect(out).to.include('<title>netseg compare: 3 cells differ</title>');
  });

  it('should say so when providers agree', () => {
    const result = compareReports([
      { label: 'a', report: runMixed() },
      { label: 'b', report: runMixed() },
    ]);
    expect(renderComparisonHtml(result, [runMixed(), runMixed()])).to.include('Every compared cell was observed the same by all providers.');
  });
});
