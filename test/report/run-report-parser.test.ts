import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/model/index.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { runMixed, runUnsupported } from './fixtures.js';

describe('parseRunReport()', () => {
  it('should read back what the json reporter wrote', () => {
    const text = new JsonReporter().render(runMixed(), { color: false });
    expect(parseRunReport(text, 'r.json')).to.deep.equal(runMixed());
  });

  it('should read back an unsupported scenario, and read a report written before the unsupported count as 0 of them', () => {
    const text = new JsonReporter().render(runUnsupported(), { color: false });
    expect(parseRunReport(text, 'r.json')).to.deep.equal(runUnsupported());
    const older = new JsonReporter().render(runMixed(), { color: false }).replace(/"unsupported":0,/g, '');
    expect(older).to.not.include('unsupported');
    expect(parseRunReport(older, 'old.json')).to.deep.equal(runMixed());
  });

  it('should point at the line and column of a JSON syntax error', () => {
    expect(() => parseRunReport('{\n  "schemaVersion": 1,\n  oops\n}', 'bad.json')).to.throw(InputError, /^bad\.json:3:3: not valid JSON/);
  });

  it('should reject another schemaVersion, a wrong mode and a malformed structure', () => {
    const good = JSON.parse(new JsonReporter().render(runMixed(), { color: false }));
    expect(() => parseRunReport(JSON.stringify({ ...good, schemaVersion: 3 }), 'a.json')).to.throw(InputError, /a\.json:1:1: unsupported report schemaVersion 3/);
    expect(() => parseRunReport(JSON.stringify({ ...good, mode: 'x' }), 'a.json')).to.throw(InputError, /mode must be/);
    expect(() => parseRunReport(JSON.stringify({ ...good, scenarios: [{ name: 'n', steps: [{ index: 0 }] }] }), 'a.json')).to.throw(InputError, /scenarios\[0\]\.steps\[0\]\.cells/);
    expect(() => parseRunReport('[]', 'a.json')).to.throw(InputError, /expected an object/);
  });

  it('should read a version-1 report (one object per cell) as the same report', () => {
    const v1 = readFileSync(new URL('../fixtures/report/run-mixed.v1.json', import.meta.url), 'utf8');
    expect(JSON.parse(v1).schemaVersion).to.equal(1);
    expect(parseRunReport(v1, 'old.json')).to.deep.equal(runMixed());
  });

  it('should reject version-2 rows with out-of-range indexes, wrong lengths and cyclic DNS references as input errors', () => {
    const good = JSON.parse(new JsonReporter().render(runMixed(), { color: false }));
    const withRow = (row: unknown): string => {
      const doc = structuredClone(good);
      doc.scenarios[0].steps[0].cells[0] = row;
      return JSON.stringify(doc);
    };
    const row: unknown[] = good.scenarios[0].steps[0].cells[0];
    expect(() => parseRunReport(withRow([999, ...row.slice(1)]), 'a.json')).to.throw(InputError, /a\.json:1:1: must be an index into peers/);
    expect(() => parseRunReport(withRow(row.slice(1)), 'a.json')).to.throw(InputError, /array of 14 values/);
    expect(() => parseRunReport(withRow([...row.slice(0, 13), -1]), 'a.json')).to.throw(InputError, /index into explanations/);
    const cyclic = structuredClone(good);
    cyclic.explanations[0].dns = 0;
    expect(() => parseRunReport(JSON.stringify(cyclic), 'a.json')).to.throw(InputError, /earlier explanations/);
    expect(() => parseRunReport(JSON.stringify({ ...good, cellColumns: ['from'] }), 'a.json')).to.throw(InputError, /cellColumns must be/);
  });
});
