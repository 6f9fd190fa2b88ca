import ipaddr from 'ipaddr.js';
import type { ParsedCIDR } from '../model/cidr.js';

/** Deterministic addresses of a CIDR by offset from its network address (IPv4 and IPv6). */
export class AddressPool {
  readonly #base: bigint;
  readonly #bits: number;
  readonly #size: bigint;

  constructor(readonly cidr: ParsedCIDR) {
    this.#bits = cidr.family === 4 ? 32 : 128;
    this.#base = toBigInt(ipaddr.parse(cidr.network).toByteArray());
    this.#size = 1n << BigInt(this.#bits - cidr.prefix);
  }

  /** The address at `offset` (1 = first host), or undefined past the last usable host. */
  at(offset: number): string | undefined {
    const off = BigInt(offset);
    // IPv4 broadcast is not a host address.
    const last = this.cidr.family === 4 ? this.#size - 2n : this.#size - 1n;
    if (off < 1n || off > last) return undefined;
    return fromBigInt(this.#base + off, this.#bits / 8);
  }
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBigInt(value: bigint, length: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < length; i++) bytes.unshift(Number((value >> BigInt(8 * i)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}
