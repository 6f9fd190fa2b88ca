import { expect } from 'chai';
import { parseIdentityLine } from '../../src/agent/identity-line.js';
import { socketErrorOutcome } from '../../src/agent/socket-error-outcome.js';

describe('socketErrorOutcome', () => {
  it('should keep REJECT-style errors apart from unreachable and local errors', () => {
    expect(socketErrorOutcome('ECONNREFUSED')).to.equal('refused');
    for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM']) expect(socketErrorOutcome(code), code).to.equal('unreachable');
    expect(socketErrorOutcome('ETIMEDOUT')).to.equal('timeout');
    expect(socketErrorOutcome('EMFILE')).to.equal('agent-error');
    expect(socketErrorOutcome(undefined)).to.equal('agent-error');
  });
});

describe('parseIdentityLine', () => {
  it('should take the identity after "netseg " on the first line, or the raw line from another server', () => {
    expect(parseIdentityLine('netseg x/a\n')).to.equal('x/a');
    expect(parseIdentityLine('netseg x/a\r\nmore')).to.equal('x/a');
    expect(parseIdentityLine('SSH-2.0-OpenSSH_9.2\r\n')).to.equal('SSH-2.0-OpenSSH_9.2');
  });
});
