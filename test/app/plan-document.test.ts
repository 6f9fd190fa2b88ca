import { expect } from 'chai';
import { planDocument, PLAN_SCHEMA_VERSION } from '../../src/app/plan-document.js';
import { planRecords, type PlanRecord } from '../../src/app/plan-records.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

describe('planDocument', () => {
  const file = 'scenarios/conformance/06-named-ports.yaml';

  it('should stream -o json byte for byte as JSON.stringify of the whole document', async () => {
    const scenario = await loadScenarioFile(file);
    const records = [...planRecords(scenario)];
    expect(records.length).to.be.greaterThan(100);
    const whole = `${JSON.stringify({ schemaVersion: PLAN_SCHEMA_VERSION, scenario: scenario.name, file: scenario.file, records }, null, 2)}\n`;
    expect([...planDocument(scenario, records, 'json')].join('')).to.equal(whole);
    expect([...planDocument(scenario, [], 'json')].join('')).to.equal(`${JSON.stringify({ schemaVersion: PLAN_SCHEMA_VERSION, scenario: scenario.name, file: scenario.file, records: [] }, null, 2)}\n`);
  });

  it('should write -o ndjson as one compact record per line, in chunks', async () => {
    const scenario = await loadScenarioFile(file);
    const records = [...planRecords(scenario)];
    const many = Array.from({ length: 200 }, () => records).flat();
    const chunks = [...planDocument(scenario, many, 'ndjson')];
    expect(chunks.length).to.be.greaterThan(1);
    const lines = chunks.join('').split('\n');
    expect(lines.pop()).to.equal('');
    expect(lines).to.have.length(many.length);
    expect(lines.slice(0, records.length).map((l) => JSON.parse(l) as PlanRecord)).to.deep.equal(records);
  });

  it('should make records only as they are consumed', async () => {
    const scenario = await loadScenarioFile(file);
    let made = 0;
    const counting = (function* () {
      for (const r of planRecords(scenario)) {
        made++;
        yield r;
      }
    })();
    const chunks = planDocument(scenario, counting, 'ndjson');
    chunks.next();
    expect(made).to.be.greaterThan(0).and.lessThan([...planRecords(scenario)].length);
  });
});
