import { expect } from 'chai';
import { InputError } from '../../src/model/index.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { runMixed } from './fixtures.js';

describe('parseRunReport()', () => {
  it('should read back what the json reporter wrote', () => {
    const text = new JsonReporter().render(runMixed(), { color: false });
    expect(parseRunReport(text, 'r.json')).to.deep.equal(runMixed());
  });

  it('should point at the line and column of a JSON syntax error', () => {
    expect(() => parseRunReport('{\n  "schemaVersion": 1,\n  oops\n}', 'bad.json')).to.throw(InputError, /^bad\.json:3:3: not valid JSON/);
  });

  it('should reject another schemaVersion, a wrong mode and a malformed structure', () => {
    const good = JSON.parse(new JsonReporter().render(runMixed(), { color: false }));
    expect(() => parseRunReport(JSON.stringify({ ...good, schemaVersion: 2 }), 'a.json')).to.throw(InputError, /a\.json:1:1: unsupported report schemaVersion 2/);
    expect(() => parseRunReport(JSON.stringify({ ...good, mode: 'x' }), 'a.json')).to.throw(InputError, /mode must be/);
    expect(() => parseRunReport(JSON.stringify({ ...good, scenarios: [{ name: 'n', steps: [{ index: 0 }] }] }), 'a.json')).to.throw(InputError, /scenarios\[0\]\.steps\[0\]/);
    expect(() => parseRunReport('[]', 'a.json')).to.throw(InputError, /expected an object/);
  });
});
