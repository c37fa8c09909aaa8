// An independent, strict reader of STORE ZIP archives for tests (unit and e2e): it walks the end
// records (ZIP64 included), the central directory, and checks every local header against it.
// Written from APPNOTE 6.3 without sharing code with src/core/zip, so a shared mistake cannot hide.

/** Reads `length` bytes at `offset` of the archive. */
export type ReadRange = (offset: number, length: number) => Promise<Uint8Array> | Uint8Array;

/** One entry as the central directory (and its local header) describe it. */
export interface ZipReaderEntry {
  readonly path: string;
  readonly size: number;
  readonly crc: number;
  readonly flags: number;
  readonly method: number;
  readonly versionNeeded: number;
  readonly localHeaderOffset: number;
  /** Where the entry's bytes start in the archive. */
  readonly dataOffset: number;
  /** Whether a ZIP64 extra field held any of its values. */
  readonly zip64: boolean;
}

/** The archive's directory. */
export interface ZipReaderDirectory {
  readonly entries: readonly ZipReaderEntry[];
  /** Whether ZIP64 end records were present. */
  readonly zip64End: boolean;
}

const u16 = (b: Uint8Array, at: number): number => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) + u16(b, at + 2) * 0x1_0000) >>> 0;
const u64 = (b: Uint8Array, at: number): number => {
  const value = u32(b, at) + u32(b, at + 4) * 2 ** 32;
  if (!Number.isSafeInteger(value)) throw new Error('64-bit value past 2^53');
  return value;
};

function fail(message: string): never {
  throw new Error(`bad zip: ${message}`);
}

/** Finds the ZIP64 extended information extra field (id 1) and returns its values in order. */
function zip64Values(extra: Uint8Array): number[] | null {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = u16(extra, at);
    const length = u16(extra, at + 2);
    if (id === 1) {
      const values: number[] = [];
      for (let i = 0; i + 8 <= length; i += 8) values.push(u64(extra, at + 4 + i));
      return values;
    }
    at += 4 + length;
  }
  return null;
}

/** Parses the directory of an archive of `totalBytes` bytes (with no archive comment, as ours have none). */
export async function readZipDirectory(read: ReadRange, totalBytes: number): Promise<ZipReaderDirectory> {
  const end = await read(totalBytes - 22, 22);
  if (u32(end, 0) !== 0x06054b50) fail('no end of central directory record at the end');
  if (u16(end, 20) !== 0) fail('archive comment');
  let count = u16(end, 10);
  let directorySize = u32(end, 12);
  let directoryOffset = u32(end, 16);
  let zip64End = false;
  if (totalBytes >= 22 + 20) {
    const locator = await read(totalBytes - 22 - 20, 20);
    if (u32(locator, 0) === 0x07064b50) {
      zip64End = true;
      const recordOffset = u64(locator, 8);
      const record = await read(recordOffset, 56);
      if (u32(record, 0) !== 0x06064b50) fail('ZIP64 locator points at no ZIP64 end record');
      if (u64(record, 4) !== 44) fail('ZIP64 end record size');
      if (u64(record, 24) !== u64(record, 32)) fail('multi-disk ZIP64');
      count = u64(record, 32);
      directorySize = u64(record, 40);
      directoryOffset = u64(record, 48);
      if (recordOffset !== directoryOffset + directorySize) fail('ZIP64 end record is not right after the directory');
    }
  }
  if (!zip64End && (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)) {
    fail('ZIP64 marker without ZIP64 end records');
  }
  const directory = await read(directoryOffset, directorySize);
  const entries: ZipReaderEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (u32(directory, at) !== 0x02014b50) fail(`central header ${i} signature`);
    const nameLength = u16(directory, at + 28);
    const extraLength = u16(directory, at + 30);
    const commentLength = u16(directory, at + 32);
    const name = directory.subarray(at + 46, at + 46 + nameLength);
    const values = zip64Values(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)) ?? [];
    let next = 0;
    const take = (classic: number): number => {
      if (classic !== 0xffffffff) return classic;
      const value = values[next++];
      return value ?? fail(`entry ${i}: 0xFFFFFFFF without a ZIP64 value`);
    };
    const size = take(u32(directory, at + 24));
    const compressed = take(u32(directory, at + 20));
    const localHeaderOffset = take(u32(directory, at + 42));
    if (size !== compressed) fail(`entry ${i}: compressed size differs from size in a STORE archive`);
    const flags = u16(directory, at + 8);
    const path = new TextDecoder('utf-8', { fatal: true }).decode(name);
    const local = await read(localHeaderOffset, 30);
    if (u32(local, 0) !== 0x04034b50) fail(`entry ${path}: local header signature`);
    const localNameLength = u16(local, 26);
    const localExtraLength = u16(local, 28);
    const localRest = await read(localHeaderOffset + 30, localNameLength + localExtraLength);
    if (new TextDecoder().decode(localRest.subarray(0, localNameLength)) !== path) fail(`entry ${path}: local name differs`);
    if (u16(local, 6) !== flags || u16(local, 8) !== u16(directory, at + 10)) fail(`entry ${path}: local flags or method differ`);
    if (u32(local, 14) !== u32(directory, at + 16)) fail(`entry ${path}: local CRC differs`);
    const localValues = zip64Values(localRest.subarray(localNameLength));
    const localSize = u32(local, 22) === 0xffffffff ? localValues?.[0] : u32(local, 22);
    if (localSize !== size) fail(`entry ${path}: local size ${String(localSize)} differs from ${size}`);
    entries.push({
      path,
      size,
      crc: u32(directory, at + 16),
      flags,
      method: u16(directory, at + 10),
      versionNeeded: u16(directory, at + 6),
      localHeaderOffset,
      dataOffset: localHeaderOffset + 30 + localNameLength + localExtraLength,
      zip64: values.length > 0 || localValues !== null,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== directorySize) fail('central directory size does not match its entries');
  return { entries, zip64End };
}
