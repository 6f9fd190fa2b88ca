import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CellSpace, cellId, formatIssue, InputError } from '../../src/model/index.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { loadScenarioFile, replaySteps, resolveExpectation } from '../../src/scenario/index.js';
import { parseSliceKey } from '../../src/scenario/truth-table.js';

const FIXTURE = 'test/fixtures/scenarios/valid/http-probes.yaml';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A scenario with a pod serving 8080 as HTTP, with `probes` and `step` (YAML, flow style) spliced in. */
function scenarioWith(probes: string, expect = '{}', port = '{ port: 8080, appProtocol: http }'): string {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-http-'));
  dirs.push(dir);
  const file = join(dir, 's.yaml');
  writeFileSync(
    file,
    `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n    pods:\n      - { ref: x/web, ports: [${port}] }\n      - { ref: x/client }\n  probes: ${probes}\n  steps:\n    - name: s\n      expect: ${expect}\n`,
  );
  return file;
}

async function issuesOf(file: string): Promise<string[]> {
  try {
    await loadScenarioFile(file);
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return (err as InputError).issues.map(formatIssue);
  }
  return expect.fail('loaded without errors');
}

describe('HTTP probes (scenario input)', () => {
  describe('#loadScenarioFile()', () => {
    it('should give each probe its id (name, else "METHOD path") and keep the port\'s appProtocol', async () => {
      const s = await loadScenarioFile(FIXTURE);
      expect(s.probes.http?.map((p) => p.id)).to.deep.equal(['GET /', 'create-order']);
      expect(s.probes.http?.[1]).to.deep.include({ method: 'POST', path: '/orders', headers: { 'x-request-id': 'netseg' } });
      expect(s.topology.pods.find((p) => p.name === 'web')!.ports).to.deep.equal([
        { port: 8080, protocol: 'TCP', appProtocol: 'http' },
        { port: 9000, protocol: 'TCP' },
      ]);
    });

    it('should leave probes.http out of a scenario that declares none', async () => {
      const s = await loadScenarioFile(scenarioWith('{}'));
      expect(s.probes).to.not.have.property('http');
    });

    it('should take request tables with the D symbol and request rules', async () => {
      const file = scenarioWith('{ http: [{ method: GET, path: / }] }', '{ tables: { "8080/TCP [GET /]": "- x/web\\nx/client D" }, rules: [{ request: "GET /", to: x/web, expect: denied }] }');
      const s = await loadScenarioFile(file);
      const spec = s.steps[1]!.expect;
      if (spec.kind !== 'declared') return expect.fail('declared');
      expect(spec.tables[0]).to.deep.include({ port: 8080, protocol: 'TCP', request: 'GET /', columns: ['x/web'] });
      expect(spec.tables[0]!.rows[0]!.cells).to.deep.equal(['denied']);
      expect(spec.rules[0]).to.deep.include({ request: 'GET /', expect: 'denied' });
    });

    it('should reject bad methods, paths, hosts, header names and values, duplicate ids and unknown requests with file:line:col', async () => {
      const probes = '{ http: [{ method: "GE T", path: orders }, { method: GET, path: "/a b", host: "a\\r\\nb", headers: { "bad name": v, x-ok: "a\\nb", Host: h } }, { name: "GE T orders", method: GET, path: / }] }';
      const issues = await issuesOf(scenarioWith(probes, '{ rules: [{ request: nope, expect: denied }], tables: { "8080/TCP [missing]": "- x/web\\nx/client ." } }'));
      const text = issues.join('\n');
      expect(text).to.match(/s\.yaml:\d+:\d+: .*"GE T" is not an HTTP method/);
      expect(text).to.contain('path "orders" must start with "/"');
      expect(text).to.contain('path "/a b" must start with "/" and hold no spaces');
      expect(text).to.contain('host "a\\r\\nb" must be a non-empty name');
      expect(text).to.contain('"bad name" is not a header name');
      expect(text).to.contain('the value of header "x-ok" must not contain CR, LF');
      expect(text).to.contain('header "Host" is set by the probe itself');
      expect(text).to.contain('HTTP probe "GE T orders" is declared twice');
      expect(text).to.contain('request "nope" names no HTTP probe');
      expect(text).to.contain('request "missing" names no HTTP probe');
    });

    it('should reject appProtocol on UDP and a request on a UDP rule', async () => {
      const issues = await issuesOf(scenarioWith('{ http: [{ method: GET, path: / }] }', '{ rules: [{ request: "GET /", protocol: UDP, expect: blocked }] }', '{ port: 53, protocol: UDP, appProtocol: http }'));
      expect(issues.join('\n')).to.contain('appProtocol http needs protocol TCP, not UDP');
      expect(issues.join('\n')).to.contain('request "GET /" is an HTTP request, sent over TCP only, not UDP');
    });

    it('should bound the size of a request\'s path, host and headers below the agent\'s header limit', async () => {
      const big = 'v'.repeat(9000);
      expect((await issuesOf(scenarioWith(`{ http: [{ method: GET, path: /, headers: { x-big: ${big} } }] }`))).join('\n')).to.match(/take 9\d{3} bytes; at most 8192 are allowed/);
    });

    it('should bound the number of HTTP probes', async () => {
      const many = Array.from({ length: 65 }, (_, i) => `{ method: GET, path: /p${i} }`).join(', ');
      expect((await issuesOf(scenarioWith(`{ http: [${many}] }`))).join('\n')).to.contain('probes.http lists 65 requests; at most 64 are allowed');
    });
  });

  describe('parseSliceKey()', () => {
    it('should read a request part in brackets anywhere after the target, spaces kept inside', () => {
      expect(parseSliceKey('8080/TCP [POST /orders]')).to.deep.equal({ port: 8080, protocol: 'TCP', request: 'POST /orders' });
      expect(parseSliceKey('service 8080/TCP [GET /] IPv6')).to.deep.equal({ port: 8080, protocol: 'TCP', target: 'service', family: 'IPv6', request: 'GET /' });
      expect(parseSliceKey('8080/TCP')).to.deep.equal({ port: 8080, protocol: 'TCP' });
      for (const bad of ['8080/TCP []', '8080/TCP [a] [b]', '8080/TCP [a', '8080/TCP a]', '[GET /]']) expect(parseSliceKey(bad), bad).to.equal(undefined);
    });
  });

  describe('CellSpace.of()', () => {
    it('should follow each TCP connection slice of an HTTP port with one slice per probe, destinations the HTTP pods only, as planCells does', async () => {
      const s = await loadScenarioFile(FIXTURE);
      const space = CellSpace.of(s.topology, s.probes);
      expect([...space.keys()]).to.deep.equal(planCells(s.topology, s.probes));
      expect(space.slices.map((x) => `${x.target} ${x.port}${x.request ? ` [${x.request}]` : ''} ${x.destinations.join(',')}`)).to.deep.equal([
        'pod-ip 8080 shop/web',
        'pod-ip 8080 [GET /] shop/web',
        'pod-ip 8080 [create-order] shop/web',
        'pod-ip 9000 shop/web',
        'service 8080 shop/web',
        'service 8080 [GET /] shop/web',
        'service 8080 [create-order] shop/web',
        'service 9000 shop/web',
      ]);
      expect(cellId(space.key(1))).to.equal('pod-ip shop/web -> shop/web 8080/TCP [GET /]');
    });
  });

  describe('resolveExpectation()', () => {
    it('should apply a rule without request to the connection and every request cell, and one with request to that request only', async () => {
      const s = await loadScenarioFile(FIXTURE);
      const spec = { kind: 'declared' as const, default: 'allowed' as const, checkSelf: false, tables: [], rules: [
        { to: { pod: 'web' }, port: 8080, expect: 'blocked' as const },
        { to: { pod: 'web' }, request: 'create-order', expect: 'denied' as const },
      ] };
      const keys = planCells(s.topology, s.probes).filter((k) => k.from === 'shop/client' && k.target === 'pod-ip');
      const m = resolveExpectation(spec, keys, replaySteps(s)[0]!);
      expect(keys.map((k) => `${cellId(k)}: ${m.get(k)}`)).to.deep.equal([
        'pod-ip shop/client -> shop/web 8080/TCP: blocked',
        'pod-ip shop/client -> shop/web 8080/TCP [GET /]: blocked',
        'pod-ip shop/client -> shop/web 8080/TCP [create-order]: denied',
        'pod-ip shop/client -> shop/web 9000/TCP: allowed',
      ]);
    });
  });
});
