import { z } from 'zod';
import { PROTOCOLS, TARGET_KINDS } from '../model/index.js';

/**
 * Policy features a deviation can hinge on, detected in the policies that select the cell's pods:
 * NetworkPolicy fields, and `networks-pod-ip` (a ClusterNetworkPolicy egress `networks` peer
 * covering the destination pod's IP).
 */
export const DEVIATION_FEATURES = ['ipBlock', 'ipBlock-pod-ip', 'endPort', 'named-port', 'networks-pod-ip'] as const;

const matchSchema = z
  .object({
    /** Any of these target kinds. */
    targets: z.array(z.enum(TARGET_KINDS as [string, ...string[]])).min(1).optional(),
    protocols: z.array(z.enum(PROTOCOLS as [string, ...string[]])).min(1).optional(),
    /** Pod-to-itself cells (true) or only other cells (false). */
    self: z.boolean().optional(),
    /** Any of these features used by a policy selecting the source (egress) or destination (ingress). */
    features: z.array(z.enum(DEVIATION_FEATURES)).min(1).optional(),
    /** Any of these engine verdicts. */
    verdicts: z.array(z.enum(['allowed', 'blocked'])).min(1).optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length > 0, { message: 'match needs at least one condition (an empty match would mark every cell)' });

/** The schema of clusters/<cni>/deviations.yaml: a CNI's known deviations from the NetworkPolicy spec. */
export const deviationsSchema = z
  .object({
    apiVersion: z.literal('netseg.io/v1alpha1'),
    kind: z.literal('KnownDeviations'),
    cni: z.string().min(1),
    deviations: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase words joined by "-"'),
          description: z.string().min(1),
          /** Where the deviation is documented (issue numbers, docs pages). */
          source: z.string().min(1),
          /** documented (in the CNI's docs / CI), reported (issues), unverified (plausible, not confirmed). */
          status: z.enum(['documented', 'reported', 'unverified']),
          match: matchSchema,
        })
        .strict(),
    ),
  })
  .strict();
