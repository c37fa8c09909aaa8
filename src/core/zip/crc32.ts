// CRC-32 (ISO-HDLC, the one ZIP uses: reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF),
// computed incrementally so a large file is checksummed one chunk at a time.

/** Reflected CRC-32 polynomial of ZIP, gzip and PNG. */
const polynomial = 0xedb88320;

/** Slicing-by-8 tables (8 × 256 entries): about 3x faster than one byte per lookup, for 8 KiB of memory. */
const tables: readonly Uint32Array[] = (() => {
  const result = Array.from({ length: 8 }, () => new Uint32Array(256));
  const first = result[0] as Uint32Array;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    first[n] = c >>> 0;
  }
  for (let t = 1; t < 8; t++) {
    const previous = result[t - 1] as Uint32Array;
    const table = result[t] as Uint32Array;
    for (let n = 0; n < 256; n++) table[n] = (first[(previous[n] as number) & 0xff] as number) ^ ((previous[n] as number) >>> 8);
  }
  return result;
})();

/**
 * CRC-32 of `bytes`, continuing from `previous` (the CRC of everything before them; 0 to start):
 * crc32(b, crc32(a)) === crc32(a ++ b).
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = ~previous >>> 0;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  for (; i < end8; i += 8) {
    const lo = (crc ^ ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24))) >>> 0;
    crc =
      (t7[lo & 0xff] as number) ^
      (t6[(lo >>> 8) & 0xff] as number) ^
      (t5[(lo >>> 16) & 0xff] as number) ^
      (t4[lo >>> 24] as number) ^
      (t3[bytes[i + 4] as number] as number) ^
      (t2[bytes[i + 5] as number] as number) ^
      (t1[bytes[i + 6] as number] as number) ^
      (t0[bytes[i + 7] as number] as number);
  }
  for (; i < bytes.length; i++) crc = (t0[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}
