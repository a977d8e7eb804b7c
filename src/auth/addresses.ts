/**
 * Client addresses behind reverse proxies. The address a login is limited by is the direct peer's,
 * unless that peer is a proxy the installation trusts (setting server.trustedProxies): then it is
 * the right-most address of X-Forwarded-For that is not itself a trusted proxy. A header from
 * anyone else is ignored — it is whatever the client wants it to be.
 */
import net from "node:net";

export interface AddressRange {
  text: string;
  block: net.BlockList;
}

/** "::ffff:10.0.0.1" → "10.0.0.1": IPv4 peers on a dual-stack socket. */
export function normalizeAddress(a: string): string {
  const s = a.trim().replace(/^\[|\]$/g, "");
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  return m ? m[1] : s;
}

/** One address or CIDR subnet ("10.0.0.1", "10.0.0.0/8", "fd00::/8"); an error names the bad entry. */
export function parseRange(entry: string): AddressRange {
  const text = entry.trim();
  const [addr, bits, extra] = text.split("/");
  const ip = normalizeAddress(addr ?? "");
  const family = net.isIP(ip);
  if (!family || extra !== undefined) throw new Error(`«${text}» — не IP-адрес и не подсеть (пример: 10.0.0.1 или 10.0.0.0/8)`);
  const type = family === 4 ? "ipv4" : "ipv6";
  const block = new net.BlockList();
  if (bits === undefined) block.addAddress(ip, type);
  else {
    const n = Number(bits);
    if (!/^\d{1,3}$/.test(bits) || n > (family === 4 ? 32 : 128)) throw new Error(`«${text}»: неверная длина префикса подсети`);
    block.addSubnet(ip, n, type);
  }
  return { text, block };
}

/** A comma- or space-separated list of addresses and subnets (the setting's value). */
export function parseRanges(list: string | null | undefined): AddressRange[] {
  return String(list ?? "")
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(parseRange);
}

export function inRanges(address: string, ranges: AddressRange[]): boolean {
  const ip = normalizeAddress(address);
  const family = net.isIP(ip);
  if (!family) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  return ranges.some((r) => r.block.check(ip, type));
}

export const isLoopback = (address: string): boolean => {
  const ip = normalizeAddress(address);
  return ip === "::1" || /^127\./.test(ip);
};

/**
 * The client's address: the peer, or — when the peer is a trusted proxy — the nearest address in
 * X-Forwarded-For that is not one of our proxies (each proxy appends the address it saw).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: AddressRange[]): string {
  const direct = normalizeAddress(peer ?? "?");
  if (!trusted.length || !inRanges(direct, trusted) || !forwardedFor) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map(normalizeAddress).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!net.isIP(hops[i])) return direct; // garbage in the chain: trust nothing further left
    if (!inRanges(hops[i], trusted)) return hops[i];
  }
  return hops[0] ?? direct;
}
