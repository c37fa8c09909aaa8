// Short forms of long ids (item ids are 64 hex digits, peer ids 16+ characters), one way everywhere.

/** Characters of an id kept in log fields: enough to tell items apart in a long session's log. */
export const logIdChars = 12;

/** Characters of a peer id shown to people: enough to tell the few peers in a room apart. */
export const uiIdChars = 8;

/** The first `chars` characters of `id`. */
export const shortId = (id: string, chars: number): string => id.slice(0, chars);
