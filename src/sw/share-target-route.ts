// The share target: another app (a phone's share sheet) posts files to /share-target as a page load.
// The worker keeps them in the share inbox and redirects the load to `/?share=<id>`, where the page
// takes them and shares them as a drop would.
import type { Route } from './routes';
import { shareFilesField, shareIdParam, shareTargetPath, type ShareInbox } from './share-inbox';

/** The id the redirect carries when nothing could be kept: the page then says the files are not here. */
export const nothingSharedId = 'none';

/** The files of a posted form, or none when the body is not a form holding files. */
async function postedFiles(request: Request): Promise<File[]> {
  try {
    const form = await request.formData();
    return form.getAll(shareFilesField).filter((entry): entry is File => typeof entry !== 'string');
  } catch {
    return [];
  }
}

/** Takes POSTs to the share target; always answers with a 303 to the page (never an error page). */
export function shareTargetRoute(inbox: ShareInbox, log: (event: string, fields?: Record<string, unknown>) => void): Route {
  return {
    name: 'share-target',
    matches: (request, url) => request.method === 'POST' && url.pathname === shareTargetPath,
    handle: async (request, url) => {
      const files = await postedFiles(request);
      let id = nothingSharedId;
      if (files.length > 0) {
        try {
          id = await inbox.put(files);
        } catch (error) {
          log('share-inbox-put-failed', { files: files.length, error: String(error) });
        }
      }
      const target = new URL('/', url.origin);
      target.searchParams.set(shareIdParam, id);
      return Response.redirect(target.href, 303);
    },
  };
}
