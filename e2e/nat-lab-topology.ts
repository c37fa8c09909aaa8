// The NAT lab's wiring as plain data: which namespaces exist, their addresses, and the `ip`, `sysctl`
// and `iptables` commands that build them. Only documentation ranges (RFC 5737) are used.

/** How a home router maps its hosts' ports: kept (cone-like) or random per destination (symmetric). */
export type NatKind = 'endpoint-independent' | 'symmetric';

/** The two homes of the lab. */
export type HomeName = 'a' | 'b';

export const homeNames: readonly HomeName[] = ['a', 'b'];

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
  /** The internet's "upstream" for private ranges: no host has this address, so what goes there is lost. */
  sinkIp: '198.51.100.254',
  /** A locally administered MAC no interface uses: frames to it are flooded and dropped. */
  sinkMac: '02:00:5e:00:00:fe',
} as const;

/** Home A on TEST-NET-1, home B on TEST-NET-3; each router's WAN address is on the internet. */
export const homePlans: Readonly<Record<HomeName, HomePlan>> = {
  a: { lanCidr: '192.0.2.0/24', hostIp: '192.0.2.10', routerLanIp: '192.0.2.1', routerWanIp: '198.51.100.2' },
  b: { lanCidr: '203.0.113.0/24', hostIp: '203.0.113.10', routerLanIp: '203.0.113.1', routerWanIp: '198.51.100.3' },
};

/** Interface names inside the lab's own namespaces (private to them, so fixed and short). */
export const ifaces = { bridge: 'br0', wan: 'wan', lan: 'lan', host: 'eth0' } as const;

/** Seconds iptables waits for the xtables lock, which other labs or tests may hold briefly. */
const iptablesLockWaitS = 5;

/** Namespace names of one lab, all starting with `sd-<pid>-<seq>`. */
export interface LabNames {
  readonly prefix: string;
  readonly internet: string;
  readonly routers: Readonly<Record<HomeName, string>>;
  readonly hosts: Readonly<Record<HomeName, string>>;
  readonly all: readonly string[];
}

/** Stale-run detection reads the pid back out of this shape. */
export const staleNamePattern = /^sd-(\d+)-/;

export function labNames(pid: number, seq: number): LabNames {
  const prefix = `sd-${pid}-${seq}`;
  const internet = `${prefix}-net`;
  const routers = { a: `${prefix}-ra`, b: `${prefix}-rb` };
  const hosts = { a: `${prefix}-a`, b: `${prefix}-b` };
  return { prefix, internet, routers, hosts, all: [internet, routers.a, routers.b, hosts.a, hosts.b] };
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
export function buildSteps(names: LabNames, nat: Readonly<Record<HomeName, NatKind>>): Step[] {
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
  for (const home of homeNames) steps.push(ip('-n', net, 'route', 'add', homePlans[home].lanCidr, 'via', internetPlan.sinkIp));
  for (const home of homeNames) {
    const plan = homePlans[home];
    const router = names.routers[home];
    const host = names.hosts[home];
    const port = `w${home}`; // the router's WAN cable, as seen on the internet bridge
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
      iptables(router, '-t', 'nat', '-A', 'POSTROUTING', '-o', ifaces.wan, '-j', 'MASQUERADE', ...(nat[home] === 'symmetric' ? ['--random-fully'] : [])),
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
