// Which kind of thing an item is, for its icon: from its MIME type first, then its file extension
// (a browser reports "" for many types it does not know, such as .mkv or .7z on some systems).

/** The kinds that get their own icon. */
export type ItemKind = 'folder' | 'image' | 'audio' | 'video' | 'text' | 'archive' | 'other';

/** MIME types of compressed or packed files that do not say so in their major type. */
const archiveTypes = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
]);

/** Application types that are text people read. */
const textTypes = new Set(['application/json', 'application/xml', 'application/javascript', 'application/x-yaml', 'application/yaml', 'application/toml']);

/** Extensions by kind, for files whose MIME type is empty or generic. */
const extensionKinds: Readonly<Record<string, ItemKind>> = Object.fromEntries([
  ...['jpg', 'jpeg', 'png', 'gif', 'webp', 'avif', 'heic', 'heif', 'svg', 'bmp', 'tif', 'tiff'].map((ext) => [ext, 'image']),
  ...['mp3', 'wav', 'flac', 'ogg', 'oga', 'opus', 'm4a', 'aac'].map((ext) => [ext, 'audio']),
  ...['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'ogv'].map((ext) => [ext, 'video']),
  ...['txt', 'md', 'csv', 'json', 'xml', 'yaml', 'yml', 'toml', 'log', 'html', 'css', 'js', 'ts', 'py', 'rs', 'go'].map((ext) => [ext, 'text']),
  ...['zip', 'gz', 'tgz', 'tar', '7z', 'rar', 'bz2', 'xz', 'zst'].map((ext) => [ext, 'archive']),
]);

/** The kind of an item: a folder or multi-file set is a folder; otherwise by type, then by extension. */
export function itemKind(name: string, mimeType: string, folder: boolean): ItemKind {
  if (folder) return 'folder';
  const type = mimeType.trim().toLowerCase().split(';')[0] ?? '';
  const major = type.split('/')[0];
  if (major === 'image' || major === 'audio' || major === 'video') return major;
  if (archiveTypes.has(type)) return 'archive';
  if (major === 'text' || textTypes.has(type)) return 'text';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return extensionKinds[extension] ?? 'other';
}
