import { expect } from 'chai';
import { calico, lintText } from './lint-text.js';

const GNP = (name: string, spec: string) => calico('GlobalNetworkPolicy', name, spec);

describe('badCalicoPolicy', () => {
  describe('#check()', () => {
    it('should report a selector syntax error at its column inside the string', async () => {
      const found = await lintText({ 'p.yaml': GNP('g', "  selector: a == 'b' && has(app\n") }, 'bad-calico-policy');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^p\.yaml:5:32 error spec\.selector: invalid selector \(col 20\): expected '\)' after "has\(app"/);
    });

    it('should report what check rejects (ports without protocol, host-endpoint fields) and nothing for a valid policy', async () => {
      const found = await lintText({ 'p.yaml': GNP('g', '  preDNAT: true\n  ingress: [{ action: Allow, destination: { ports: [80] } }]\n') }, 'bad-calico-policy');
      expect(found.map((f) => f.replace(/^\S+ \S+ /, ''))).to.deep.equal([
        'spec.preDNAT: preDNAT applies only to host endpoints ("meaningful only when applying policy to a host endpoint"), which netseg does not model: remove it',
      ]);
      const ports = await lintText({ 'p.yaml': GNP('g', '  ingress: [{ action: Allow, destination: { ports: [80] } }]\n') }, 'bad-calico-policy');
      expect(ports).to.have.length(1);
      expect(ports[0]).to.match(/ports needs the rule's protocol/);
      expect(await lintText({ 'p.yaml': GNP('g', '  ingress: [{ action: Allow, protocol: TCP, destination: { ports: [80] } }]\n') }, 'bad-calico-policy')).to.deep.equal([]);
      const notAMap = await lintText({ 'p.yaml': GNP('g', '  oops\n') }, 'bad-calico-policy');
      expect(notAMap).to.have.length(1);
      expect(notAMap[0]).to.match(/spec: expected object, got string "oops"/);
    });

    it('should report source ports and a knp.default. name as check does', async () => {
      const sport = await lintText({ 'p.yaml': GNP('g', '  ingress: [{ action: Allow, protocol: TCP, source: { ports: [80] } }]\n') }, 'bad-calico-policy');
      expect(sport).to.have.length(1);
      expect(sport[0]).to.match(/^p\.yaml:5:\d+ error spec\.ingress\[0\]\.source\.ports: source\.ports cannot be evaluated by netseg: a probe's source port is ephemeral/);
      const knp = await lintText({ 'p.yaml': calico('NetworkPolicy', 'knp.default.p', '  ingress: [{ action: Allow }]\n') }, 'bad-calico-policy');
      expect(knp).to.have.length(1);
      expect(knp[0]).to.match(/metadata\.name: a Calico NetworkPolicy cannot be named "knp\.default\.…"/);
    });
  });
});
