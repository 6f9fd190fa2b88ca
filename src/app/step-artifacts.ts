import type { ProbeJob } from '../agent/protocol.js';
import { cellId, type ArtifactSink, type CellKey, type CellReport, type HttpProbe, type PeerRef, type Scenario, type StepReport } from '../model/index.js';
import { planJob } from '../probe/plan-jobs.js';
import type { Deployment } from '../providers/provider.js';

/** Cells worth a look after the run: failed, errored, or passing against a known deviation. */
const NOTEWORTHY = new Set<CellReport['status']>(['fail', 'error', 'unexpected-pass']);

/**
 * Writes what a step with failing cells leaves for inspection, to
 * `scenarios/<scenario>/step-<i>-<step>/failing-cells.json`: each such cell's raw outcome, and the
 * probe jobs sent for them, grouped by source pod as the agents got them.
 */
export async function writeStepArtifacts(sink: ArtifactSink, scenario: Scenario, step: StepReport, deployment: Deployment): Promise<void> {
  const noteworthy = step.cells.filter((c) => NOTEWORTHY.has(c.status));
  if (noteworthy.length === 0) return;
  const batches: Record<PeerRef, ProbeJob[]> = {};
  for (const c of noteworthy) {
    const job = jobOf(c, deployment, scenario.probes.timeoutMs, scenario.probes.http);
    if (job) (batches[c.from] ??= []).push(job);
  }
  const cells = noteworthy.map((c) => ({
    cell: cellId(c),
    status: c.status,
    expected: c.expected,
    engine: c.engine,
    observed: c.observed,
    raw: c.raw,
    detail: c.detail,
    why: c.explanation.summary,
  }));
  const content = { scenario: scenario.name, file: scenario.file, step: { index: step.index, name: step.name }, convergence: step.convergence, cells, batches };
  await sink.write(`scenarios/${scenario.name}/step-${step.index}-${step.name}/failing-cells.json`, `${JSON.stringify(content, null, 2)}\n`);
}

/** The job planned for a cell (planning is deterministic, so it is the job that was sent). */
function jobOf(key: CellKey, deployment: Deployment, timeoutMs: number, requests: readonly HttpProbe[] = []): ProbeJob | undefined {
  try {
    return planJob(key, deployment.addresses, deployment.topology, timeoutMs, requests).job;
  } catch {
    return undefined;
  }
}
