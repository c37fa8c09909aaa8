// The one way to turn anything thrown into text for a log line or a detail field.

/** `error.message` for an Error, else its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
