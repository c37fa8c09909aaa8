// The session over fakes of its ports and a real engine on the in-memory store.
import { afterEach, describe, expect, it } from 'vitest';
import { createManifest, readSpansByRange, type SignedManifest } from '../core/manifest';
import { createMemoryBrowserPieces } from '../test-support/memory-pieces';
import { readZipDirectory } from '../test-support/zip-reader';
import { crc32 } from '../core/zip/crc32';
import type { RelayStatus } from '../core/ports';
import { destroyAll, statusOf, testPeer } from '../test-support/swarm-fixtures';
import { createErrorReports } from './error-reports';
import { createSession, type SessionDeps } from './session';

afterEach(destroyAll);

/** A loose dropped file (Node's File has no webkitRelativePath; browsers give '' for loose files). */
const dropped = (bytes: BlobPart, name: string): File => Object.defineProperty(new File([bytes], name), 'webkitRelativePath', { value: '' });

async function describeBytes(file: File): Promise<SignedManifest> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const files = [{ path: file.name, size: bytes.length, type: file.type || 'application/octet-stream' }];
  return createManifest(file.name, files, readSpansByRange(async (_i, offset, length) => bytes.slice(offset, offset + length)), 1000);
}

function setup(overrides: Partial<SessionDeps> = {}) {
  const { swarm } = testPeer();
  const { memory, pieces } = createMemoryBrowserPieces();
  const deleted: number[] = [];
  const blobs: Blob[] = [];
  const errors = createErrorReports();
  const joined: string[] = [];
  const downloads: { name: string; size: number }[] = [];
  const local: string[] = [];
  const statuses: RelayStatus[] = [];
  const session = createSession({
    swarm,
    errors,
    myPeerId: 'me',
    describeFile: describeBytes,
    describeFolder: () => Promise.reject(new Error('no folders here')),
    addLocalItem: (signed, files) => {
      local.push(signed.manifest.name);
      pieces.addLocalItem(signed, files);
    },
    chunkBlobs: (itemId, first, end) => pieces.chunkBlobs(itemId, first, end),
    deleteChunks: async (itemId, indexes) => {
      deleted.push(...indexes);
      await pieces.deleteChunks(itemId, indexes);
    },
    offerDownload: (blob, name) => {
      downloads.push({ name, size: blob.size });
      blobs.push(blob);
    },
    baseUrl: 'https://drop.example/',
    setFragment: () => undefined,
    saveAutoDownload: () => undefined,
    saveUploadLimit: () => undefined,
    joinRoom: async (secret, onStatus) => {
      joined.push(secret);
      onStatus('open');
      statuses.push('open');
      return () => undefined;
    },
    ...overrides,
  });
  return { session, swarm, joined, downloads, local, statuses, memory, pieces, deleted, blobs };
}

/** A folder item's files as the folder picker gives them. */
const inFolder = (bytes: BlobPart, path: string): File =>
  Object.defineProperty(new File([bytes], path.split('/').pop() ?? path), 'webkitRelativePath', { value: path });

async function describeFolderBytes(name: string, files: readonly { path: string; file: File }[]): Promise<SignedManifest> {
  const contents = await Promise.all(files.map(async (f) => new Uint8Array(await f.file.arrayBuffer())));
  const list = files.map((f, i) => ({ path: f.path, size: contents[i]?.length ?? 0, type: 'application/octet-stream' }));
  const all = new Uint8Array(contents.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of contents) all.set(c, (at += c.length) - c.length);
  const starts = contents.map((_, i) => contents.slice(0, i).reduce((n, c) => n + c.length, 0));
  const read = async (file: number, offset: number, length: number) => all.slice((starts[file] ?? 0) + offset, (starts[file] ?? 0) + offset + length);
  return createManifest(name, list, readSpansByRange(read), 1000);
}

describe('session', () => {
  it('shows a folder save’s progress while the archive is prepared, and a cancelled save downloads nothing and says nothing', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = setup({ describeFolder: describeFolderBytes });
    const { session, downloads } = held;
    // The first read of chunks waits for the test: the save is under way meanwhile.
    let gated = true;
    const chunkBlobs = held.pieces.chunkBlobs.bind(held.pieces);
    held.pieces.chunkBlobs = async (itemId, first, end) => {
      if (gated) await gate;
      gated = false;
      return chunkBlobs(itemId, first, end);
    };
    await session.shareFiles([inFolder(new Uint8Array(1500).fill(1), 'pics/a.jpg'), inFolder(new Uint8Array(700).fill(2), 'pics/b.jpg')]);
    const itemId = session.swarmView.getSnapshot().items[0]?.itemId ?? '';
    const saving = session.save(itemId);
    expect(session.getSnapshot().saves).toEqual([{ id: 1, fileName: 'pics.zip', doneBytes: 0, totalBytes: 2200 }]);
    session.cancelSave(1);
    release();
    await saving;
    expect(downloads).toEqual([]);
    expect(session.getSnapshot().saves).toEqual([]);
    expect(session.getSnapshot().errors).toEqual([]);

    await session.save(itemId);
    expect(downloads).toEqual([{ name: 'pics.zip', size: expect.any(Number) }]);
    const archive = new Uint8Array(await (held.blobs[0] ?? new Blob()).arrayBuffer());
    const { entries } = await readZipDirectory((at, length) => archive.subarray(at, at + length), archive.length);
    expect(entries.map((e) => [e.path, e.size, e.crc])).toEqual([
      ['pics/a.jpg', 1500, crc32(new Uint8Array(1500).fill(1))],
      ['pics/b.jpg', 700, crc32(new Uint8Array(700).fill(2))],
    ]);
    expect(session.getSnapshot().saves).toEqual([]);

    // One file out of the folder saves under its own name.
    await session.saveFile(itemId, 1);
    expect(downloads.at(-1)).toEqual({ name: 'b.jpg', size: 700 });
    await session.saveFile(itemId, 9);
    expect(session.getSnapshot().errors.map((e) => e.report)).toEqual([{ code: 'item-unknown' }]);
  });

  it('a save that finds stored chunks missing or damaged says so, and the item downloads them again', async () => {
    const { session, swarm, memory, deleted, downloads } = setup();
    const file = dropped(new Uint8Array(3000).fill(7), 'c.bin');
    const signed = await describeBytes(file); // three chunks of 1000 bytes
    await memory.putChunk(signed.itemId, 0, new Uint8Array(1000).fill(7));
    await memory.putChunk(signed.itemId, 1, new Uint8Array(1000).fill(8)); // damaged: the wrong bytes
    // Chunk 2 is not stored at all, yet the engine was told all three are.
    swarm.restoreItem(signed, [0, 1, 2]);
    expect(statusOf(swarm, signed.itemId)).toBe('complete');
    await session.save(signed.itemId);
    expect(downloads).toEqual([]);
    expect(session.getSnapshot().errors.map((e) => e.report)).toEqual([
      { code: 'save-chunks-faulty', name: 'c.bin', missing: 1, damaged: 1, path: 'c.bin' },
    ]);
    expect(deleted).toEqual([1]);
    expect(await memory.heldChunksOf(signed.itemId)).toEqual([0]);
    expect(statusOf(swarm, signed.itemId)).toBe('downloading');
    expect(swarm.getSnapshot().items[0]?.verifiedBytes).toBe(1000);
  });

  it('sharing into no room makes one: the link, the item served from here, and the swarm knows it', async () => {
    const { session, joined, local } = setup();
    await session.shareFiles([dropped(new Uint8Array(2500), 'a.bin')]);
    expect(joined).toHaveLength(1);
    expect(session.getSnapshot().roomLink).toBe(`https://drop.example/#${joined[0]}`);
    expect(session.getSnapshot().relayStatus).toBe('open');
    expect(local).toEqual(['a.bin']);
    expect(session.swarmView.getSnapshot().items.map((i) => [i.name, i.status])).toEqual([['a.bin', 'complete']]);
    expect(session.getSnapshot().preparing).toEqual([]);
  });

  it('saves a finished loose file as itself, and says so when an item is unknown', async () => {
    const { session, downloads } = setup();
    await session.shareFiles([dropped(new Uint8Array(1200), 'b.bin')]);
    const itemId = session.swarmView.getSnapshot().items[0]?.itemId ?? '';
    await session.save(itemId);
    expect(downloads).toEqual([{ name: 'b.bin', size: 1200 }]);
    await session.save('f'.repeat(64));
    expect(session.getSnapshot().errors.map((e) => e.report)).toEqual([{ code: 'item-unknown' }]);
  });

  it('reports a share that fails with the item’s name, and dismisses errors', async () => {
    const { session } = setup({ describeFile: () => Promise.reject(new Error('unreadable')) });
    await session.shareFiles([dropped('x', 'c.txt')]);
    const [error] = session.getSnapshot().errors;
    expect(error?.report).toEqual({ code: 'share-failed', name: 'c.txt', detail: 'unreadable' });
    session.dismissError(error?.id ?? -1);
    expect(session.getSnapshot().errors).toEqual([]);
  });
});
