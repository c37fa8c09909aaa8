// React bindings over the framework-free stores (useSyncExternalStore), as zustand's react.ts does.
import { useSyncExternalStore } from 'react';
import type { ExternalStore } from '../core/store';

/** Subscribes a component to a store's snapshot. */
export function useStore<T>(store: ExternalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
