// Text typed or pasted to share: it becomes a small text file, an item like any other, which others
// read and copy in place (the item's text preview). Its name comes from its first words.

/** Most characters of the text's first line used in its name: a title, not a paragraph. */
export const snippetNameChars = 40;

/** Characters a file name must not carry on common systems, and control characters. */
const unsafeNameChars = /[\\/:*?"<>|\p{Cc}]/gu;

/** The file name for a snippet: its first line, cleaned and shortened, or "Note HH.MM" when it has none. */
export function snippetName(text: string, now: Date): string {
  const firstLine = text.trim().split(/\r?\n/, 1)[0] ?? '';
  const cleaned = firstLine.replace(unsafeNameChars, ' ').replace(/\s+/g, ' ').trim();
  const title = [...cleaned].slice(0, snippetNameChars).join('').trim();
  if (title !== '') return `${title}.txt`;
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `Note ${pad(now.getHours())}.${pad(now.getMinutes())}.txt`;
}

/** The text as a UTF-8 text file to share, or null when there is nothing but blanks. */
export function snippetFile(text: string, now: Date): File | null {
  if (text.trim() === '') return null;
  return new File([text], snippetName(text, now), { type: 'text/plain;charset=utf-8', lastModified: now.getTime() });
}
