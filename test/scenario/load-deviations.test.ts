import { expect } from 'chai';
import { InputError, formatIssue } from '../../src/model/index.js';
import { loadDeviations, parseDeviations } from '../../src/scenario/load-deviations.js';

describe('deviations', () => {
  describe('loadDeviations()', () => {
    it('should load and validate every shipped clusters/<cni>/deviations.yaml', () => {
      for (const cni of ['calico', 'cilium', 'kindnet', 'k3s']) {
        const set = loadDeviations(cni);
        expect(set.cni).to.equal(cni);
        expect(set.deviations.length, cni).to.be.greaterThan(0);
      }
    });

    it('should name the file when a CNI has no deviations file', () => {
      expect(() => loadDeviations('flannel')).to.throw(InputError, /no known-deviations file for CNI "flannel"/);
    });
  });

  describe('parseDeviations()', () => {
    it('should report schema problems with the file name and the line of the offending value', () => {
      const text = ['apiVersion: netseg.io/v1alpha1', 'kind: KnownDeviations', 'cni: x', 'deviations:', '  - id: a', '    description: d', '    source: s', '    status: maybe', '    match: { protocols: [ICMP] }', ''].join('\n');
      try {
        parseDeviations(text, 'clusters/x/deviations.yaml');
        expect.fail('should throw');
      } catch (e) {
        expect(e).to.be.instanceOf(InputError);
        const lines = (e as InputError).issues.map(formatIssue);
        expect(lines.some((l) => l.startsWith('clusters/x/deviations.yaml:8:'))).to.equal(true, lines.join('\n'));
        expect(lines.some((l) => l.startsWith('clusters/x/deviations.yaml:9:'))).to.equal(true, lines.join('\n'));
      }
    });

    it('should locate an unknown key at the key itself, as in scenario files (the same YAML and zod pipeline)', () => {
      const text = ['apiVersion: netseg.io/v1alpha1', 'kind: KnownDeviations', 'cni: x', 'deviations:', '  - id: a', '    description: d', '    source: s', '    status: reported', '    colour: red', '    match: { self: true }', ''].join('\n');
      const err = (() => {
        try {
          parseDeviations(text, 'f.yaml');
        } catch (e) {
          return e as InputError;
        }
        return expect.fail('should throw');
      })();
      expect(err.issues.map(formatIssue)).to.deep.equal(['f.yaml:9:5: unknown key "colour" (at deviations[0].colour)']);
    });

    it('should refuse YAML that scenario files may not hold either (duplicate keys)', () => {
      const text = ['apiVersion: netseg.io/v1alpha1', 'kind: KnownDeviations', 'cni: x', 'cni: y', 'deviations: []', ''].join('\n');
      expect(() => parseDeviations(text, 'f.yaml')).to.throw(InputError, /f\.yaml:4:1: .*YAML syntax error/);
    });

    it('should refuse an empty match and duplicate ids', () => {
      const dev = (id: string, match: string) => [`  - id: ${id}`, '    description: d', '    source: s', '    status: reported', `    match: ${match}`];
      const head = ['apiVersion: netseg.io/v1alpha1', 'kind: KnownDeviations', 'cni: x', 'deviations:'];
      expect(() => parseDeviations([...head, ...dev('a', '{}')].join('\n'), 'f.yaml')).to.throw(InputError, /at least one condition/);
      expect(() => parseDeviations([...head, ...dev('a', '{ self: true }'), ...dev('a', '{ self: false }')].join('\n'), 'f.yaml')).to.throw(InputError, /f\.yaml:10:.*duplicate deviation id a/);
    });
  });
});
