// The fluid bound of Kumar & Ross (2006), "Peer-assisted file distribution: the minimum distribution
// time": no scheme, however clever, gets one file from a sharer to N peers faster than
//   T* = max(F / u_s, F / d_min, N·F / (u_s + Σ u_i)),
// against N·F / u_s for the sharer sending every copy itself (client–server). Benchmarks divide what
// they measure by T*; the shaped lab and the simulator use it.

/** One access link, in Mbit/s (10^6 bits per second) each way. */
export interface LinkRates {
  readonly upMbit: number;
  readonly downMbit: number;
}

/** Which term of the bound is the largest: what limits the room. */
export type BoundLimit = 'sharer-upload' | 'slowest-download' | 'total-upload';

/** The bound for one room, in seconds. */
export interface FluidBound {
  /** T*: the least time in which every peer can hold the file. */
  readonly boundSeconds: number;
  readonly limitedBy: BoundLimit;
  /** N·F / u_s: the sharer uploading every copy. */
  readonly clientServerSeconds: number;
}

const bitsPerByte = 8;
const bitsPerMbit = 1e6;

/** T* and the client–server time for a file of `fileBytes` from a sharer uploading `sharerUpMbit` to `peers`. */
export function fluidBound(fileBytes: number, sharerUpMbit: number, peers: readonly LinkRates[]): FluidBound {
  if (!(fileBytes >= 0) || !(sharerUpMbit > 0)) throw new RangeError('the file size must be ≥ 0 and the sharer upload > 0');
  if (peers.length === 0) return { boundSeconds: 0, limitedBy: 'sharer-upload', clientServerSeconds: 0 };
  if (peers.some((p) => !(p.downMbit > 0) || !(p.upMbit >= 0))) throw new RangeError('every peer needs a download > 0 and an upload ≥ 0');
  const fileMbit = (fileBytes * bitsPerByte) / bitsPerMbit;
  const slowestDownMbit = Math.min(...peers.map((p) => p.downMbit));
  const totalUpMbit = sharerUpMbit + peers.reduce((sum, p) => sum + p.upMbit, 0);
  const terms: [BoundLimit, number][] = [
    ['sharer-upload', fileMbit / sharerUpMbit],
    ['slowest-download', fileMbit / slowestDownMbit],
    ['total-upload', (peers.length * fileMbit) / totalUpMbit],
  ];
  const [limitedBy, boundSeconds] = terms.reduce((max, term) => (term[1] > max[1] ? term : max));
  return { boundSeconds, limitedBy, clientServerSeconds: (peers.length * fileMbit) / sharerUpMbit };
}
