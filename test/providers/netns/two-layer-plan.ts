// A hand-built plan of two test-only layers (no policy kind behind them), shared by the renderer's
// unit tests and the real-datapath test of layer composition. Pods as in gridTopology/smallTopology:
// x/a 10.244.0.1, x/b .2, y/a .3, y/b .4.
import type { FilterPlan } from '../../../src/providers/netns/filter-plan.js';
import type { PortMatch } from '../../../src/providers/netns/layers/flow-match.js';
import type { LayerChain, LayerRule } from '../../../src/providers/netns/layers/netns-layer.js';

const FIRST = { id: 'first', rank: 1_000 };
const LAST = { id: 'last', rank: 10_000_000 };

const rule = (ip: string, verdict: LayerRule['verdict'], origin: string, port: PortMatch = { kind: 'any' }): LayerRule => ({ peer: { kind: 'ips', ips: [ip] }, port, verdict, origin });
const tcp = (port: number): PortMatch => ({ kind: 'range', protocol: 'TCP', from: port, to: port });

const xa = { pod: 'x/a', ip: '10.244.0.1', direction: 'ingress' as const };
const yb = { pod: 'y/b', ip: '10.244.0.4', direction: 'egress' as const };

/**
 * Ingress of x/a: layer `first` denies x/b on TCP 80, passes the rest of x/b (so its later rule
 * denying x/b on TCP 81 is never reached), accepts y/a, and continues; layer `last` accepts TCP
 * from x/b and ends with deny (so x/b's UDP, passed by `first`, is denied there). Egress of y/b (one layer): denies y/a, passes x/b, continues after the last layer.
 * The last layer's chain for x/a is listed first, to show ranks, not list order, decide.
 */
export function twoLayerPlan(): FilterPlan {
  const chains: LayerChain[] = [
    { layer: LAST, ...xa, policies: ['test/last'], rules: [rule('10.244.0.2', 'accept', 'last: accept x/b TCP', { kind: 'protocol', protocol: 'TCP' })], end: 'deny' },
    {
      layer: FIRST,
      ...xa,
      policies: ['test/first'],
      rules: [rule('10.244.0.2', 'deny', 'first: deny x/b 80', tcp(80)), rule('10.244.0.2', 'pass', 'first: pass x/b'), rule('10.244.0.2', 'deny', 'first: deny x/b 81 (shadowed by the pass)', tcp(81)), rule('10.244.0.3', 'accept', 'first: accept y/a')],
      end: 'continue',
    },
    { layer: FIRST, ...yb, policies: ['test/first'], rules: [rule('10.244.0.3', 'deny', 'first: deny to y/a'), rule('10.244.0.2', 'pass', 'first: pass to x/b')], end: 'continue' },
    // Decides nothing: rendered as no chain, and y/a gets no vmap entry.
    { layer: FIRST, pod: 'y/a', ip: '10.244.0.3', direction: 'ingress', policies: ['test/first'], rules: [], end: 'continue' },
  ];
  return { chains };
}
