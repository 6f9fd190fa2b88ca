import { expect } from 'chai';
import { AgentInputError } from '../../src/agent/agent-input-error.js';
import { parseHubSpec } from '../../src/agent/hub-spec.js';

describe('parseHubSpec', () => {
  describe('#parseHubSpec()', () => {
    const member = { identity: 'x/a', netns: '/run/netns/n-p0', listen: '80/TCP,80/UDP', control: '/d/0.sock' };

    it('should read the members with their optional host, control socket and resolv.conf', () => {
      const spec = parseHubSpec(JSON.stringify({ members: [member, { identity: 'external:m', netns: '/run/netns/n-x0', listen: '', host: '::', resolvConf: '/d/r.conf' }] }), 'hub.json');
      expect(spec.members).to.deep.equal([member, { identity: 'external:m', netns: '/run/netns/n-x0', listen: '', host: '::', resolvConf: '/d/r.conf' }]);
    });

    const bad: [string, string, RegExp][] = [
      ['not JSON', '{', /hub\.json: not valid JSON/],
      ['no members', '{"members": []}', /1-10000 members/],
      ['a member that is not an object', '{"members": [3]}', /members\[0\]: expected an object/],
      ['a missing namespace', JSON.stringify({ members: [{ ...member, netns: undefined }] }), /members\[0\]\.netns: expected a non-empty string/],
      ['an empty identity', JSON.stringify({ members: [{ ...member, identity: '' }] }), /members\[0\]\.identity/],
      ['an unknown key', JSON.stringify({ members: [member, { ...member, port: 80 }] }), /members\[1\]: unknown key "port"/],
      ['a control socket that is no string', JSON.stringify({ members: [{ ...member, control: 1 }] }), /members\[0\]\.control: expected a string/],
    ];
    for (const [what, text, message] of bad) {
      it(`should refuse ${what} with an input error naming the file and the place`, () => {
        expect(() => parseHubSpec(text, 'hub.json')).to.throw(AgentInputError, message);
      });
    }
  });
});
