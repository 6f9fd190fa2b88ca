import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarios } from '../../src/app/run-scenarios.js';
import { cellId } from '../../src/model/index.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { AGENT_BUNDLE, leftovers, netnsUnavailable } from './netns-helpers.js';

const SCENARIO = 'test/fixtures/scenarios/valid/http-probes.yaml';

/**
 * HTTP request cells on real packets: shop/web serves 8080 with appProtocol http, GET / and POST
 * /orders are probed beside the connection; a NetworkPolicy lets only the shop in. No L7 proxy yet,
 * so request cells are allowed (the agent's identity answer) or blocked (L3/L4 drops the connection).
 */
describe('netns HTTP probes (e2e)', function () {
  this.timeout(90_000);

  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it('should observe request cells allowed through the agent\'s HTTP answer and blocked where the NetworkPolicy drops the connection', async () => {
    const runId = `http${process.pid}`;
    const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
    const scenario = await loadScenarioFile(SCENARIO);
    const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId, runDir, log: () => {} });
    try {
      const { report, fatal } = await runScenarios(env, [scenario], { provider: { name: 'netns' }, runId, convergeTimeoutMs: 5000 });
      expect(fatal).to.equal(undefined);
      const [baseline, step] = report.scenarios[0]!.steps;
      for (const s of [baseline!, step!]) expect(s.cells.filter((c) => c.status !== 'pass').map((c) => `${cellId(c)} ${c.status} ${c.observed} ${c.raw}`)).to.deep.equal([]);
      const observed = (from: string, target: string, request?: string) => {
        const cell = step!.cells.find((c) => c.from === from && c.to === 'shop/web' && c.port === 8080 && c.target === target && c.request === request);
        return `${cell?.observed} ${cell?.raw}`;
      };
      for (const target of ['pod-ip', 'service']) {
        expect([observed('shop/client', target), observed('shop/client', target, 'GET /'), observed('shop/client', target, 'create-order')], target).to.deep.equal(['allowed connected', 'allowed connected', 'allowed connected']);
        expect([observed('other/intruder', target), observed('other/intruder', target, 'GET /'), observed('other/intruder', target, 'create-order')], target).to.deep.equal(['blocked timeout', 'blocked timeout', 'blocked timeout']);
      }
      expect(step!.cells.filter((c) => c.request !== undefined)).to.have.length(12);
      // The same world once more, probed by hand: 8080 speaks HTTP (the agent's JSON identity), 9000 only the identity line.
      const deployed = await env.deploy(scenario.topology);
      const web = deployed.addresses.podIP('shop/web');
      const job = (port: number) => ({ kind: 'http' as const, id: `${port}`, host: web, port, timeoutMs: 2000, method: 'POST', path: '/orders', hostHeader: `${web}:${port}`, headers: {}, expectIdentity: 'shop/web' });
      const reply = await deployed.transport().runBatch('shop/client', { jobs: [job(8080), job(9000)], concurrency: 2 });
      expect(reply.results.map((r) => `${r.id} ${r.outcome} ${r.identity ?? r.detail}`)).to.deep.equal(['8080 connected shop/web', '9000 wrong-identity not an HTTP answer (HPE_INVALID_CONSTANT)']);
    } finally {
      await env[Symbol.asyncDispose]();
    }
    expect(await leftovers(runId, runDir)).to.deep.equal([]);
    rmSync(runDir, { recursive: true, force: true });
  });
});
