import { expect } from 'chai';
import type { CiliumFqdnSpec } from '../../../../src/model/index.js';
import { fqdnSelectorRegex } from '../../../../src/providers/netns/fqdn/fqdn-selector-regex.js';

/** Whether the selector admits a query name, as the DNS agent tests it (lower-cased, trailing dot removed). */
function admits(spec: CiliumFqdnSpec, name: string): boolean {
  return new RegExp(fqdnSelectorRegex(spec)).test(name.toLowerCase().replace(/\.$/, ''));
}

describe('fqdnSelectorRegex', () => {
  it('should match a matchName exactly, ignoring case and a trailing dot on either side', () => {
    expect(admits({ matchName: 'API.Example.com.' }, 'api.example.com')).to.equal(true);
    expect(admits({ matchName: 'api.example.com' }, 'API.EXAMPLE.COM.')).to.equal(true);
    expect(admits({ matchName: 'api.example.com' }, 'xapi.example.com')).to.equal(false);
    // The dot is literal, not "any character".
    expect(admits({ matchName: 'api.example.com' }, 'api-example.com')).to.equal(false);
  });

  it('should let * stand for zero or more label characters, never a dot', () => {
    const spec = { matchPattern: '*.example.com' };
    expect(admits(spec, 'a.example.com')).to.equal(true);
    expect(admits(spec, 'a_b-1.example.com')).to.equal(true);
    expect(admits(spec, 'a.b.example.com')).to.equal(false);
    expect(admits(spec, 'example.com')).to.equal(false);
    expect(admits({ matchPattern: 'api*.example.com' }, 'api-v2.example.com')).to.equal(true);
  });

  it('should let a leading **. stand for one or more labels but not the apex, and ** elsewhere act as *', () => {
    const deep = { matchPattern: '**.example.com' };
    expect(admits(deep, 'a.example.com')).to.equal(true);
    expect(admits(deep, 'a.b.example.com')).to.equal(true);
    expect(admits(deep, 'example.com')).to.equal(false);
    expect(admits({ matchPattern: 'a.**.com' }, 'a.b.com')).to.equal(true);
    expect(admits({ matchPattern: 'a.**.com' }, 'a.b.c.com')).to.equal(false);
  });

  it('should let a pattern of only stars match every name, the root too', () => {
    for (const matchPattern of ['*', '**', '*.']) {
      expect(admits({ matchPattern }, 'a.b.example.com'), matchPattern).to.equal(true);
      expect(admits({ matchPattern }, '.'), matchPattern).to.equal(true);
    }
  });
});
