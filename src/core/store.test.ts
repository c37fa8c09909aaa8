import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDerivedStore } from './store';

describe('derived store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps the same snapshot until invalidated, then rebuilds once', () => {
    let builds = 0;
    const store = createDerivedStore(() => ({ n: ++builds }), 100);
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    store.invalidate();
    store.invalidate();
    const second = store.getSnapshot();
    expect(second).not.toBe(first);
    expect(store.getSnapshot()).toBe(second);
    expect(builds).toBe(2);
  });

  it('announces the first change at once and throttles the rest to one per interval', () => {
    const store = createDerivedStore(() => ({}), 100);
    const listener = vi.fn();
    store.subscribe(listener);
    store.invalidate();
    vi.advanceTimersByTime(0);
    expect(listener).toHaveBeenCalledTimes(1);
    store.invalidate();
    store.invalidate();
    vi.advanceTimersByTime(50);
    expect(listener).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(50);
    expect(listener).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(500);
    store.invalidate();
    vi.advanceTimersByTime(0);
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('stops notifying after unsubscribe and dispose', () => {
    const store = createDerivedStore(() => ({}), 10);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    unsubscribe();
    store.invalidate();
    vi.advanceTimersByTime(20);
    expect(listener).not.toHaveBeenCalled();
    store.subscribe(listener);
    store.invalidate();
    store.dispose();
    vi.advanceTimersByTime(20);
    expect(listener).not.toHaveBeenCalled();
  });
});
