// Structured logging for the relay: one JSON object per line, never a payload or a full room id.

/** Where the relay reports events; injected so tests can collect and assert on them. */
export type Log = (entry: Record<string, unknown>) => void;

/** Characters of a topic kept in logs: enough to correlate lines, too few to join the room. */
const topicLogPrefixChars = 6;

/** The default sink: JSON lines on stderr, so stdout stays free for the one human line. */
export const logToStderr: Log = (entry) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/** A loggable stand-in for a topic: the topic is a room id, so only a short prefix is written. */
export function topicForLog(topic: string): string {
  return topic.length > topicLogPrefixChars ? `${topic.slice(0, topicLogPrefixChars)}…` : topic;
}

/** An error reduced to fields that are safe and useful in a log line. */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? { error: error.message } : { error: error.message, code };
  }
  return { error: String(error) };
}
