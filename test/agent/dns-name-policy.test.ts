import { expect } from 'chai';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { AgentInputError } from '../../src/agent/agent-input-error.js';
import { NamePolicyFile, parseNamePolicy, type DnsNamePolicyFile } from '../../src/agent/dns-name-policy.js';
import { RecordsFile } from '../../src/agent/dns-records.js';
import { respond, type DnsZone } from '../../src/agent/dns-server.js';
import { NftSetFiller } from '../../src/agent/nft-set-filler.js';
import { tempDir } from './agent-test-support.js';

const XA = '10.244.0.1';
const POLICY: DnsNamePolicyFile = {
  nft: { netns: 'netseg-t-node', table: 'netseg_t', timeoutSeconds: 3600 },
  sources: [{ ip: XA, pod: 'x/a', lookups: { UDP: ['^api\\.example\\.com$', '^[-a-z0-9_]*\\.example\\.org$'] }, sets: [{ set: 'fqdn_a_0', family: 4, names: ['^api\\.example\\.com$'] }] }],
};

describe('DNS name policy', () => {
  let dir: string;
  let zone: DnsZone;
  let applied: { netns: string; input: string }[];
  let nftResult: string | undefined;
  let logs: string[];

  function writePolicy(policy: DnsNamePolicyFile): void {
    writeFileSync(join(dir, 'p.tmp'), JSON.stringify(policy));
    renameSync(join(dir, 'p.tmp'), join(dir, 'policy.json'));
  }

  async function ask(name: string, from = XA, transport: 'UDP' | 'TCP' = 'UDP', type: 'A' | 'AAAA' = 'A'): Promise<{ rcode: number; answers: string[] }> {
    const reply = await respond(dnsPacket.encode({ type: 'query', id: 9, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }), zone, from, transport);
    if (!reply) throw new Error('no reply');
    return { rcode: reply.readUInt16BE(2) & 0xf, answers: (dnsPacket.decode(reply).answers ?? []).map((a) => ('data' in a ? String(a.data) : '')) };
  }

  beforeEach(() => {
    dir = tempDir();
    writeFileSync(join(dir, 'records.json'), JSON.stringify({ 'api.example.com': ['192.0.2.10', '2001:db8::10'], 'www.example.org': '192.0.2.11', 'other.example.net': '192.0.2.12' }));
    writePolicy(POLICY);
    applied = [];
    nftResult = undefined;
    logs = [];
    const log = (m: string) => logs.push(m);
    zone = {
      records: new RecordsFile(join(dir, 'records.json'), log),
      names: new NamePolicyFile(join(dir, 'policy.json'), log),
      filler: new NftSetFiller(async (netns, input) => {
        applied.push({ netns, input });
        return nftResult;
      }),
      log,
    };
  });

  describe('respond()', () => {
    it('should answer REFUSED for a name no DNS rule of the querier matches, and answer the names they match', async () => {
      expect(await ask('other.example.net')).to.deep.equal({ rcode: 5, answers: [] });
      expect(await ask('www.example.org')).to.deep.equal({ rcode: 0, answers: ['192.0.2.11'] });
      // An allowed name that does not exist is NXDOMAIN, as without a policy.
      expect((await ask('nope.example.org')).rcode).to.equal(3);
    });

    it('should leave other sources and other transports unjudged', async () => {
      expect(await ask('other.example.net', '10.244.0.2')).to.deep.equal({ rcode: 0, answers: ['192.0.2.12'] });
      expect(await ask('other.example.net', XA, 'TCP')).to.deep.equal({ rcode: 0, answers: ['192.0.2.12'] });
      // An IPv4 querier seen on a dual-stack socket is the same source.
      expect((await ask('other.example.net', `::ffff:${XA}`)).rcode).to.equal(5);
      expect(applied).to.deep.equal([]);
    });

    it('should add the answered addresses of the family asked to the matching sets before answering, once per policy', async () => {
      expect(await ask('API.example.com.')).to.deep.equal({ rcode: 0, answers: ['192.0.2.10'] });
      expect(applied).to.deep.equal([{ netns: 'netseg-t-node', input: 'add element inet netseg_t fqdn_a_0 { 192.0.2.10 timeout 3600s }\n' }]);
      await ask('api.example.com');
      expect(applied).to.have.length(1);
      // An AAAA answer goes to IPv6 sets only: this source has none.
      await ask('api.example.com', XA, 'UDP', 'AAAA');
      expect(applied).to.have.length(1);
      // A new policy file means a new table: the element is added again.
      writePolicy({ ...POLICY, sources: [...POLICY.sources] });
      await ask('api.example.com');
      expect(applied).to.have.length(2);
    });

    it('should answer SERVFAIL when the set cannot be filled, and try again at the next lookup', async () => {
      nftResult = 'nft exited 1: set full';
      expect((await ask('api.example.com')).rcode).to.equal(2);
      expect(logs.join('\n')).to.contain('set full');
      nftResult = undefined;
      expect((await ask('api.example.com')).rcode).to.equal(0);
      expect(applied).to.have.length(2);
    });

    it('should see a policy renamed into place at the very next query', async () => {
      writePolicy({ ...POLICY, sources: [] });
      expect((await ask('other.example.net')).rcode).to.equal(0);
    });
  });

  describe('parseNamePolicy()', () => {
    it('should name the field of a malformed file', () => {
      expect(() => parseNamePolicy('{"sources":[{"ip":"nope"}]}', 'p.json')).to.throw(AgentInputError, 'p.json: sources[0].ip');
      expect(() => parseNamePolicy('{"sources":[{"ip":"10.0.0.1","lookups":{"UDP":["("]},"sets":[]}]}', 'p.json')).to.throw(AgentInputError, 'sources[0]');
      expect(() => parseNamePolicy('{"sources":[{"ip":"10.0.0.1","lookups":{},"sets":[{"set":"a;b","family":4,"names":[]}]}]}', 'p.json')).to.throw(AgentInputError, 'sets[0]');
    });
  });
});
