import { expect } from 'chai';
import type { DirectionExplanation, ExplainedCell, LayerDecision } from '../../src/model/index.js';
import { formatExplanations } from '../../src/report/format-explanation.js';

const open: DirectionExplanation = { applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed', layers: [{ layer: 'NetworkPolicy', outcome: 'no-decision' }] };

const explained = (ingress: DirectionExplanation): ExplainedCell => ({
  step: 0,
  stepName: 'policies',
  key: { from: 'x/a', to: 'y/b', target: 'pod-ip', port: 80, protocol: 'TCP' },
  explanation: { verdict: ingress.verdict, egress: open, ingress, summary: 'the summary' },
});

/** A direction no NetworkPolicy isolates, blocked by the layers' path. */
const blockedBy = (layers: readonly LayerDecision[]): DirectionExplanation => ({ applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'blocked', layers });

describe('formatExplanations', () => {
  describe('#formatExplanations()', () => {
    it('should name the family of a dual-stack cell in its heading, and none for a single-family one', () => {
      const cell = explained(open);
      expect(formatExplanations([{ ...cell, key: { ...cell.key, family: 'IPv6' } }])).to.match(/^x\/a -> y\/b 80\/TCP IPv6 \(pod-ip\) at step 0 "policies": ALLOWED/);
      expect(formatExplanations([cell])).to.match(/^x\/a -> y\/b 80\/TCP \(pod-ip\) at step 0/);
    });

    it('should print the layer path of a direction when more than one layer exists', () => {
      const ingress = blockedBy([
        { layer: 'Admin', outcome: 'deny', policy: 'cnp/tenants' as `${string}/${string}`, rule: 2 },
        { layer: 'NetworkPolicy', outcome: 'not-consulted', decidedBy: 'Admin' },
      ]);
      expect(formatExplanations([explained(ingress)])).to.include('    layers: Admin deny (cnp/tenants rule 2) -> NetworkPolicy not consulted\n');
    });

    it('should say which tier, policy, priority and rule decided and which layers were not consulted', () => {
      const ingress = blockedBy([
        { layer: 'Admin', outcome: 'deny', policy: 'ClusterNetworkPolicy/tenant-isolation', priority: 10, rule: 1, ruleName: 'deny-cross-tenant' },
        { layer: 'NetworkPolicy', outcome: 'not-consulted', decidedBy: 'Admin' },
        { layer: 'Baseline', outcome: 'not-consulted', decidedBy: 'Admin' },
      ]);
      const text = formatExplanations([explained(ingress)]);
      expect(text).to.include('  ingress: not isolated (no policy selects the pod for ingress) -> blocked\n');
      expect(text).to.include('    decided by Admin: tenant-isolation (priority 10) rule deny-cross-tenant Deny → blocked; NetworkPolicy and Baseline not consulted\n');
    });

    it('should show a Calico decision with its tier, policy, order, rule and the Log rules on the way', () => {
      const ingress: DirectionExplanation = {
        applies: true,
        isolated: true,
        selectedBy: ['GlobalNetworkPolicy/audit'],
        allowedBy: [],
        verdict: 'blocked',
        layers: [
          { layer: 'Tier/security', outcome: 'deny', policy: 'GlobalNetworkPolicy/audit', order: 10, rule: 1, logged: [{ policy: 'GlobalNetworkPolicy/audit', rule: 0 }] },
          { layer: 'Tier/default', outcome: 'not-consulted', decidedBy: 'Tier/security' },
        ],
      };
      const text = formatExplanations([explained(ingress)]);
      expect(text).to.include('  ingress: isolated by GlobalNetworkPolicy/audit -> blocked\n    no ingress rule of these policies allows this flow\n');
      expect(text).to.include('    layers: Tier/security deny (GlobalNetworkPolicy/audit order 10 rule 1) [logged by GlobalNetworkPolicy/audit rule 0] -> Tier/default not consulted\n');
      expect(text).to.include('    decided by Tier/security: GlobalNetworkPolicy/audit (order 10) rule 1 Deny → blocked; Tier/default not consulted\n');
    });

    it('should print no layer path with the NetworkPolicy layer alone', () => {
      const text = formatExplanations([explained(open)]);
      expect(text).to.not.include('layers:');
      expect(text).to.include('  ingress: not isolated (no policy selects the pod for ingress) -> allowed\n');
    });

    it('should show the request of a request cell and each L7 layer the cell met', () => {
      const cell = explained(open);
      const l7: ExplainedCell = {
        ...cell,
        key: { ...cell.key, request: 'GET /' },
        explanation: { ...cell.explanation, verdict: 'denied', l7: [{ layer: 'AuthorizationPolicy', decision: 'deny', policies: [], reason: 'ALLOW policy y/w has no rule matching GET / → GET / denied' }] },
      };
      const text = formatExplanations([l7]);
      expect(text).to.match(/^x\/a -> y\/b 80\/TCP \[GET \/\] \(pod-ip\) at step 0 "policies": DENIED/);
      expect(text).to.include('  L7 AuthorizationPolicy: deny — ALLOW policy y/w has no rule matching GET / → GET / denied\n');
    });
  });
});
