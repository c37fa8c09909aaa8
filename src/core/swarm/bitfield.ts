// Which chunks of an item a peer holds: one bit per chunk, most significant bit first.

/** A mutable set of chunk indexes in [0, size). */
export interface Bitfield {
  readonly size: number;
  has(index: number): boolean;
  set(index: number): void;
  /** Removes an index (a chunk found missing or damaged in storage). */
  clear(index: number): void;
  /** Chunks held. */
  count(): number;
  /** The wire form (a copy). */
  toBytes(): Uint8Array;
}

/** Bytes needed for `size` bits. */
export function bitfieldBytes(size: number): number {
  return Math.ceil(size / 8);
}

/** An empty bitfield, or one built from wire bytes (null if the length or the spare bits are wrong). */
export function createBitfield(size: number, from?: Uint8Array): Bitfield {
  const bits = new Uint8Array(bitfieldBytes(size));
  if (from) bits.set(from);
  let held = 0;
  for (let i = 0; i < size; i++) if (((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) held++;
  return {
    size,
    has: (index) => index >= 0 && index < size && (((bits[index >> 3] ?? 0) >> (7 - (index & 7))) & 1) === 1,
    set(index) {
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`bit ${index} outside ${size}`);
      const mask = 1 << (7 - (index & 7));
      const byte = bits[index >> 3] ?? 0;
      if ((byte & mask) === 0) {
        bits[index >> 3] = byte | mask;
        held++;
      }
    },
    clear(index) {
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`bit ${index} outside ${size}`);
      const mask = 1 << (7 - (index & 7));
      const byte = bits[index >> 3] ?? 0;
      if ((byte & mask) !== 0) {
        bits[index >> 3] = byte & ~mask;
        held--;
      }
    },
    count: () => held,
    toBytes: () => bits.slice(),
  };
}

/** Parses a received bitfield for an item of `size` chunks; null if malformed. */
export function parseBitfield(size: number, bytes: Uint8Array): Bitfield | null {
  if (bytes.length !== bitfieldBytes(size)) return null;
  const spare = bytes.length * 8 - size;
  if (spare > 0 && ((bytes[bytes.length - 1] ?? 0) & ((1 << spare) - 1)) !== 0) return null;
  return createBitfield(size, bytes);
}

/** A bitfield with every chunk set (the sharer's own items). */
export function fullBitfield(size: number): Bitfield {
  const field = createBitfield(size);
  for (let i = 0; i < size; i++) field.set(i);
  return field;
}
