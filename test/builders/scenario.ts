import type { ExpectRule, Expectation, Mutation, ProbeSettings, Scenario, Step, Topology } from '../../src/model/index.js';
import { gridTopology } from './grid-topology.js';

/** A hand-built Scenario, as the loader would return it: the grid topology and 80/TCP pod-ip probes unless told otherwise. */
export function scenarioOf(over: Partial<Scenario> & { readonly steps: readonly Step[] }): Scenario {
  const topology: Topology = over.topology ?? gridTopology();
  const probes: ProbeSettings = over.probes ?? { ports: [{ port: 80, protocol: 'TCP' }], targets: ['pod-ip'], dns: [], timeoutMs: 100 };
  return { file: 'mem.yaml', name: 'built', tags: [], ...over, topology, probes };
}

/** A step with a declared expectation: `rules` over `default` (allowed), no truth tables, self cells ignored. */
export function declaredStep(index: number, name: string, options: { readonly mutations?: readonly Mutation[]; readonly rules?: readonly ExpectRule[]; readonly default?: Expectation } = {}): Step {
  return {
    index,
    name,
    mutations: options.mutations ?? [],
    expect: { kind: 'declared', default: options.default ?? 'allowed', tables: [], rules: options.rules ?? [], checkSelf: false },
  };
}
