import type { CellKey, ClusterState, PeerRef, Topology } from '../../model/index.js';
import type { AddressBook } from '../../probe/address-book.js';
import type { ProbeTransport } from '../../probe/probe-transport.js';
import type { DeployedScenario } from '../provider.js';
import { ControlSocketTransport } from './control-socket-transport.js';
import type { FilterPlan } from './filter-plan.js';
import { netnsAddressBook } from './netns-address-book.js';
import { hubCount } from './agent-commands.js';
import type { NetnsDeployment } from './netns-deployment.js';
import { notEnforcedReason } from './not-enforced-cells.js';

/** What a deployed scenario asks of the environment that deployed it (which serialises the calls). */
export interface NetnsDeploymentControl {
  /** False once this deployment is undeployed (or its environment disposed). */
  isCurrent(): boolean;
  /** Programs `state`; resolves to the filter it compiled (undefined: enforcement off). */
  sync(state: ClusterState): Promise<FilterPlan | undefined>;
  undeploy(): Promise<void>;
}

/** One scenario deployed in a netns world; disposing it undeploys it. */
export class NetnsDeployedScenario implements DeployedScenario {
  readonly addresses: AddressBook;
  #filter: FilterPlan | undefined;

  constructor(
    private readonly deployment: NetnsDeployment,
    private readonly control: NetnsDeploymentControl,
  ) {
    this.addresses = netnsAddressBook(deployment.topology);
  }

  get topology(): Topology {
    return this.deployment.topology;
  }

  async sync(state: ClusterState): Promise<void> {
    this.#filter = await this.control.sync(state);
  }

  /** Cells the last synced filter cannot enforce (a rule nftables cannot evaluate judges them). */
  notEnforced(cell: CellKey): string | undefined {
    return notEnforcedReason(this.#filter, cell);
  }

  transport(): ProbeTransport {
    return new ControlSocketTransport((source) => (this.control.isCurrent() ? this.deployment.sockets.get(source) : undefined), inFlightBudget(this.deployment));
  }

  /** Hosts whose agent is gone: a refused connection to them says nothing about policy. */
  unavailableHosts(): ReadonlySet<string> {
    return this.control.isCurrent() ? this.deployment.agents.dead : new Set();
  }

  enterHint(ref: PeerRef): string {
    const host = this.control.isCurrent() ? this.deployment.plan.hosts.find((h) => h.ref === ref) : undefined;
    if (!host) return `(${ref} is not deployed)`;
    const proxy = this.deployment.proxies.configOf(ref);
    return `sudo ip netns exec ${host.netns} bash${proxy ? ` (its L7 proxy: HAProxy with ${proxy}, redirects in nft table inet netseg_l7)` : ''}`;
  }

  undeploy(): Promise<void> {
    return this.control.undeploy();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.control.undeploy();
  }
}

const HUB_IN_FLIGHT = 600;

/**
 * Probes in flight a deployment's agents take without starving. A hub runs on one core and serves
 * both ends of its members' probes; past about HUB_IN_FLIGHT each per hub, a 2-core machine lets
 * connections wait beyond the probe timeout for the accepting hub (measured with
 * scripts/bench-probe.ts: 1,200 in flight over 2 hubs round 40,000 probes in 6 s, 2,500 starve and
 * take 13 s with the prober's re-probe). One process per host: the prober's default.
 */
function inFlightBudget(deployment: NetnsDeployment): number | undefined {
  const hubs = hubCount(deployment.commands);
  return hubs === 0 ? undefined : HUB_IN_FLIGHT * hubs;
}
