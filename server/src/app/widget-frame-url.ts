import path from 'node:path';
import { ErrorCode } from '@mascot/contracts';
import { DomainError } from '../core/errors/index.ts';

/**
 * How a `/widget/` URL is read before anything decides which bot's framing rules apply (issue 15,
 * finding 3). The chat app reads its parameters with `new URLSearchParams(location.search)` and
 * `get()`, which takes the first of repeated names; Express's query parser keeps the same name as an
 * array (and stops after 1 000 keys). Deciding on one reading and serving the app that uses another
 * is how a restricted bot was once framed with `frame-ancestors *`. So this module reads the URL
 * the way the browser does, refuses every shape two readers could disagree on, and names the file
 * the static server will send, so the policy follows the file, never the spelling of its path.
 */

/** `details.reason` of the BAD_REQUEST a `/widget/` URL gets when it could be read in two ways. */
export const AMBIGUOUS_WIDGET_URL = 'AMBIGUOUS_WIDGET_URL';

/** The chat app's own parameters (main.tsx, use-conversation.ts): each may appear at most once. */
const APP_PARAMETERS = ['bot', 'host', 'visitor'] as const;

export interface WidgetFrameRequest {
  /** The file under the app's folder the static server will send ('' for the folder itself, which serves its index). */
  file: string;
  /** Whether that file is a document a browser can frame (the app's page or any other HTML). */
  isDocument: boolean;
  /** The one `bot` parameter, as the app will read it; null when there is none. */
  embedId: string | null;
}

function ambiguous(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.BAD_REQUEST, message, { reason: AMBIGUOUS_WIDGET_URL, ...details });
}

/**
 * Reads a request under `/widget` (`pathname` relative to the mount, as Express's `req.path`;
 * `search` the raw query string with or without its `?`). Throws BAD_REQUEST for a repeated app
 * parameter, an escape that does not decode, NUL, backslashes, encoded separators, empty, `.` and
 * `..` segments and dotfiles: a browser never sends any of these for a URL the loader built
 * (the WHATWG URL parser removes dot segments, `%2e` ones included, before the request leaves).
 */
export function readWidgetFrameRequest(pathname: string, search: string): WidgetFrameRequest {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  for (const name of APP_PARAMETERS) {
    if (params.getAll(name).length > 1) {
      throw ambiguous(`The "${name}" parameter appears more than once; the widget URL must name one value.`, { parameter: name });
    }
  }
  const rawSegments = pathname.split('/').slice(1);
  const segments = rawSegments.map((raw, index) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw ambiguous('The widget path has an escape that does not decode.', { path: pathname });
    }
    const last = index === rawSegments.length - 1;
    if (
      segment.includes('/') ||
      segment.includes('\\') ||
      segment.includes('\0') ||
      (segment === '' && !last) ||
      segment.startsWith('.')
    ) {
      throw ambiguous('The widget path is not in canonical form.', { path: pathname });
    }
    return segment;
  });
  const file = segments.join('/');
  // Same extension test for every spelling: a case-insensitive file system serves INDEX.HTML too.
  const name = file === '' || file.endsWith('/') ? 'index.html' : path.posix.basename(file);
  const isDocument = /\.html?$/i.test(name);
  return { file, isDocument, embedId: params.get('bot') };
}
