import {
  InputError,
  isDualStack,
  isExternalRef,
  topologyFamilies,
  parsePortKey,
  type CellKey,
  type ExplainedCell,
  type PeerRef,
  type Scenario,
  type TargetKind,
  TARGET_KINDS,
} from '../model/index.js';
import { FamilyPolicies } from '../policy/index.js';
import { replaySteps } from '../scenario/index.js';
import { selectStep } from './plan-records.js';

/** What `netseg explain` asks about. */
export interface ExplainQuery {
  readonly from: string;
  readonly to: string;
  /** "80/TCP"; default: every port/protocol the scenario probes. */
  readonly port?: string;
  readonly step?: string;
  readonly target?: string;
}

export type { ExplainedCell } from '../model/index.js';

/** `netseg explain`: the engine's verdict and provenance for one flow, at one step or at every step. */
export function explainFlow(scenario: Scenario, query: ExplainQuery): ExplainedCell[] {
  const issues: string[] = [];
  const pods = new Set(scenario.topology.pods.map((p) => `${p.namespace}/${p.name}`));
  const externals = new Set(scenario.topology.externals.map((e) => `external:${e.name}`));
  const sources = new Set(scenario.topology.externals.filter((e) => e.source === true).map((e) => `external:${e.name}`));
  if (isExternalRef(query.from)) {
    if (!sources.has(query.from)) issues.push(`--from ${query.from}: no such external source (external hosts declared "source: true": ${[...sources].join(', ') || 'none'})`);
    else if (isExternalRef(query.to) || (query.target !== undefined && query.target !== 'pod-ip')) issues.push(`--from ${query.from}: an external source probes pods by IP only (--to NS/POD, --target pod-ip)`);
  } else if (!pods.has(query.from)) issues.push(`--from ${query.from}: no such pod (pods: ${[...pods].join(', ')})`);
  const toKnown = isExternalRef(query.to) ? externals.has(query.to) : pods.has(query.to);
  if (!toKnown) issues.push(`--to ${query.to}: no such pod or external host`);
  const ports = query.port === undefined ? scenario.probes.ports : [parsePortKey(query.port)];
  if (ports.some((p) => p === undefined)) issues.push(`--port ${query.port}: expected PORT[/TCP|UDP|SCTP], e.g. 80/TCP`);
  const target = (query.target ?? (isExternalRef(query.to) ? 'external' : 'pod-ip')) as TargetKind;
  if (!TARGET_KINDS.includes(target)) issues.push(`--target ${query.target}: expected one of ${TARGET_KINDS.join(', ')}`);
  if (issues.length > 0) {
    throw InputError.commandLine('', ...issues);
  }
  // Without --step every step is explained: the last one is often a clean-up step whose answer would mislead.
  const steps = query.step === undefined ? scenario.steps : [selectStep(scenario, query.step)];
  const states = replaySteps(scenario);
  return steps.flatMap((step) => {
    const state = states[step.index]!;
    const compiled = new FamilyPolicies(state.topology, state.policies, scenario.probes.http);
    // A dual-stack flow is explained once per family: an ipBlock may decide them differently.
    const families = isDualStack(state.topology) ? topologyFamilies(state.topology).map((family) => ({ family })) : [{}];
    return ports.flatMap((pp) =>
      families.map((tag) => {
        const key: CellKey = { from: query.from as PeerRef, to: query.to as PeerRef, target, port: pp!.port, protocol: pp!.protocol, ...tag };
        return { step: step.index, stepName: step.name, key, explanation: compiled.evaluate(key) };
      }),
    );
  });
}
