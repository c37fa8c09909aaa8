// A minimal typed event channel: the engine emits, the application layer listens.

/** What listeners see. */
export interface EventSource<E> {
  /** Hears every later event; returns how to stop. */
  subscribe(listener: (event: E) => void): () => void;
}

/** What the emitting side holds. */
export interface Emitter<E> extends EventSource<E> {
  emit(event: E): void;
}

/** Creates an emitter; a listener that throws is reported to `onListenerError` and the others still hear the event. */
export function createEmitter<E>(onListenerError: (error: unknown) => void = () => undefined): Emitter<E> {
  const listeners = new Set<(event: E) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
