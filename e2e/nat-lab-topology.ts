// The NAT lab's wiring as plain data: which namespaces exist, their addresses, and the `ip`, `sysctl`
// and `iptables` commands that build them. Only documentation ranges (RFC 5737) are used.

/** How a home router maps its hosts' ports: kept (cone-like) or random per destination (symmetric). */
export type NatKind = 'endpoint-independent' | 'symmetric';

/** The two homes of the classic lab (createNatLab). */
export type HomeName = 'a' | 'b';

export const homeNames: readonly HomeName[] = ['a', 'b'];

/**
 * Most homes one lab builds. Each home's LAN is a /28 of TEST-NET-1 or TEST-NET-3 (16 of each), but
 * every home runs a browser: 16 is already far past what 2 cores drive (7 Chromiums load them fully).
 */
export const maxHomes = 16;

/** Subnet size of one home's LAN: a /28 holds the router (.1) and the host (.10), and 16 fit in each /24. */
const lanPrefixLength = 28;

/** Addresses in one home's /28: the block's size, and the router's and host's offsets in it. */
const lanBlockSize = 16;
const routerOffset = 1;
const hostOffset = 10;

/** The homes' LAN ranges, alternating: home 0 (`a`) on TEST-NET-1, home 1 (`b`) on TEST-NET-3, … */
const lanRanges = ['192.0.2', '203.0.113'] as const;

/** Addresses of one home (fixed so that tests can name them). */
export interface HomePlan {
  readonly lanCidr: string;
  readonly hostIp: string;
  readonly routerLanIp: string;
  readonly routerWanIp: string;
}

/** The "internet": 198.51.100.0/24 (TEST-NET-2); servers such as coturn and the relay live on .1. */
export const internetPlan = {
  cidr: '198.51.100.0/24',
  prefixLength: 24,
  serverIp: '198.51.100.1',
  /** The first router's WAN address; home i's router has this + i. */
  firstRouterHost: 2,
  /** The internet's "upstream" for private ranges: no host has this address, so what goes there is lost. */
  sinkIp: '198.51.100.254',
  /** A locally administered MAC no interface uses: frames to it are flooded and dropped. */
  sinkMac: '02:00:5e:00:00:fe',
} as const;

/** The name of home `index` (0-based): a, b, c, … (short: it is part of namespace and interface names). */
export function homeNameAt(index: number): string {
  return String.fromCharCode('a'.charCodeAt(0) + index);
}

/** Home `index`'s addresses: home 0 is 192.0.2.0/28 behind 198.51.100.2, home 1 203.0.113.0/28 behind .3, home 2 192.0.2.16/28, … */
export function homePlanAt(index: number): HomePlan {
  if (!Number.isInteger(index) || index < 0 || index >= maxHomes) throw new RangeError(`home index ${index} is outside 0..${maxHomes - 1}`);
  const range = lanRanges[index % lanRanges.length] ?? lanRanges[0];
  const base = Math.floor(index / lanRanges.length) * lanBlockSize;
  return {
    lanCidr: `${range}.${base}/${lanPrefixLength}`,
    hostIp: `${range}.${base + hostOffset}`,
    routerLanIp: `${range}.${base + routerOffset}`,
    routerWanIp: `198.51.100.${internetPlan.firstRouterHost + index}`,
  };
}

/** Home A on TEST-NET-1, home B on TEST-NET-3; each router's WAN address is on the internet. */
export const homePlans: Readonly<Record<HomeName, HomePlan>> = { a: homePlanAt(0), b: homePlanAt(1) };

/** Interface names inside the lab's own namespaces (private to them, so fixed and short). */
export const ifaces = { bridge: 'br0', wan: 'wan', lan: 'lan', host: 'eth0' } as const;

/** The router's WAN cable as seen on the internet bridge (its download side: shaping there limits what reaches the home). */
export function wanPortName(home: string): string {
  return `w${home}`;
}

/** Seconds iptables waits for the xtables lock, which other labs or tests may hold briefly. */
const iptablesLockWaitS = 5;

/** Namespace names of one lab, all starting with `sd-<pid>-<seq>`. */
export interface LabNames<H extends string = HomeName> {
  readonly prefix: string;
  readonly internet: string;
  readonly routers: Readonly<Record<H, string>>;
  readonly hosts: Readonly<Record<H, string>>;
  readonly all: readonly string[];
}

/** Stale-run detection reads the pid back out of this shape. */
export const staleNamePattern = /^sd-(\d+)-/;

export function labNames<H extends string>(pid: number, seq: number, homes: readonly H[]): LabNames<H> {
  const prefix = `sd-${pid}-${seq}`;
  const internet = `${prefix}-net`;
  const routers = Object.fromEntries(homes.map((home) => [home, `${prefix}-r${home}`])) as Record<H, string>;
  const hosts = Object.fromEntries(homes.map((home) => [home, `${prefix}-${home}`])) as Record<H, string>;
  return { prefix, internet, routers, hosts, all: [internet, ...homes.map((home) => routers[home]), ...homes.map((home) => hosts[home])] };
}

/** What buildSteps needs of one home: its name, addresses and NAT kind. */
export interface HomeSpec<H extends string = HomeName> {
  readonly name: H;
  readonly plan: HomePlan;
  readonly nat: NatKind;
}

/** One step: `ip <args>` when `ns` is null, else the command run inside namespace `ns`. */
export interface Step {
  readonly ns: string | null;
  readonly cmd: string;
  readonly args: readonly string[];
}

const ip = (...args: string[]): Step => ({ ns: null, cmd: 'ip', args });
const inNs = (ns: string, cmd: string, ...args: string[]): Step => ({ ns, cmd, args });
const sysctl = (ns: string, key: string, value: string): Step => inNs(ns, 'sysctl', '-q', '-w', `${key}=${value}`);
const iptables = (ns: string, ...args: string[]): Step => inNs(ns, 'iptables', '-w', String(iptablesLockWaitS), ...args);

/** Every namespace: loopback up, no IPv6 (keeps ICE candidates to the planned IPv4 addresses). */
function baseSteps(ns: string): Step[] {
  return [
    ip('-n', ns, 'link', 'set', 'lo', 'up'),
    sysctl(ns, 'net.ipv6.conf.all.disable_ipv6', '1'),
    sysctl(ns, 'net.ipv6.conf.default.disable_ipv6', '1'),
  ];
}

/**
 * The commands that build a lab, in order. veth pairs are created inside the lab's namespaces
 * (`ip -n NS link add … peer … netns OTHER`), so nothing ever appears in the caller's namespace.
 */
export function buildSteps<H extends string>(names: LabNames<H>, homes: readonly HomeSpec<H>[]): Step[] {
  const net = names.internet;
  const steps: Step[] = names.all.flatMap(baseSteps);
  steps.push(
    // The internet does not forward: a packet to a private range that reaches it dies there.
    sysctl(net, 'net.ipv4.ip_forward', '0'),
    ip('-n', net, 'link', 'add', ifaces.bridge, 'type', 'bridge'),
    ip('-n', net, 'addr', 'add', `${internetPlan.serverIp}/${internetPlan.prefixLength}`, 'dev', ifaces.bridge),
    ip('-n', net, 'link', 'set', ifaces.bridge, 'up'),
  );
  // The real internet silently drops packets to private homes' addresses. Without a route a send
  // there fails at once (ENETUNREACH; a blackhole route gives EINVAL), and coturn answers that by
  // closing the whole allocation, so one relayed ICE check to a peer's host candidate would kill the
  // TURN session. So those ranges go to an upstream that never answers: a gateway address with a
  // fixed, unused MAC. The send succeeds and the frame dies on the bridge, as on the internet.
  steps.push(ip('-n', net, 'neigh', 'add', internetPlan.sinkIp, 'lladdr', internetPlan.sinkMac, 'dev', ifaces.bridge, 'nud', 'permanent'));
  for (const range of lanRanges) steps.push(ip('-n', net, 'route', 'add', `${range}.0/24`, 'via', internetPlan.sinkIp));
  for (const { name: home, plan, nat } of homes) {
    const router = names.routers[home];
    const host = names.hosts[home];
    const port = wanPortName(home);
    const lanPrefix = plan.lanCidr.split('/')[1] ?? '24';
    steps.push(
      ip('-n', router, 'link', 'add', ifaces.wan, 'type', 'veth', 'peer', 'name', port, 'netns', net),
      ip('-n', net, 'link', 'set', port, 'master', ifaces.bridge),
      ip('-n', net, 'link', 'set', port, 'up'),
      ip('-n', router, 'addr', 'add', `${plan.routerWanIp}/${internetPlan.prefixLength}`, 'dev', ifaces.wan),
      ip('-n', router, 'link', 'set', ifaces.wan, 'up'),
      ip('-n', router, 'link', 'add', ifaces.lan, 'type', 'veth', 'peer', 'name', ifaces.host, 'netns', host),
      ip('-n', router, 'addr', 'add', `${plan.routerLanIp}/${lanPrefix}`, 'dev', ifaces.lan),
      ip('-n', router, 'link', 'set', ifaces.lan, 'up'),
      ip('-n', host, 'addr', 'add', `${plan.hostIp}/${lanPrefix}`, 'dev', ifaces.host),
      ip('-n', host, 'link', 'set', ifaces.host, 'up'),
      ip('-n', host, 'route', 'add', 'default', 'via', plan.routerLanIp),
      // The router has no default route: the internet is 198.51.100.0/24 only, so the other home's
      // private range is unreachable (and anything else fails fast instead of hanging).
      sysctl(router, 'net.ipv4.ip_forward', '1'),
      iptables(router, '-t', 'nat', '-A', 'POSTROUTING', '-o', ifaces.wan, '-j', 'MASQUERADE', ...(nat === 'symmetric' ? ['--random-fully'] : [])),
      // A home router's firewall: out freely, in only for flows the home started.
      iptables(router, '-P', 'FORWARD', 'DROP'),
      iptables(router, '-A', 'FORWARD', '-i', ifaces.lan, '-o', ifaces.wan, '-j', 'ACCEPT'),
      iptables(router, '-A', 'FORWARD', '-i', ifaces.wan, '-o', ifaces.lan, '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'),
      // Unsolicited packets to the router itself are dropped before conntrack confirms them, so a
      // peer's early hole-punching packet cannot claim the port the home's own mapping will need.
      iptables(router, '-A', 'INPUT', '-i', ifaces.wan, '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'),
      iptables(router, '-A', 'INPUT', '-i', ifaces.wan, '-j', 'DROP'),
    );
  }
  return steps;
}
