/** How policy-denied packets are refused: silently dropped (as Calico does) or rejected (RST / ICMP admin-prohibited). */
export type DenyAction = 'drop' | 'reject';
