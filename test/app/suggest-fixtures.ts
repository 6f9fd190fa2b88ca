import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario } from '../../src/app/check-scenarios.js';
import type { SuggestKind } from '../../src/app/suggest-kinds.js';
import { suggestForScenario } from '../../src/app/suggest-scenario.js';
import type { CellKey, PolicyObject, Scenario, Step, Topology } from '../../src/model/index.js';
import { loadScenarioCollecting, loadScenarioFile, replaySteps } from '../../src/scenario/index.js';

const PACKS = ['scenarios/recipes', 'scenarios/guide', 'scenarios/conformance', 'scenarios/cluster-network-policy'];
/** Every scenario file of the shipped packs. */
export const packFiles = PACKS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)));

/** The step re-run with only the suggested policies, on the step's own topology: what `check` would say. */
export function checkWithPolicies(pack: Scenario, step: Step, policies: readonly PolicyObject[]) {
  const topology = replaySteps(pack)[step.index]!.topology;
  const only: Step = { ...step, index: 0, mutations: policies.map((policy) => ({ kind: 'apply' as const, policy })) };
  return checkScenario({ ...pack, topology, steps: [only] });
}

/** Every step of a pack file suggested as `kind`: check passes with the suggestion alone, or the suggestion says why not. */
export async function expectPackRoundTrips(file: string, kind: SuggestKind): Promise<void> {
  const pack = await loadScenarioFile(file);
  for (const step of pack.steps) {
    const result = suggestForScenario(pack, String(step.index), kind);
    if (result.unrealisable.length > 0) {
      expect(result.unrealisable.every((u) => u.reason.length > 0), `${file} step ${step.index}`).to.equal(true);
      continue;
    }
    expect(result.policies.every((p) => p.kind === kind), `${file} step ${step.index}`).to.equal(true);
    expect(checkWithPolicies(pack, step, result.policies).counts.fail, `${file} step ${step.index}`).to.equal(0);
  }
}

/** Three shop tiers, a debug pod in another namespace and the cloud metadata host. */
export const TOPOLOGY = `apiVersion: netseg.io/v1alpha1
kind: Scenario
metadata: { name: t }
spec:
  topology:
    pods:
      - { ref: shop/web, labels: { app: web, pod: web }, ports: [{ port: 80 }] }
      - { ref: shop/api, labels: { app: api, pod: api }, ports: [{ port: 8080 }] }
      - { ref: shop/db, labels: { app: db, pod: db }, ports: [{ port: 5432 }] }
      - { ref: ops/debug, labels: { app: debug }, ports: [{ port: 80 }] }
    externals: [{ name: metadata, ip: 169.254.169.254, ports: [{ port: 80 }] }]
  probes: { targets: [pod-ip, external], dns: [UDP, TCP] }
  baseline: false
  steps:
    - name: chain
      expect:
        default: blocked
        rules:
          - { to: shop/web, port: 80, expect: allowed }
          - { from: shop/web, to: shop/api, expect: allowed }
          - { from: shop/api, to: shop/db, expect: allowed }
          - { from: ops/debug, expect: allowed }
          - { target: dns, expect: allowed }
          - { from: ops/debug, to: "external:*", expect: allowed }
`;

/** The TOPOLOGY world with an external source `browser` (203.0.113.10). */
export function withBrowser(): Topology {
  const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
  return { ...replaySteps(scenario)[0]!.topology, externals: [{ name: 'browser', ip: '203.0.113.10', ports: [], source: true }] };
}

/** A TCP cell (pod-ip unless said otherwise). */
export function tcpCell(from: string, to: string, port: number, target: CellKey['target'] = 'pod-ip'): CellKey {
  return { from: from as CellKey['from'], to: to as CellKey['to'], target, port, protocol: 'TCP' };
}
