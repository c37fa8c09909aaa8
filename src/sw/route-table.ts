// The order in which the worker's routes are asked. Add a route here (its code in a file of its own);
// earlier routes win, so a route for particular requests goes before the general ones.
import { isLeftToNetwork, type Route } from './routes';
import type { ShareInbox } from './share-inbox';
import { shareTargetRoute } from './share-target-route';
import { streamRoute, type AskPages } from './stream-route';
import { hashedAssetRoute, pageRoute, shellFileRoute, type ShellDeps } from './shell';

/** What the routes are built from. */
export interface RouteTableDeps {
  readonly shell: ShellDeps;
  readonly inbox: ShareInbox;
  readonly log: (event: string, fields?: Record<string, unknown>) => void;
  /** Asks the open pages for the bytes of media played while it downloads. */
  readonly askPages: AskPages;
}

/** The worker's routes, first match wins. */
export function createRouteTable({ shell, inbox, log, askPages }: RouteTableDeps): Route[] {
  return [
    shareTargetRoute(inbox, log),
    streamRoute(askPages),
    // Before any caching route: the relay's live endpoints, other origins and every write.
    { name: 'network', matches: (request, url) => isLeftToNetwork(request, url, shell.origin) },
    pageRoute(shell),
    hashedAssetRoute(shell),
    shellFileRoute(shell),
  ];
}
