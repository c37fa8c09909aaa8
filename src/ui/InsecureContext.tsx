// Shown instead of the app when the page is not a secure context: browsers withhold WebCrypto (and
// storage estimates) there, so sharing would fail with a TypeError. Says why, and what to do.

/** Props: the address the page was opened at. */
export interface InsecureContextProps {
  readonly origin: string;
}

/** The whole page for an insecure context. */
export function InsecureContext({ origin }: InsecureContextProps) {
  const localUrl = origin.replace(/^http:\/\/[^/:]+/, 'http://localhost');
  return (
    <main className="app">
      <header className="app__header">
        <h1>Swarmdrop</h1>
      </header>
      <section className="error error--page" data-testid="error" data-reason="insecure-context" role="alert">
        <div>
          <p>
            <strong>This page needs HTTPS.</strong> It was opened at {origin} over plain HTTP, so your browser withholds the
            encryption Swarmdrop needs to keep rooms private, and nothing can be shared or received here.
          </p>
          <p>
            Open it at an <code>https://</code> address instead: whoever runs this server can put it behind HTTPS (a
            reverse proxy, or <code>TLS_CERT</code> and <code>TLS_KEY</code>; see Deploy in the README). On the machine
            that runs it, <code>{localUrl}</code> works too.
          </p>
        </div>
      </section>
    </main>
  );
}
