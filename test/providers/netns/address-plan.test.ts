import { expect } from 'chai';
import { EnvironmentError } from '../../../src/model/index.js';
import { planAddresses } from '../../../src/providers/netns/address-plan.js';
import { netnsNames } from '../../../src/providers/netns/netns-names.js';
import { plumbingScripts } from '../../../src/providers/netns/plumbing-scripts.js';
import { dualStackTopology, gridTopology } from './fixtures.js';

const names = netnsNames('r1');

describe('planAddresses', () => {
  it('should name every namespace after the run id and give each host a veth', () => {
    const plan = planAddresses(gridTopology({ namespaces: ['x'], pods: ['a'], externals: true }), names);
    expect(plan.node).to.equal('netseg-r1-node');
    expect(plan.hosts.map((h) => [h.ref, h.netns, h.nodeIf, h.ip])).to.deep.equal([
      ['x/a', 'netseg-r1-p0', 'p0', '10.244.0.1'],
      ['kube-system/coredns', 'netseg-r1-p1', 'p1', '10.244.0.2'],
      ['external:metadata', 'netseg-r1-x0', 'x0', '169.254.169.254'],
    ]);
    expect(plan.gateway).to.equal('169.254.1.1');
  });

  it('should pick another gateway when an external host uses 169.254.1.1', () => {
    const t = gridTopology({ namespaces: ['x'], pods: ['a'] });
    const plan = planAddresses({ ...t, externals: [{ name: 'gw', ip: '169.254.1.1', ports: [] }] }, names);
    expect(plan.gateway).to.equal('169.254.1.2');
  });

  it('should refuse an explicit gateway that collides, naming what it collides with', () => {
    expect(() => planAddresses(gridTopology(), names, '10.244.0.1')).to.throw(EnvironmentError, /collides with CIDR 10.244.0.0\/16, pod x\/a/);
  });

  it('should refuse an address of a family the topology does not declare, and duplicate addresses, with an EnvironmentError', () => {
    const t = gridTopology({ namespaces: ['x'], pods: ['a'] });
    expect(() => planAddresses({ ...t, externals: [{ name: 'v6', ip: 'fd00::1', ports: [] }] }, names)).to.throw(EnvironmentError, /external host v6 has an IPv6 address \(fd00::1\) but the topology's families are IPv4/);
    expect(() => planAddresses({ ...t, externals: [{ name: 'dup', ip: '10.244.0.1', ports: [] }] }, names)).to.throw(EnvironmentError, /share the address 10.244.0.1/);
  });
});

describe('planAddresses (dual-stack)', () => {
  it('should give each host every address and the node an IPv6 gateway outside every range', () => {
    const plan = planAddresses(dualStackTopology({ namespaces: ['x'], pods: ['a'], externals: true }), names);
    expect(plan.hosts.map((h) => h.ips)).to.deep.equal([['10.244.0.1', 'fd00:10:244::1'], ['10.244.0.2', 'fd00:10:244::2'], ['169.254.169.254', 'fd00:ec2::254']]);
    expect(plan).to.include({ gateway: '169.254.1.1', gateway6: 'fd00:6e:5e9::1' });
  });

  it('should plumb IPv6 without link-local addresses, DAD or router advertisements, with a /128 route and static neighbour per address', () => {
    const scripts = plumbingScripts(planAddresses(dualStackTopology({ namespaces: ['x'], pods: ['a'] }), names));
    expect(scripts.nodeSysctls).to.include.members(['net.ipv6.conf.all.forwarding=1', 'net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0']);
    expect(scripts.node).to.contain('address add fd00:6e:5e9::1/128 dev lo nodad').and.contain('link set p0 addrgenmode none');
    expect(scripts.node).to.contain('neigh replace fd00:10:244::1 lladdr 02:6e:00:00:00:02 dev p0 nud permanent\nroute add fd00:10:244::1/128 dev p0');
    expect(scripts.hosts[0]!.script.split('\n')).to.include.members([
      'address add 10.244.0.1/32 dev eth0',
      'address add fd00:10:244::1/128 dev eth0 nodad',
      'link set eth0 addrgenmode none',
      'route add default via fd00:6e:5e9::1 dev eth0',
    ]);
    // addrgenmode must be set before the link comes up, or the link-local address already exists.
    const lines = scripts.hosts[0]!.script.split('\n');
    expect(lines.indexOf('link set eth0 addrgenmode none')).to.be.below(lines.indexOf('link set eth0 up'));
  });

  it('should plumb an IPv4 topology exactly as before: no IPv6 line at all', () => {
    const scripts = plumbingScripts(planAddresses(gridTopology({ namespaces: ['x'], pods: ['a'] }), names));
    expect([scripts.node, ...scripts.hosts.map((h) => h.script), ...scripts.nodeSysctls].join('\n')).not.to.match(/ipv6|addrgenmode|nodad|fd00|\/128/);
  });
});

describe('netnsNames', () => {
  it('should refuse run ids that are unsafe in names', () => {
    expect(() => netnsNames('a/b')).to.throw(/run id/);
    expect(netnsNames('r-1').table).to.equal('netseg_r_1');
  });
});

describe('plumbingScripts', () => {
  const plan = planAddresses(gridTopology({ namespaces: ['x'], pods: ['a'] }), names);
  const s = plumbingScripts(plan);

  it('should only add namespaces in the host namespace', () => {
    expect(s.namespaces).to.equal('netns add netseg-r1-node\nnetns add netseg-r1-p0\nnetns add netseg-r1-p1\n');
  });

  it('should route a /32 per host from the node, which owns the gateway', () => {
    expect(s.node.split('\n')).to.include.members([
      'address add 169.254.1.1/32 dev lo',
      'link add name p0 address 02:6e:00:00:00:01 type veth peer name eth0 address 02:6e:00:00:00:02 netns netseg-r1-p0',
      'neigh replace 10.244.0.1 lladdr 02:6e:00:00:00:02 dev p0 nud permanent',
      'route add 10.244.0.1/32 dev p0',
    ]);
  });

  it('should give each host its /32 and a default route via the link-local gateway, and no other route', () => {
    expect(s.hosts[0]?.script).to.equal(
      'link set lo up\naddress add 10.244.0.1/32 dev eth0\nlink set eth0 up\nneigh replace 169.254.1.1 lladdr 02:6e:00:00:00:01 dev eth0 nud permanent\n' +
        'route add 169.254.1.1/32 dev eth0 scope link\nroute add default via 169.254.1.1 dev eth0\n',
    );
  });

  it('should give every veth end a distinct MAC (static neighbors, no ARP burst at the first round)', () => {
    const big = planAddresses({ ...gridTopology(), externals: [{ name: 'e', ip: '192.0.2.1', ports: [] }] }, names);
    const macs = big.hosts.flatMap((h) => [h.nodeMac, h.hostMac]);
    expect(new Set(macs).size).to.equal(macs.length);
  });

  it('should enable forwarding and disable redirects and reverse-path filtering in the node (hairpin)', () => {
    expect(s.nodeSysctls).to.include.members(['net.ipv4.ip_forward=1', 'net.ipv4.conf.all.send_redirects=0', 'net.ipv4.conf.all.rp_filter=0']);
  });
});
