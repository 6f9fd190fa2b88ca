import { expect } from 'chai';
import { calico, lintText } from './lint-text.js';

const GNP = (name: string, spec: string) => calico('GlobalNetworkPolicy', name, spec);

describe('calicoIgnoredRules', () => {
  describe('#check()', () => {
    it('should warn when types leave out a direction that has rules', async () => {
      const found = await lintText({ 'p.yaml': GNP('g', '  types: [Egress]\n  ingress: [{ action: Deny }]\n  egress: [{ action: Allow }]\n') }, 'calico-ignored-rules');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^p\.yaml:5:3 warning spec\.types: types is \[Egress\]: the 1 ingress rule\(s\) are ignored/);
    });

    it('should not warn when types are defaulted from the rules', async () => {
      expect(await lintText({ 'p.yaml': GNP('g', '  ingress: [{ action: Deny }]\n  egress: [{ action: Allow }]\n') }, 'calico-ignored-rules')).to.deep.equal([]);
    });
  });
});
