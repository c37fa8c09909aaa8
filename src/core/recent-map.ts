// A Map used as a bounded "most recently seen" table: a Map iterates in insertion order, so deleting
// and re-setting a key makes it the newest, and the oldest entries are the first keys.

/** Sets `key` to `value` as the newest entry of `map`, and drops the oldest entries past `maxEntries`. */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, maxEntries: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= maxEntries) return;
    map.delete(oldest);
  }
}
