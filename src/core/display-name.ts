// The name a person shows the others in a room. It is text a stranger chose, so it is bounded and
// cleaned before anything stores, sends or shows it: our own is cut to fit, a peer's that does not fit
// is ignored (an honest page never sends one), and neither can carry control or bidi-override characters.

/** Longest name, in characters (code points) after trimming: a peer row has room for a short name, not a paragraph. */
export const maxDisplayNameChars = 40;

/**
 * Characters removed from any name: control characters (C0, C1, DEL), which can break a line or a
 * terminal, and the bidi controls that make a name read as something else (U+202E turns "exe.txt" round).
 */
const unwantedChars = /[\p{Cc}\p{Bidi_Control}]/gu;

/** Runs of whitespace (tabs, line breaks became spaces already) shown as one space. */
const whitespaceRuns = /\s+/gu;

/** Longest raw string a peer may send, in UTF-16 units: 40 code points take at most 80 units. */
const maxRawNameUnits = 2 * maxDisplayNameChars;

/** The name without unwanted characters and with single spaces, trimmed; its length is not checked. */
function tidy(text: string): string {
  return text.replace(unwantedChars, ' ').replace(whitespaceRuns, ' ').trim();
}

/** A name the person typed (or one read back from storage), cleaned and cut to the limit; null for none. */
export function cleanDisplayName(text: string): string | null {
  const cut = Array.from(tidy(text)).slice(0, maxDisplayNameChars).join('').trim();
  return cut === '' ? null : cut;
}

/** A name a peer sent: null unless it is a string that fits the limit once cleaned (too long: ignored, not cut). */
export function parseDisplayName(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > maxRawNameUnits) return null;
  const name = tidy(value);
  if (name === '' || Array.from(name).length > maxDisplayNameChars) return null;
  return name;
}
