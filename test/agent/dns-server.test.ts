import { expect } from 'chai';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { RecordsFile } from '../../src/agent/dns-records.js';
import { answerQuery } from '../../src/agent/dns-server.js';
import { tempDir } from './agent-test-support.js';

function ask(records: RecordsFile, name: string, type: 'A' | 'AAAA' | 'TXT'): { rcode: number; aa: boolean; answers: string[] } {
  const reply = answerQuery(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }), records);
  if (!reply) throw new Error('no reply');
  const packet = dnsPacket.decode(reply);
  expect(packet.id).to.equal(7);
  return { rcode: reply.readUInt16BE(2) & 0xf, aa: packet.flag_aa, answers: (packet.answers ?? []).map((a) => ('data' in a ? String(a.data) : '')) };
}

describe('DNS server', () => {
  describe('#answerQuery()', () => {
    let records: RecordsFile;
    let path: string;

    beforeEach(() => {
      path = join(tempDir(), 'records.json');
      writeFileSync(path, JSON.stringify({ 'web.x.svc.cluster.local': ['10.96.0.100', 'fd00::100'], 'v4only.x.svc.cluster.local': '10.96.0.101' }));
      records = new RecordsFile(path, () => {});
    });

    it('should answer A and AAAA records authoritatively, case-insensitively', () => {
      expect(ask(records, 'WEB.x.svc.cluster.local', 'A')).to.deep.equal({ rcode: 0, aa: true, answers: ['10.96.0.100'] });
      expect(ask(records, 'web.x.svc.cluster.local', 'AAAA')).to.deep.equal({ rcode: 0, aa: true, answers: ['fd00::100'] });
    });

    it('should answer NXDOMAIN for an unknown name and an empty NOERROR for another type of a known name', () => {
      expect(ask(records, 'nope.x.svc.cluster.local', 'A').rcode).to.equal(3);
      expect(ask(records, 'v4only.x.svc.cluster.local', 'AAAA')).to.deep.equal({ rcode: 0, aa: true, answers: [] });
      expect(ask(records, 'web.x.svc.cluster.local', 'TXT')).to.deep.equal({ rcode: 0, aa: true, answers: [] });
    });

    it('should ignore garbage shorter than a header and answer FORMERR to a malformed query', () => {
      expect(answerQuery(Buffer.from([1, 2, 3]), records)).to.equal(undefined);
      const malformed = Buffer.concat([Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([63])]);
      const reply = answerQuery(malformed, records);
      expect(reply && reply.readUInt16BE(2) & 0xf).to.equal(1);
    });

    it('should pick up a rewritten records file without a restart', async () => {
      writeFileSync(path, JSON.stringify({ 'new.x.svc.cluster.local': '10.96.0.102' }));
      utimesSync(path, new Date(), new Date(Date.now() + 5000));
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(ask(records, 'new.x.svc.cluster.local', 'A').answers).to.deep.equal(['10.96.0.102']);
      expect(ask(records, 'web.x.svc.cluster.local', 'A').rcode).to.equal(3);
    });
  });
});
