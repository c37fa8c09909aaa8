// The app's session: which room this tab is in, what it is preparing to share, and the errors to
// show. It drives the engine and the room connection it is given; main.tsx builds the real parts.
import { errorMessage } from '../core/errors';
import type { ErrorReport, ErrorReports } from './error-reports';
import type { Report } from '../core/reports';
import type { SignedManifest } from '../core/manifest';
import { planShares, type FolderFile } from '../core/share-plan';
import { chunkSpans } from '../core/chunk-layout';
import type { ReadStall } from '../core/content-check';
import { buildSave, ChunkFaultsError, saveBytes, saveFileName, type SaveTarget, type SaverDeps } from './item-saver';
import { createSecret } from '../core/room-keys';
import { createDerivedStore, type ExternalStore } from '../core/store';
import type { Swarm } from '../core/swarm/engine';
import type { SwarmSnapshot } from '../core/swarm/view-types';
import type { RelayStatus } from '../core/ports';

/** What the session shows besides the swarm snapshot. */
export interface SessionSnapshot {
  readonly roomLink: string | null;
  readonly relayStatus: RelayStatus | 'offline';
  /** Names of files being hashed before they can be shared. */
  readonly preparing: readonly string[];
  readonly errors: readonly ErrorReport[];
  /** Saves being prepared, with their progress (the check reads every stored byte once). */
  readonly saves: readonly SaveProgress[];
}

/** One save (a file, or a folder as a ZIP) being prepared. */
export interface SaveProgress {
  readonly id: number;
  readonly fileName: string;
  readonly doneBytes: number;
  readonly totalBytes: number;
}

/** The parts the session drives (real ones in main.tsx, fakes in tests). */
export interface SessionDeps {
  readonly swarm: Swarm;
  /** Hashes a dropped file into an item. */
  readonly describeFile: (file: File) => Promise<SignedManifest>;
  /** Hashes a dropped folder into one item named `name`, its files under paths relative to it. */
  readonly describeFolder: (name: string, files: readonly FolderFile<File>[]) => Promise<SignedManifest>;
  /** Lets the piece store serve the dropped file's bytes. */
  readonly addLocalItem: (signed: SignedManifest, files: readonly File[]) => void;
  /** Stored chunks as Blobs, for saving. */
  readonly chunkBlobs: SaverDeps['chunkBlobs'];
  /** Deletes stored chunks a save found unusable, before the item fetches them again. */
  readonly deleteChunks: (itemId: string, chunkIndexes: readonly number[]) => Promise<void>;
  /** Joins a room; reports the relay status; returns how to leave. */
  readonly joinRoom: (secret: string, onStatus: (status: RelayStatus, detail?: string) => void) => Promise<() => void>;
  /** Hands a finished Blob to the browser as a normal download. */
  readonly offerDownload: (blob: Blob, fileName: string) => void;
  /** The page's address without its fragment, e.g. http://localhost:8080/ */
  readonly baseUrl: string;
  /** Records the secret in the address bar, so a reload rejoins. */
  readonly setFragment: (secret: string) => void;
  /** Remembers the auto-download setting for next time. */
  readonly saveAutoDownload: (on: boolean) => void;
  /** Remembers the upload limit (bytes per second, null for none) for next time. */
  readonly saveUploadLimit: (bytesPerSecond: number | null) => void;
  /** This tab's peer id, as other peers see it. */
  readonly myPeerId: string;
  /** Where errors for the person go (shared with the other parts main.tsx builds). */
  readonly errors: ErrorReports;
}

/** What the UI calls. */
export interface Session extends ExternalStore<SessionSnapshot> {
  /** The swarm as the UI reads it (items, peers, settings); changes go through the methods below. */
  readonly swarmView: ExternalStore<SwarmSnapshot>;
  readonly myPeerId: string;
  /** Starts or resumes downloading an item. */
  download(itemId: string): void;
  /** Pauses an item's download. */
  pause(itemId: string): void;
  joinRoom(secret: string): Promise<void>;
  shareFiles(files: readonly File[]): Promise<void>;
  save(itemId: string): Promise<void>;
  /** Saves one file of an item (one file out of a folder) under its own name. */
  saveFile(itemId: string, fileIndex: number): Promise<void>;
  /** Stops preparing a save; nothing is downloaded and nothing is reported. */
  cancelSave(id: number): void;
  setAutoDownload(on: boolean): void;
  setUploadLimit(bytesPerSecond: number | null): void;
  reportError(report: Report): void;
  dismissError(id: number): void;
}

/** The list without the first occurrence of `entry` (two files may be preparing under one name). */
function withoutFirst(list: readonly string[], entry: string): string[] {
  const index = list.indexOf(entry);
  return index < 0 ? [...list] : [...list.slice(0, index), ...list.slice(index + 1)];
}

/** Creates the session. */
export function createSession(deps: SessionDeps): Session {
  let roomLink: string | null = null;
  let relayStatus: SessionSnapshot['relayStatus'] = 'offline';
  let preparing: string[] = [];
  let leave: (() => void) | null = null;
  /** Saves being prepared, by id, with how to cancel each. */
  const saves = new Map<number, { progress: SaveProgress; controller: AbortController }>();
  let nextSaveId = 1;
  const store = createDerivedStore<SessionSnapshot>(
    () => ({ roomLink, relayStatus, preparing, errors: deps.errors.getSnapshot(), saves: [...saves.values()].map((s) => s.progress) }),
    0,
  );
  deps.errors.subscribe(() => store.invalidate());

  /** The chunks a save could not use are deleted and fetched again; the person is told which and why. */
  const refetch = async (signed: SignedManifest, name: string, error: ChunkFaultsError): Promise<void> => {
    const indexes = [...error.faults.keys()].sort((a, b) => a - b);
    const damaged = indexes.filter((i) => error.faults.get(i) !== 'missing');
    const firstSpan = indexes[0] === undefined ? undefined : chunkSpans(signed.manifest.layout, indexes[0])[0];
    const path = signed.manifest.files[firstSpan?.fileIndex ?? 0]?.path ?? name;
    await deps.deleteChunks(signed.itemId, damaged).catch((failure: unknown) => console.warn(`swarmdrop: could not delete damaged chunks: ${errorMessage(failure)}`));
    deps.swarm.dropChunks(signed.itemId, indexes);
    session.reportError({ code: 'save-chunks-faulty', name, missing: indexes.length - damaged.length, damaged: damaged.length, path });
  };

  /** Checks the stored chunks a save needs, with progress and Cancel, then offers the file or ZIP. */
  const runSave = async (itemId: string, target: SaveTarget): Promise<void> => {
    const signed = deps.swarm.manifestOf(itemId);
    if (!signed || (target.kind === 'file' && !signed.manifest.files[target.fileIndex])) return session.reportError({ code: 'item-unknown' });
    const fileName = saveFileName(signed, target);
    const name = target.kind === 'file' ? (signed.manifest.files[target.fileIndex]?.path ?? fileName) : signed.manifest.name;
    const id = nextSaveId++;
    const controller = new AbortController();
    const progress = (doneBytes: number, totalBytes = saveBytes(signed, target)): void => {
      saves.set(id, { controller, progress: { id, fileName, doneBytes, totalBytes } });
      store.invalidate();
    };
    progress(0);
    try {
      const onStall = ({ source, chunkIndex, afterMs }: ReadStall): void =>
        console.warn(
          source === 'stream'
            ? `swarmdrop: saving "${fileName}": the stored chunks' byte stream gave nothing for ${afterMs / 1000} s at chunk ${chunkIndex}; reading them one by one instead`
            : `swarmdrop: saving "${fileName}": stored chunk ${chunkIndex} gave nothing for ${afterMs / 1000} s; it will be fetched again`,
        );
      deps.offerDownload(await buildSave(deps, signed, target, { signal: controller.signal, onProgress: progress, onStall }), fileName);
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ChunkFaultsError) await refetch(signed, name, error);
      else session.reportError({ code: 'save-failed', name, detail: errorMessage(error) });
    } finally {
      saves.delete(id);
      store.invalidate();
    }
  };

  const session: Session = {
    swarmView: { getSnapshot: deps.swarm.getSnapshot, subscribe: deps.swarm.subscribe },
    download: (itemId) => deps.swarm.download(itemId),
    pause: (itemId) => deps.swarm.pause(itemId),
    myPeerId: deps.myPeerId,
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    async joinRoom(secret) {
      if (leave) return;
      roomLink = `${deps.baseUrl}#${secret}`;
      deps.setFragment(secret);
      store.invalidate();
      leave = await deps.joinRoom(secret, (status, detail) => {
        relayStatus = status;
        if (status === 'closed' && detail) console.warn(`swarmdrop: ${detail}`);
        store.invalidate();
      });
    },
    async shareFiles(files) {
      if (!leave) await session.joinRoom(createSecret());
      // Each picked or dropped folder is one item; loose files are one item each.
      const { shares, skipped } = planShares(files);
      if (skipped.length > 0) session.reportError({ code: 'files-skipped', skipped });
      await Promise.all(
        shares.map(async (share) => {
          preparing = [...preparing, share.name];
          store.invalidate();
          try {
            const isFile = share.kind === 'file';
            const signed = isFile ? await deps.describeFile(share.file) : await deps.describeFolder(share.name, share.files);
            deps.addLocalItem(signed, isFile ? [share.file] : share.files.map((f) => f.file));
            deps.swarm.shareItem(signed);
          } catch (error) {
            session.reportError({ code: 'share-failed', name: share.name, detail: errorMessage(error) });
          } finally {
            preparing = withoutFirst(preparing, share.name);
            store.invalidate();
          }
        }),
      );
    },
    async save(itemId) {
      await runSave(itemId, { kind: 'item' });
    },
    async saveFile(itemId, fileIndex) {
      await runSave(itemId, { kind: 'file', fileIndex });
    },
    cancelSave(id) {
      saves.get(id)?.controller.abort(new Error('cancelled'));
    },
    setAutoDownload(on) {
      deps.swarm.setAutoDownload(on);
      deps.saveAutoDownload(on);
    },
    setUploadLimit(bytesPerSecond) {
      deps.swarm.setUploadLimit(bytesPerSecond);
      deps.saveUploadLimit(bytesPerSecond);
    },
    // The errors store tells the session on its next notification; the session's own calls show at once.
    reportError(report) {
      deps.errors.report(report);
      store.invalidate();
    },
    dismissError(id) {
      deps.errors.dismiss(id);
      store.invalidate();
    },
  };
  return session;
}
