import { expect } from 'chai';
import { AgentInputError } from '../../src/agent/agent-input-error.js';
import { parseListenSpec } from '../../src/agent/listen-spec.js';

describe('parseListenSpec', () => {
  it('should parse ports with protocols, defaulting to TCP and dropping duplicates', () => {
    expect(parseListenSpec('80/TCP,80/udp, 81,80/TCP')).to.deep.equal([
      { port: 80, protocol: 'TCP' },
      { port: 80, protocol: 'UDP' },
      { port: 81, protocol: 'TCP' },
    ]);
    expect(parseListenSpec('')).to.deep.equal([]);
  });

  it('should take HTTP as a TCP port served as HTTP too, also over an earlier TCP entry of the port', () => {
    expect(parseListenSpec('8080/HTTP,80/TCP,80/http,8080/TCP')).to.deep.equal([
      { port: 8080, protocol: 'TCP', http: true },
      { port: 80, protocol: 'TCP', http: true },
    ]);
  });

  it('should reject SCTP and malformed items with the offending item', () => {
    expect(() => parseListenSpec('80/SCTP')).to.throw(AgentInputError, '"80/SCTP": only TCP, UDP and HTTP can be served');
    expect(() => parseListenSpec('70000/TCP')).to.throw(AgentInputError, '"70000/TCP" is not PORT');
    expect(() => parseListenSpec('http')).to.throw(AgentInputError, '"http" is not PORT');
  });
});
