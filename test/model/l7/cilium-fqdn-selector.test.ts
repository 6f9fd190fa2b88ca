import { expect } from 'chai';
import fc from 'fast-check';
import { matchesCiliumFqdn, parseCiliumMatchName, parseCiliumMatchPattern } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

/** Glob within one label: `*` runs match any label characters (never a dot). */
function labelGlob(glob: string, label: string): boolean {
  if (glob === '') return label === '';
  if (glob[0] === '*') return labelGlob(glob.slice(1), label) || (label !== '' && labelGlob(glob, label.slice(1)));
  return label !== '' && glob[0] === label[0] && labelGlob(glob.slice(1), label.slice(1));
}

/** Independent reference, label by label: a leading `**` label stands for one or more labels. */
function reference(patternText: string, nameText: string): boolean {
  const p = patternText.toLowerCase().replace(/\.$/, '');
  const n = nameText.toLowerCase().replace(/\.$/, '');
  const labels = n.split('.');
  const valid = (l: string): boolean => /^[-a-z0-9_]+$/.test(l);
  if (/^\*+$/.test(p)) return nameText === '.' || labels.every(valid);
  const globs = p.split('.');
  if (/^\*{2,}$/.test(globs[0]!) && globs.length > 1) {
    const rest = globs.slice(1);
    const head = labels.length - rest.length;
    return head >= 1 && labels.slice(0, head).every(valid) && rest.every((g, i) => labelGlob(g, labels[head + i]!));
  }
  return globs.length === labels.length && globs.every((g, i) => labelGlob(g, labels[i]!));
}

describe('CiliumFqdnSelector', () => {
  describe('#parseCiliumMatchPattern()', () => {
    it('should reject characters outside [-a-zA-Z0-9_.*] and overlong patterns with a message', () => {
      for (const bad of ['a[b].com', 'a+.com', 'x{1}.io', 'a b.com', '*'.repeat(256)]) {
        expect(parseCiliumMatchPattern(bad).ok, bad).to.equal(false);
      }
    });
  });

  describe('#parseCiliumMatchName()', () => {
    it('should reject wildcards in matchName', () => {
      expect(parseCiliumMatchName('*.cilium.io').ok).to.equal(false);
    });
  });

  describe('#matchesCiliumFqdn()', () => {
    it('should match matchName exactly, ignoring case and the trailing dot', () => {
      expect(matchesCiliumFqdn(unwrap(parseCiliumMatchName('api.example.com')), 'API.Example.com.')).to.equal(true);
      expect(matchesCiliumFqdn(unwrap(parseCiliumMatchName('api.example.com.')), 'api.example.com')).to.equal(true);
      expect(matchesCiliumFqdn(unwrap(parseCiliumMatchName('api.example.com')), 'www.api.example.com')).to.equal(false);
      expect(matchesCiliumFqdn(unwrap(parseCiliumMatchName('api.example.com')), 'apiXexample.com')).to.equal(false);
    });

    it('should keep * inside one label (Cilium matchpattern tests)', () => {
      const m = unwrap(parseCiliumMatchPattern('*.cilium.io.'));
      expect(matchesCiliumFqdn(m, 'anysub.cilium.io.')).to.equal(true);
      for (const reject of ['', 'cilium.io.', 'anysub.ci.io.', 'a.b.cilium.io.']) expect(matchesCiliumFqdn(m, reject), reject).to.equal(false);
      const ci = unwrap(parseCiliumMatchPattern('*.ci*.io.'));
      for (const accept of ['anysub.cilium.io.', 'anysub.ci.io.', 'anysub.ciliumandmore.io.']) expect(matchesCiliumFqdn(ci, accept), accept).to.equal(true);
      expect(matchesCiliumFqdn(ci, 'cilium.io.')).to.equal(false);
    });

    it('should match every name with a pattern of only stars, and the root', () => {
      for (const p of ['*', '**', '**.']) {
        for (const accept of ['.', 'io.', 'cilium.io', '_foobar._tcp.cilium.io.']) expect(matchesCiliumFqdn(unwrap(parseCiliumMatchPattern(p)), accept), `${p} ${accept}`).to.equal(true);
        for (const reject of ['', '.io.', 'cilium..io']) expect(matchesCiliumFqdn(unwrap(parseCiliumMatchPattern(p)), reject), `${p} ${reject}`).to.equal(false);
      }
    });

    it('should match any depth of subdomains with a leading **. but not the apex', () => {
      const m = unwrap(parseCiliumMatchPattern('**.cilium.io'));
      for (const accept of ['anysub.cilium.io.', '_foobar._tcp.cilium.io.', 'sub11.sub22.sub33._foobar._tcp.cilium.io']) expect(matchesCiliumFqdn(m, accept), accept).to.equal(true);
      for (const reject of ['cilium.io.', 'anysub.ci.io.', 'anysub.ciliumandmore.io.', '..cilium.io.']) expect(matchesCiliumFqdn(m, reject), reject).to.equal(false);
      expect(matchesCiliumFqdn(unwrap(parseCiliumMatchPattern('**.ci*.io.')), '1.anysub.ciliumandmore.io.')).to.equal(true);
      expect(matchesCiliumFqdn(unwrap(parseCiliumMatchPattern('**.*.io.')), 'cilium.io.')).to.equal(false);
    });

    it('should agree with the label-by-label reference', () => {
      const glob = fc.constantFrom('a', 'b', 'a-b', '*', 'a*', '*b', '_x');
      const patterns = fc
        .tuple(fc.boolean(), fc.array(glob, { minLength: 1, maxLength: 3 }))
        .map(([deep, labels]) => [...(deep ? ['**'] : []), ...labels].join('.'));
      const label = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '_', 'x'), minLength: 1, maxLength: 3 });
      const names = fc.tuple(fc.array(label, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([ls, dot]) => `${ls.join('.')}${dot ? '.' : ''}`);
      fc.assert(
        fc.property(patterns, names, (p, n) => {
          expect(matchesCiliumFqdn(unwrap(parseCiliumMatchPattern(p)), n), `${p} vs ${n}`).to.equal(reference(p, n));
        }),
        { numRuns: 3000 },
      );
    });
  });
});
