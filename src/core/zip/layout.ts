// The byte layout of a STORE (uncompressed) ZIP archive, per PKWARE's APPNOTE 6.3: local file headers,
// central directory headers and the end records, with ZIP64 where a size, an offset or the entry count
// does not fit the classic fields. Pure: it sees sizes and CRCs, never the file data, so an archive of
// any size is laid out (and tested) without its bytes.

/** Field value meaning "the real value is in the ZIP64 record" (and the largest a classic 32-bit field holds). */
export const zip64Marker32 = 0xffff_ffff;
/** Same, for 16-bit entry counts. */
export const zip64Marker16 = 0xffff;

/** Signatures (little-endian on disk). */
const localHeaderSignature = 0x04034b50;
const centralHeaderSignature = 0x02014b50;
const endSignature = 0x06054b50;
const zip64EndSignature = 0x06064b50;
const zip64LocatorSignature = 0x07064b50;
/** Header ID of the ZIP64 extended information extra field. */
const zip64ExtraId = 0x0001;

/** "Version needed to extract": 2.0 for plain STORE entries, 4.5 where ZIP64 is used. */
const versionPlain = 20;
const versionZip64 = 45;
/** "Version made by": high byte 3 = Unix (so the external attributes below are mode bits), low byte 6.3 = the APPNOTE that defines the UTF-8 flag. */
const versionMadeBy = (3 << 8) | 63;
/** General purpose flag bit 11: the name is UTF-8. Every name we write is. */
const utf8Flag = 1 << 11;
/** Compression method 0: stored. */
const methodStore = 0;
/** External attributes: a regular file, rw-r--r--, in the high 16 bits (Unix convention). */
const regularFileAttributes = (0o100644 << 16) >>> 0;

/** Fixed part of each record, in bytes. */
export const localHeaderBytes = 30;
export const centralHeaderBytes = 46;
export const endBytes = 22;
export const zip64EndBytes = 56;
export const zip64LocatorBytes = 20;

/** One entry as the layout needs it: the name already UTF-8 encoded, its size and CRC-32. */
export interface ZipEntryInfo {
  readonly name: Uint8Array;
  readonly size: number;
  readonly crc: number;
}

/** MS-DOS date and time words, as ZIP stores modification times (local time, 2-second steps, 1980–2107). */
export interface DosStamp {
  readonly time: number;
  readonly date: number;
}

/** The DOS stamp of a date, clamped to the years DOS can express. */
export function dosStamp(when: Date): DosStamp {
  const year = Math.min(Math.max(when.getFullYear(), 1980), 2107);
  if (year !== when.getFullYear()) return { time: 0, date: ((year - 1980) << 9) | (1 << 5) | 1 };
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}

/** Writes a non-negative integer below 2^53 as an unsigned 64-bit little-endian value. */
function setUint64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 2 ** 32, true);
  view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

const fits32 = (value: number): boolean => value < zip64Marker32;

/** Whether an entry's sizes need ZIP64 (then its local header carries both sizes in a ZIP64 extra field). */
export function needsZip64Sizes(size: number): boolean {
  return !fits32(size);
}

/** The local file header (with its name and any ZIP64 extra) that precedes an entry's data. */
export function localFileHeader(entry: ZipEntryInfo, stamp: DosStamp): Uint8Array {
  const zip64 = needsZip64Sizes(entry.size);
  const extraBytes = zip64 ? 4 + 16 : 0;
  const bytes = new Uint8Array(localHeaderBytes + entry.name.length + extraBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, localHeaderSignature, true);
  view.setUint16(4, zip64 ? versionZip64 : versionPlain, true);
  view.setUint16(6, utf8Flag, true);
  view.setUint16(8, methodStore, true);
  view.setUint16(10, stamp.time, true);
  view.setUint16(12, stamp.date, true);
  view.setUint32(14, entry.crc, true);
  view.setUint32(18, zip64 ? zip64Marker32 : entry.size, true); // compressed size
  view.setUint32(22, zip64 ? zip64Marker32 : entry.size, true); // uncompressed size
  view.setUint16(26, entry.name.length, true);
  view.setUint16(28, extraBytes, true);
  bytes.set(entry.name, localHeaderBytes);
  if (zip64) {
    const at = localHeaderBytes + entry.name.length;
    view.setUint16(at, zip64ExtraId, true);
    view.setUint16(at + 2, 16, true);
    setUint64(view, at + 4, entry.size); // uncompressed
    setUint64(view, at + 12, entry.size); // compressed
  }
  return bytes;
}

/** The central directory header of an entry whose local header starts at `offset`. */
export function centralDirectoryHeader(entry: ZipEntryInfo, offset: number, stamp: DosStamp): Uint8Array {
  // The ZIP64 extra holds, in this order, only the fields whose classic slot says "see ZIP64".
  const big: number[] = [];
  if (!fits32(entry.size)) big.push(entry.size, entry.size); // uncompressed, then compressed
  if (!fits32(offset)) big.push(offset);
  const extraBytes = big.length > 0 ? 4 + 8 * big.length : 0;
  const bytes = new Uint8Array(centralHeaderBytes + entry.name.length + extraBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, centralHeaderSignature, true);
  view.setUint16(4, versionMadeBy, true);
  view.setUint16(6, big.length > 0 ? versionZip64 : versionPlain, true);
  view.setUint16(8, utf8Flag, true);
  view.setUint16(10, methodStore, true);
  view.setUint16(12, stamp.time, true);
  view.setUint16(14, stamp.date, true);
  view.setUint32(16, entry.crc, true);
  view.setUint32(20, Math.min(entry.size, zip64Marker32), true);
  view.setUint32(24, Math.min(entry.size, zip64Marker32), true);
  view.setUint16(28, entry.name.length, true);
  view.setUint16(30, extraBytes, true);
  // 32: comment length, 34: disk number start, 36: internal attributes — all 0.
  view.setUint32(38, regularFileAttributes, true);
  view.setUint32(42, Math.min(offset, zip64Marker32), true);
  bytes.set(entry.name, centralHeaderBytes);
  if (big.length > 0) {
    const at = centralHeaderBytes + entry.name.length;
    view.setUint16(at, zip64ExtraId, true);
    view.setUint16(at + 2, 8 * big.length, true);
    big.forEach((value, i) => setUint64(view, at + 4 + 8 * i, value));
  }
  return bytes;
}

/** Where the central directory is and how many entries it lists. */
export interface CentralDirectory {
  readonly entryCount: number;
  readonly offset: number;
  readonly size: number;
}

/** Whether the archive needs the ZIP64 end records (too many entries, or a directory past 4 GiB). */
export function needsZip64End(directory: CentralDirectory): boolean {
  return directory.entryCount >= zip64Marker16 || !fits32(directory.offset) || !fits32(directory.size);
}

/** The records after the central directory: ZIP64 end record and locator when needed, then the classic end record. */
export function endRecords(directory: CentralDirectory): Uint8Array {
  const zip64 = needsZip64End(directory);
  const bytes = new Uint8Array((zip64 ? zip64EndBytes + zip64LocatorBytes : 0) + endBytes);
  const view = new DataView(bytes.buffer);
  let at = 0;
  if (zip64) {
    view.setUint32(0, zip64EndSignature, true);
    setUint64(view, 4, zip64EndBytes - 12); // size of the rest of this record
    view.setUint16(12, versionMadeBy, true);
    view.setUint16(14, versionZip64, true);
    // 16: this disk, 20: disk of the central directory — both 0.
    setUint64(view, 24, directory.entryCount); // entries on this disk
    setUint64(view, 32, directory.entryCount); // entries in total
    setUint64(view, 40, directory.size);
    setUint64(view, 48, directory.offset);
    view.setUint32(56, zip64LocatorSignature, true);
    // 60: disk of the ZIP64 end record, 0.
    setUint64(view, 64, directory.offset + directory.size); // where the ZIP64 end record starts
    view.setUint32(72, 1, true); // total number of disks
    at = zip64EndBytes + zip64LocatorBytes;
  }
  view.setUint32(at, endSignature, true);
  // at+4: this disk, at+6: disk of the central directory — both 0.
  view.setUint16(at + 8, Math.min(directory.entryCount, zip64Marker16), true);
  view.setUint16(at + 10, Math.min(directory.entryCount, zip64Marker16), true);
  view.setUint32(at + 12, Math.min(directory.size, zip64Marker32), true);
  view.setUint32(at + 16, Math.min(directory.offset, zip64Marker32), true);
  // at+20: comment length, 0.
  return bytes;
}
