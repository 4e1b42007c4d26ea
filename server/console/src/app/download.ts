import { useCallback, useState } from 'react';
import { useToast } from '../ui/index.ts';
import { useSession } from './session-context.tsx';

/** The file name a Content-Disposition header gives, if any. */
function fileNameOf(disposition: string | null): string | undefined {
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1];
}

/**
 * Downloads from the API's export routes, which take the access token as an Authorization header (never
 * in the URL, where it would land in logs and history): fetched with the header, then saved from a blob:
 * URL. An error answer ({ error: { code, message } }) is shown as a toast instead of being saved.
 */
export function useDownload(): { download: (url: string, fallbackName: string) => Promise<void>; downloading: boolean } {
  const session = useSession();
  const notify = useToast();
  const [downloading, setDownloading] = useState(false);
  const download = useCallback(async (url: string, fallbackName: string) => {
    setDownloading(true);
    try {
      const token = await session.accessToken();
      const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) {
        const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
        notify(body?.error?.message ?? `The export failed (${response.status}).`, 'danger');
        return;
      }
      const blob = await response.blob();
      const href = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = href;
      link.download = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
      document.body.append(link);
      link.click();
      link.remove();
      // Give the browser a moment to start reading the blob before it goes.
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (error) {
      notify(`The export failed: ${(error as Error).message}`, 'danger');
    } finally {
      setDownloading(false);
    }
  }, [session, notify]);
  return { download, downloading };
}
