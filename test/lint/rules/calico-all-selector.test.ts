import { expect } from 'chai';
import { calico, lintText } from './lint-text.js';

const GNP = (name: string, spec: string) => calico('GlobalNetworkPolicy', name, spec);
const NP = (name: string, spec: string) => calico('NetworkPolicy', name, spec);

describe('calicoAllSelector', () => {
  describe('#check()', () => {
    it('should warn about selector: all() in a rule without namespaceSelector, naming the scope', async () => {
      const found = await lintText({ 'p.yaml': NP('n', "  egress: [{ action: Allow, destination: { selector: all() } }]\n") }, 'calico-all-selector');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^p\.yaml:5:\d+ warning spec\.egress\[0\]\.destination\.selector: selector: all\(\) matches only the endpoints of namespace x, never external hosts/);
    });

    it('should not warn with a namespaceSelector, or with another selector', async () => {
      const spec = "  egress:\n    - { action: Allow, destination: { selector: all(), namespaceSelector: has(team) } }\n    - { action: Allow, destination: { selector: has(app) } }\n";
      expect(await lintText({ 'p.yaml': GNP('g', spec) }, 'calico-all-selector')).to.deep.equal([]);
    });
  });
});
