// Counts the Kubernetes API calls and execs one `netseg run scenarios/` makes through KubeEnvironment,
// on the fake API server whose agent answers like the engine (every step converges at once, pods are
// Ready at the first poll): a floor for a real cluster, where readiness polls and extra probe rounds
// add calls. Usage: npx tsx scripts/count-kube-calls.ts [paths…]  (default: scenarios/)
import { runScenarios } from '../src/app/run-scenarios.js';
import { enforcementCanary } from '../src/providers/kube/enforcement-canary.js';
import { KubeEnvironment } from '../src/providers/kube/kube-environment.js';
import { loadScenarios } from '../src/scenario/index.js';
import { FakeClock } from '../test/fakes/fake-clock.js';
import { FakeKubeApi } from '../test/fakes/fake-kube-api.js';
import { countCalls, kubeOnFake } from '../test/providers/kube/kube-on-fake.js';

const paths = process.argv.slice(2);
const scenarios = await loadScenarios(paths.length ? paths : ['scenarios']);
const { api, env } = kubeOnFake();
const { report, fatal } = await runScenarios(env, scenarios, { provider: { name: 'fake' }, runId: 'rpacks', convergeTimeoutMs: 10_000, clock: new FakeClock() });
await env[Symbol.asyncDispose]();
if (fatal !== undefined) throw fatal;
const steps = report.scenarios.reduce((n, s) => n + s.steps.length, 0);
const counts = countCalls(api);
console.log(`${scenarios.length} scenarios, ${steps} steps, ${report.counts.pass} cells passed, ${report.counts.skipped} skipped`);
for (const [op, n] of Object.entries(counts)) console.log(`${op.padEnd(12)} ${String(n).padStart(6)}`);

// The enforcement canary runs once per provision, before any scenario.
const canaryApi = new FakeKubeApi({ enforce: true });
await enforcementCanary(new KubeEnvironment({ api: canaryApi, runId: 'rcanary', description: 'fake', image: 'node:24-alpine', policyKinds: ['NetworkPolicy'], agentScript: '//', clock: new FakeClock() }), { clock: new FakeClock() });
const canary = countCalls(canaryApi);
console.log(`canary: ${canary.total} calls, ${canary.exec} execs`);
