import { expect } from 'chai';
import { classifyOutcome } from '../../src/probe/classify.js';

describe('classifyOutcome', () => {
  it('should call a connection allowed', () => expect(classifyOutcome('connected')).to.equal('allowed'));
  it('should call timeouts, refusals and unreachables blocked', () => {
    for (const o of ['timeout', 'refused', 'unreachable', 'dns-timeout'] as const) expect(classifyOutcome(o), o).to.equal('blocked');
  });
  it('should never call a probe that could not tell blocked', () => {
    for (const o of ['agent-error', 'wrong-identity', 'dns-nxdomain', 'dns-error'] as const) expect(classifyOutcome(o), o).to.equal('probe-error');
  });
  it('should call a name a DNS proxy refused denied', () => expect(classifyOutcome('dns-refused')).to.equal('denied'));
  it('should call an unsupported protocol unknown', () => expect(classifyOutcome('unsupported')).to.equal('unknown'));
});
