// Suggest quality benchmark over the shipped packs: for every step, the number of policies and rules
// `netseg suggest` proposes, beside the hand-written policies of the pack at that step (the previous
// "implementation": a human), and whether the suggestion round-trips (check passes with it alone).
// Run: npx tsx scripts/bench-suggest.ts [--kind NetworkPolicy|ClusterNetworkPolicy] [--packs DIR]…
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkScenario } from '../src/app/check-scenarios.js';
import { SUGGEST_KINDS, type SuggestKind } from '../src/app/suggest-kinds.js';
import { suggestForScenario } from '../src/app/suggest-scenario.js';
import type { SuggestedPolicy } from '../src/app/verify-suggestion.js';
import type { PolicyObject } from '../src/model/index.js';
import { loadScenarioFile, replaySteps } from '../src/scenario/index.js';

// Every shipped pack (each folder of scenarios/; the ClusterNetworkPolicy pack counts once it moved there), or --packs.
const { values } = parseArgs({ options: { kind: { type: 'string', default: 'NetworkPolicy' }, packs: { type: 'string', multiple: true } } });
const PACKS = values.packs ?? readdirSync('scenarios', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join('scenarios', d.name)).sort();
if (!(SUGGEST_KINDS as readonly string[]).includes(values.kind)) throw new Error(`--kind must be one of ${SUGGEST_KINDS.join(', ')}`);
const kind = values.kind as SuggestKind;

const rulesOf = (ps: readonly PolicyObject[]) => ps.filter((p): p is SuggestedPolicy => p.kind === 'NetworkPolicy' || p.kind === 'ClusterNetworkPolicy').reduce((n, p) => n + (p.spec.ingress?.length ?? 0) + (p.spec.egress?.length ?? 0), 0);

let steps = 0;
let realised = 0;
let roundTrips = 0;
let cells = 0;
const totals = { ours: { policies: 0, rules: 0 }, theirs: { policies: 0, rules: 0 } };
const unrealised: string[] = [];
const rows: string[] = [];
for (const dir of PACKS) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f))) {
    const pack = await loadScenarioFile(file);
    const states = replaySteps(pack);
    for (const step of pack.steps) {
      steps++;
      const started = performance.now();
      const result = suggestForScenario(pack, String(step.index), kind);
      const ms = performance.now() - started;
      if (result.unrealisable.length > 0) {
        unrealised.push(`${file} step ${step.index}: ${result.unrealisable[0]!.reason}`);
        continue;
      }
      realised++;
      cells += result.decidedCells;
      const only = { ...step, index: 0, mutations: result.policies.map((policy) => ({ kind: 'apply' as const, policy })) };
      if (checkScenario({ ...pack, topology: states[step.index]!.topology, steps: [only] }).counts.fail === 0) roundTrips++;
      const theirs = states[step.index]!.policies;
      totals.ours.policies += result.policies.length;
      totals.ours.rules += rulesOf(result.policies);
      totals.theirs.policies += theirs.length;
      totals.theirs.rules += rulesOf(theirs);
      rows.push(`${`${file} #${step.index}`.padEnd(78)} ${String(result.policies.length).padStart(3)} / ${String(rulesOf(result.policies)).padStart(3)}   vs ${String(theirs.length).padStart(3)} / ${String(rulesOf(theirs)).padStart(3)}  ${ms.toFixed(1).padStart(6)} ms`);
    }
  }
}
console.log(`suggesting ${kind}`);
console.log(`${'step'.padEnd(78)} suggested pol/rules vs hand-written pol/rules  time`);
for (const r of rows) console.log(r);
console.log('');
console.log(`steps realised:          ${realised} of ${steps} (target: every step ${kind} label selectors can express; the rest explained)`);
console.log(`round-trips (check ok):  ${roundTrips} of ${realised} (target: ${realised})`);
console.log(`decided cells verified:  ${cells}`);
console.log(`policies:                ${totals.ours.policies} suggested vs ${totals.theirs.policies} hand-written (target: <= hand-written)`);
console.log(`rules:                   ${totals.ours.rules} suggested vs ${totals.theirs.rules} hand-written (target: <= hand-written)`);
for (const u of unrealised) console.log(`explained, not realised: ${u}`);
