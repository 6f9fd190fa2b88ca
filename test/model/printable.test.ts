import { expect } from 'chai';
import { formatIssue, printable } from '../../src/model/index.js';

describe('printable', () => {
  describe('#printable()', () => {
    it('should escape ESC and other control characters, keeping line feeds by default', () => {
      expect(printable('a\u001b[31mred\u0007\nnext\u009b')).to.equal('a\\x1b[31mred\\x07\nnext\\x9b');
    });

    it('should escape line feeds and tabs for one-line messages', () => {
      expect(printable('a\nb\tc', 100, false)).to.equal('a\\x0ab\\x09c');
    });

    it('should cut long text and say how much was left out', () => {
      expect(printable('x'.repeat(10_000_000), 10)).to.equal('xxxxxxxxxx… (9,999,990 more characters)');
    });

    it('should not split a surrogate pair when cutting', () => {
      expect(printable(`abc${'😀'.repeat(5)}`, 4)).to.equal('abc… (10 more characters)');
    });
  });

  describe('#formatIssue()', () => {
    it('should keep an issue on one line with control characters escaped and a 10 MB value cut', () => {
      const line = formatIssue({ position: { file: 'f\u001b.yaml', line: 1, column: 2 }, path: 'spec', message: `bad "${'v'.repeat(10_000_000)}"\n\u001b[2J`, severity: 'error' });
      expect(line).to.not.match(/[\u0000-\u001f]/);
      expect(line.length).to.be.below(1000);
      expect(line).to.match(/^f\\x1b\.yaml:1:2: bad "v+… \([\d,]+ more characters\) \(at spec\)$/);
    });
  });
});
