/**
 * How a probe addresses its destination:
 * - pod-ip: the destination pod's IP;
 * - service: the ClusterIP of the destination pod's Service (judged against the backend pod);
 * - dns-name: the Service's DNS name, resolved through cluster DNS first (needs DNS egress);
 * - external: an external host's IP;
 * - dns: a DNS query to the cluster DNS Service itself (port 53 over UDP or TCP).
 */
export type TargetKind = 'pod-ip' | 'service' | 'dns-name' | 'external' | 'dns';

/** All target kinds, in canonical order. */
export const TARGET_KINDS: readonly TargetKind[] = ['pod-ip', 'service', 'dns-name', 'external', 'dns'];
