export interface SocketOriginOptions {
  /** The server's own base URL (PUBLIC_URL or the listening URL); read per socket, known once listening. */
  ownUrl: () => string;
  /** MASCOT_ALLOWED_ORIGINS, already normalised by the config. */
  allowedOrigins: readonly string[];
  /**
   * Outside production a page served by this very server under another name (localhost for
   * 127.0.0.1, the LAN address, a Docker port mapping) is same-origin too: its Origin names the
   * Host it connected to.
   */
  production: boolean;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined; // not a URL, e.g. the opaque origin "null" of sandboxed frames and file: pages
  }
}

/**
 * Whether a graphql-ws socket may stay open, judged by its Origin header. Browsers always send one
 * and scripts cannot forge it, so it tells which site's page opened the socket; sockets without one
 * come from SDKs, servers and tests, which authenticate with a token in connectionParams like anyone.
 * Which host pages may embed a bot (Bot.allowedOrigins) is a separate check, not made here: the widget
 * runs in an iframe served from our own origin, so its sockets always carry our Origin.
 */
export function createSocketOriginPolicy(options: SocketOriginOptions) {
  const allowed = new Set(options.allowedOrigins);
  return (origin: string | undefined, host: string | undefined): boolean => {
    if (origin === undefined) return true;
    const normalised = originOf(origin);
    if (normalised === undefined) return false;
    if (allowed.has(normalised) || normalised === originOf(options.ownUrl())) return true;
    return !options.production && host !== undefined && new URL(normalised).host === host.toLowerCase();
  };
}
