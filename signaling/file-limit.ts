// Every socket is an open file: a socket cap above the process's open-files limit is a cap that is
// never reached, because accept() fails first (EMFILE) and clients hang instead of being told to wait.

/** Files kept free besides client sockets: listeners, STUN, Redis, static files being sent, logs. */
export const reservedFiles = 256;

/** The soft open-files limit of this process (Linux `/proc/self/limits`), or null where it cannot be read. */
export function openFilesLimit(readLimits: () => string): number | null {
  let text: string;
  try {
    text = readLimits();
  } catch {
    return null; // not Linux, or /proc not mounted
  }
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (match === null) return null;
  return match[1] === 'unlimited' ? null : Number(match[1]);
}

/** The socket cap to use, and the sentence for the operator when the file limit changed or threatens it. */
export interface FittedCap {
  readonly maxConnections: number;
  readonly notice: string | null;
}

/**
 * Fits the socket cap under the file limit. A default cap is lowered to what the limit allows; a cap
 * the operator set is kept (they may raise the limit in the service manager) but warned about.
 */
export function fitCapToFiles(maxConnections: number, setByOperator: boolean, fileLimit: number | null): FittedCap {
  if (fileLimit === null || maxConnections + reservedFiles <= fileLimit) return { maxConnections, notice: null };
  const room = Math.max(1, fileLimit - reservedFiles);
  if (setByOperator) {
    return {
      maxConnections,
      notice: `MAX_CONNECTIONS is ${maxConnections}, but this process may open only ${fileLimit} files: past about ${room} sockets new connections will fail. Raise the limit (ulimit -n, or LimitNOFILE= in systemd) or lower MAX_CONNECTIONS.`,
    };
  }
  return {
    maxConnections: room,
    notice: `Relay capped at ${room} sockets: this process may open only ${fileLimit} files. Raise the limit (ulimit -n, or LimitNOFILE= in systemd) for more.`,
  };
}
