import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario } from '../../src/app/check-scenarios.js';
import { scaffoldScenario } from '../../src/app/scaffold-scenario.js';
import { evaluateStep } from '../../src/app/step-evaluation.js';
import { cellId, InputError, isExternalRef } from '../../src/model/index.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { collectInventory } from '../../src/scenario/manifest-inventory.js';
import { readManifestFiles } from '../../src/scenario/read-manifest-files.js';
import { loadScenarioCollecting, loadScenarioFile, replaySteps, TOPOLOGY_DEFAULTS } from '../../src/scenario/index.js';
import { stateManifests } from '../support/scenario-manifests.js';

const PACKS = ['scenarios/recipes', 'scenarios/guide', 'scenarios/conformance', 'scenarios/cluster-network-policy'];
const packFiles = PACKS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)));

describe('scaffoldScenario', () => {
  describe('#scaffoldScenario()', () => {
    it('should write one pod per workload, Services, and the engine matrix as truth tables with a review header', async () => {
      const inventory = collectInventory(await readManifestFiles(['test/fixtures/scaffold/shop.yaml']));
      const result = scaffoldScenario(inventory, { name: 'shop', file: 'shop.yaml', from: 'shop.yaml' });
      expect(result.text).to.match(/^# Scaffolded by `netseg scaffold` from shop\.yaml\.\n# The truth tables below are what the policy engine computes/);
      expect(result.pods).to.equal(3);
      expect(result.text).to.contain('pod-ip 5432/TCP: |\n            -              shop/db\n            shop/frontend  .\n            shop/db        ?\n            tools/report   X\n');
      const scenario = loadScenarioCollecting('shop.yaml', result.text).scenario!;
      expect(scenario.topology.pods.find((p) => p.name === 'db')?.service).to.equal(true);
      expect(scenario.topology.pods.find((p) => p.name === 'frontend')?.service).to.equal(false);
      expect(scenario.topology.namespaces.find((n) => n.name === 'shop')?.labels).to.include({ team: 'web' });
    });

    it('should report a workload with templated labels instead of guessing it', async () => {
      const inventory = collectInventory(await readManifestFiles(['test/fixtures/scaffold/shop.yaml']));
      const result = scaffoldScenario(inventory, { name: 'shop', file: 'shop.yaml', from: 'shop.yaml' });
      expect(result.skipped.map((s) => s.reason)).to.deep.equal(['Deployment tools/templated: label "app: {{ .Values.name }}" is templated; its value cannot be known']);
      expect(result.text).to.contain('#   test/fixtures/scaffold/shop.yaml:47:1: Deployment tools/templated');
      expect(result.text).not.to.contain('tools/templated\n');
    });

    it('should be an input error when the manifests hold no workload', () => {
      const inventory = collectInventory([{ value: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, origin: 'f:1:1' }]);
      expect(() => scaffoldScenario(inventory, { name: 'n', file: 'n.yaml', from: 'f' })).to.throw(InputError, /no workload/);
    });

    for (const file of packFiles) {
      it(`should round-trip every step of ${file}: the scaffold passes check and has the pack's pod-ip matrix`, async () => {
        const pack = await loadScenarioFile(file);
        const states = replaySteps(pack);
        // Manifests describe no external hosts, so a scaffold has no external sources to compare.
        const packCells = planCells(pack.topology, { ...pack.probes, targets: ['pod-ip'], dns: [] }).filter((c) => !isExternalRef(c.from));
        for (const step of pack.steps) {
          const state = states[step.index]!;
          const result = scaffoldScenario(collectInventory(stateManifests(state)), { name: 'rt', file: 'rt.yaml', from: file });
          const scaffolded = loadScenarioCollecting('rt.yaml', result.text).scenario!;
          const report = checkScenario(scaffolded);
          expect(report.counts.fail, `${file} step ${step.index}`).to.equal(0);
          // A scaffold has the default IPv4 address plan: compare matrices only with packs that have it too.
          if (pack.topology.podCIDR !== TOPOLOGY_DEFAULTS.podCIDR || pack.topology.ipFamilies !== undefined) continue;
          const theirs = evaluateStep(step, state, packCells).explanations;
          const last = scaffolded.steps[scaffolded.steps.length - 1]!;
          const ours = evaluateStep(last, replaySteps(scaffolded)[last.index]!, packCells).explanations;
          for (const key of packCells) expect(ours.get(key)?.verdict, `${file} step ${step.index} ${cellId(key)}`).to.equal(theirs.get(key)?.verdict);
        }
      });
    }
  });
});
