import { StorageFullError } from '../core/ports';
import { createMemoryStore } from './memory-store';
import { describePieceStoreCompliance } from './piece-store-compliance';

describePieceStoreCompliance('in-memory store', () => {
  const store = createMemoryStore();
  return { store, diskFull: (full) => void (store.failWrites = full ? new StorageFullError() : null) };
});
