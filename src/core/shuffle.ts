// One Fisher–Yates shuffle for the places that need a fair random order.

/** Shuffles `items` in place (Fisher–Yates) with `random` in [0, 1); returns the same array. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
