import { expect } from 'chai';
import { InputError } from '../../src/model/index.js';
import { parseReporterSpec } from '../../src/report/reporter-spec.js';

describe('parseReporterSpec()', () => {
  it('should parse a bare name as stdout', () => {
    expect(parseReporterSpec('table')).to.deep.equal({ name: 'table' });
  });

  it('should parse NAME=FILE', () => {
    expect(parseReporterSpec('junit=out/junit.xml')).to.deep.equal({ name: 'junit', file: 'out/junit.xml' });
  });

  it('should keep "=" inside the file name and accept "-" as stdout', () => {
    expect(parseReporterSpec('json=out/a=b.json')).to.deep.equal({ name: 'json', file: 'out/a=b.json' });
    expect(parseReporterSpec('json=-')).to.deep.equal({ name: 'json' });
  });

  it('should accept names in any case', () => {
    expect(parseReporterSpec('HTML=r.html')).to.deep.equal({ name: 'html', file: 'r.html' });
  });

  it('should throw an InputError at the command line naming the known reporters for an unknown name', () => {
    try {
      parseReporterSpec('xunit=out.xml');
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(InputError);
      const issue = (err as InputError).issues[0]!;
      expect(issue.position).to.deep.equal({ file: '<command line>', line: 1, column: 1 });
      expect(issue.message).to.include('unknown reporter "xunit"');
      expect(issue.message).to.include('table, json, junit, markdown, html');
      expect((err as InputError).message).to.match(/^<command line>:1:1: unknown reporter/);
    }
  });

  it('should throw an InputError for an empty name or an empty file', () => {
    expect(() => parseReporterSpec('')).to.throw(InputError, /needs a reporter name/);
    expect(() => parseReporterSpec('=x')).to.throw(InputError, /needs a reporter name/);
    expect(() => parseReporterSpec('json=')).to.throw(InputError, /missing file/);
  });
});
