import type { PeerRef, Topology } from '../../model/index.js';
import type { AddressPlan } from './address-plan.js';
import type { AgentCommand } from './agent-commands.js';
import type { AgentFleet } from './agent-fleet.js';
import type { L7ProxyFleet } from './l7/l7-proxy-fleet.js';

/** What one deployed topology is made of in the host: its address plan, agents and their control sockets. */
export interface NetnsDeployment {
  readonly topology: Topology;
  readonly plan: AddressPlan;
  readonly commands: readonly AgentCommand[];
  readonly agents: AgentFleet;
  /** The HAProxy L7 proxies of the pods L7 policies select. */
  readonly proxies: L7ProxyFleet;
  readonly sockets: ReadonlyMap<PeerRef, string>;
}
