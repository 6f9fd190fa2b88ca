import { cellId, hasFailures, type CellReport, type RunReport, type ScenarioReport, type StepReport } from '../model/index.js';
import { CellView } from './cell-view.js';
import { escapeXml } from './escape.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { groupSlices, type Slice } from './slices.js';

/** Outcome of one testcase; exactly one element per case keeps every JUnit consumer's counts consistent. */
type CaseOutcome =
  | { readonly kind: 'pass'; readonly out?: string }
  | { readonly kind: 'failure'; readonly message: string; readonly body: string; readonly out?: string }
  | { readonly kind: 'error'; readonly type: 'probe-error' | 'scenario-error'; readonly message: string; readonly body: string; readonly out?: string }
  | { readonly kind: 'skipped'; readonly message: string };

interface TestCase {
  readonly name: string;
  readonly outcome: CaseOutcome;
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * JUnit XML: a testsuite per scenario, a testcase per step × slice (target kind + port/protocol).
 * Mismatches, unexpected passes and scenario disagreements are <failure>s listing every cell with its
 * explanation; a slice with only probe errors is an <error>; an all-skipped slice is <skipped/>, and so
 * is an all-unsupported one (with the reason: the provider does not enforce what it needs).
 */
export class JunitReporter implements Reporter {
  readonly name = 'junit';
  readonly extension = 'xml';
  readonly listing = 'every-cell' as const;

  render(report: RunReport, _options: RenderOptions): string {
    const suites = report.scenarios.map((s) => suite(report, s));
    const total = suites.reduce<Tally>((t, s) => add(t, s.tally), { tests: 0, failures: 0, errors: 0, skipped: 0 });
    const title = `netseg ${report.mode}${report.provider ? ` (${providerLabel(report)})` : ''}`;
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="${escapeXml(title)}"${tallyAttrs(total)} time="${seconds(report.durationMs)}" timestamp="${escapeXml(report.startedAt)}">`,
      ...suites.flatMap((s) => s.lines),
      '</testsuites>',
      '',
    ].join('\n');
  }
}

/** "netns", "kind/calico", plus the run id. */
function providerLabel(report: RunReport): string {
  const p = report.provider!;
  return `${p.name}${p.cni ? `/${p.cni}` : ''}${p.runId ? ` run ${p.runId}` : ''}`;
}

/** One scenario's testsuite with its tally. */
function suite(report: RunReport, s: ScenarioReport): { lines: string[]; tally: Tally } {
  const cases: TestCase[] = s.steps.flatMap((step) => groupSlices(step.cells).map((slice) => sliceCase(report.mode, step, slice)));
  if (s.error !== undefined) cases.push({ name: 'scenario', outcome: { kind: 'error', type: 'scenario-error', message: 'scenario did not run to the end', body: s.error } });
  const tally = cases.reduce<Tally>((t, c) => add(t, tallyOf(c.outcome)), { tests: 0, failures: 0, errors: 0, skipped: 0 });
  const time = s.steps.reduce((ms, st) => ms + (st.convergence?.timeMs ?? 0), 0);
  const props: [string, string | undefined][] = [
    ['mode', report.mode],
    ['provider', report.provider?.name],
    ['cni', report.provider?.cni],
    ['runId', report.provider?.runId],
    ['description', s.description],
    ['tags', s.tags.length > 0 ? s.tags.join(',') : undefined],
    ['result', hasFailures(s.counts) || s.error !== undefined ? 'failed' : s.unsupported ? 'unsupported' : 'passed'],
  ];
  const lines = [
    `  <testsuite name="${escapeXml(s.name)}"${tallyAttrs(tally)} time="${seconds(time)}" timestamp="${escapeXml(report.startedAt)}" file="${escapeXml(s.file)}">`,
    '    <properties>',
    ...props.filter(([, v]) => v !== undefined).map(([k, v]) => `      <property name="${k}" value="${escapeXml(v!)}"/>`),
    '    </properties>',
    ...cases.flatMap((c) => caseLines(s, c)),
    '  </testsuite>',
  ];
  return { lines, tally };
}

/** The testcase of one slice of a step. */
function sliceCase(mode: RunReport['mode'], step: StepReport, slice: Slice): TestCase {
  const name = `step ${step.index}: ${step.name} — ${slice.id}`;
  // Nothing of an interrupted step was judged; the scenario's error testcase says where the run stopped.
  if (step.interrupted) return { name, outcome: { kind: 'skipped', message: `interrupted: the run was stopped (SIGINT/SIGTERM) before this step's ${slice.cells.length} cells were judged` } };
  const { mismatches, deviations, disagreements } = CellView.problems(mode, slice.cells);
  const failing = mismatches.filter((c) => c.status !== 'error');
  const errors = mismatches.filter((c) => c.status === 'error');
  const out = deviations.length > 0 ? section('known deviations (expected failures)', deviations, mode) : undefined;
  const conv = step.convergence && !step.convergence.converged ? `step did not converge after ${step.convergence.rounds} rounds\n\n` : '';
  if (failing.length > 0 || disagreements.length > 0) {
    const parts = [
      failing.length > 0 ? `${failing.length} mismatch${failing.length === 1 ? '' : 'es'}` : '',
      errors.length > 0 ? `${errors.length} probe error${errors.length === 1 ? '' : 's'}` : '',
      disagreements.length > 0 ? `${disagreements.length} scenario disagreement${disagreements.length === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    const body = [
      failing.length > 0 ? section(mode === 'run' ? 'enforcement mismatches' : 'expectation mismatches (engine vs expected)', failing, mode) : '',
      errors.length > 0 ? section('probe errors', errors, mode) : '',
      disagreements.length > 0 ? section('scenario disagreements (the engine contradicts the declared expectation)', disagreements, mode, true) : '',
    ].filter(Boolean);
    return { name, outcome: { kind: 'failure', message: `${parts.join(', ')} of ${cellCount(slice)}`, body: conv + body.join('\n'), ...(out ? { out } : {}) } };
  }
  if (errors.length > 0) {
    return { name, outcome: { kind: 'error', type: 'probe-error', message: `${errors.length} probe error${errors.length === 1 ? '' : 's'} of ${cellCount(slice)}`, body: conv + section('probe errors', errors, mode), ...(out ? { out } : {}) } };
  }
  if (slice.cells.every((c) => c.status === 'unsupported')) {
    return { name, outcome: { kind: 'skipped', message: `unsupported: ${reasons(slice).join('; ')} (${slice.cells.length} cells not probed)` } };
  }
  if (slice.cells.every((c) => c.status === 'skipped')) {
    const why = reasons(slice);
    return { name, outcome: { kind: 'skipped', message: `all ${slice.cells.length} cells skipped${why.length > 0 ? `: ${why.join('; ')}` : ''}` } };
  }
  return { name, outcome: { kind: 'pass', ...(out ? { out } : {}) } };
}

/** The distinct details (reasons) of a slice's cells. */
function reasons(slice: Slice): string[] {
  return [...new Set(slice.cells.map((c) => c.detail).filter((d): d is string => d !== undefined))];
}

/** A titled list of cells, each with its facts, detail and explanation. */
function section(title: string, cells: readonly CellReport[], mode: RunReport['mode'], disagreement = false): string {
  const lines = [`${title}:`];
  for (const c of cells) {
    const head = disagreement
      ? `DISAGREE ${cellId(c)}: expected ${c.expected}, engine ${c.engine}${c.observed ? `, observed ${c.observed}` : ''}`
      : `${c.status.toUpperCase()} ${cellId(c)}: ${CellView.facts(mode, c)}`;
    lines.push(`- ${head}`);
    if (c.detail) lines.push(`  detail: ${c.detail}`);
    lines.push(`  why: ${CellView.explanation(c)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** XML lines of a testcase. */
function caseLines(s: ScenarioReport, c: TestCase): string[] {
  const open = `    <testcase classname="${escapeXml(s.name)}" name="${escapeXml(c.name)}" file="${escapeXml(s.file)}"`;
  const o = c.outcome;
  const out = o.kind !== 'skipped' && o.out ? [`      <system-out>${escapeXml(o.out)}</system-out>`] : [];
  switch (o.kind) {
    case 'pass':
      return out.length > 0 ? [`${open}>`, ...out, '    </testcase>'] : [`${open}/>`];
    case 'skipped':
      return [`${open}>`, `      <skipped message="${escapeXml(o.message)}"/>`, '    </testcase>'];
    case 'failure':
    case 'error':
      return [
        `${open}>`,
        `      <${o.kind} message="${escapeXml(o.message)}" type="${o.kind === 'failure' ? 'mismatch' : o.type}">${escapeXml(o.body)}</${o.kind}>`,
        ...out,
        '    </testcase>',
      ];
  }
}

/** Counts one testcase contributes. */
function tallyOf(o: CaseOutcome): Tally {
  return { tests: 1, failures: o.kind === 'failure' ? 1 : 0, errors: o.kind === 'error' ? 1 : 0, skipped: o.kind === 'skipped' ? 1 : 0 };
}

/** Sum of two tallies. */
function add(a: Tally, b: Tally): Tally {
  return { tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped };
}

/** tests/failures/errors/skipped attributes. */
function tallyAttrs(t: Tally): string {
  return ` tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;
}

/** Milliseconds as JUnit seconds with millisecond precision. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** "1 cell" / "7 cells". */
function cellCount(slice: Slice): string {
  return `${slice.cells.length} cell${slice.cells.length === 1 ? '' : 's'}`;
}
