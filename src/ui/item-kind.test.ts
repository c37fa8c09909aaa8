import { describe, expect, it } from 'vitest';
import { itemKind } from './item-kind';

describe('the kind of an item', () => {
  it.each([
    ['Trip', '', true, 'folder'],
    ['photo.JPG', 'image/jpeg', false, 'image'],
    ['song.mp3', 'audio/mpeg', false, 'audio'],
    ['clip.webm', 'video/webm', false, 'video'],
    ['notes.txt', 'text/plain;charset=utf-8', false, 'text'],
    ['data.json', 'application/json', false, 'text'],
    ['backup.zip', 'application/zip', false, 'archive'],
    ['movie.mkv', '', false, 'video'],
    ['pack.7z', 'application/octet-stream', false, 'archive'],
    ['README', '', false, 'other'],
    ['.bashrc', '', false, 'other'],
    ['report.pdf', 'application/pdf', false, 'other'],
    ['picture.png', '  IMAGE/PNG ', false, 'image'],
  ] as const)('%s (%s, folder: %s) is %s', (name, type, folder, kind) => {
    expect(itemKind(name, type, folder)).toBe(kind);
  });
});
