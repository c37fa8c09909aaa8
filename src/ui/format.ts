// Human-readable sizes and speeds.

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1234567 -> "1.2 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Bytes per second -> "3.4 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** Seconds -> "45 s", "3 min", "2 h 5 min": how long is left, as a person reads it. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** What a downloading item shows: its speed and the time left at that speed (or that it waits for peers). */
export function etaText(remainingBytes: number, bytesPerSecond: number): string {
  if (bytesPerSecond <= 0) return 'waiting for peers';
  return `${formatRate(bytesPerSecond)} · ${formatDuration(remainingBytes / bytesPerSecond)} left`;
}
