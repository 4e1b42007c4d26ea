import type { ServerLink } from '../../studio.ts';
import { CopyBlock } from '../../ui/CopyBlock.tsx';

/** What a site owner pastes once the bot is live: the loader tag and, for strict sites, the CSP recipe. */
export function EmbedInstructions({ link, allowedOrigins }: { link: ServerLink; allowedOrigins: readonly string[] }) {
  const snippet = `<script src="${link.serverUrl}/embed.js" data-bot="${link.embedId}" async></script>`;
  const csp = [
    "Content-Security-Policy: script-src 'nonce-RANDOM' 'strict-dynamic'; object-src 'none'; base-uri 'none'",
    `# If your policy also limits fetches and frames, add: connect-src ${link.serverUrl}; frame-src ${link.serverUrl}`,
  ].join('\n');
  return (
    <section className="card embed" aria-label="Put the bot on your site">
      <h2>Put the bot on your site</h2>
      <p className="hint">Paste this before <code>&lt;/body&gt;</code> on every page; placement decides where the launcher shows.</p>
      <CopyBlock label="Embed snippet" noun="embed snippet" text={snippet} testId="embed-snippet" />
      <h3>Content Security Policy</h3>
      <p className="hint">With a strict nonce policy, give the script tag your page’s nonce; the widget needs nothing unsafe.</p>
      <CopyBlock label="CSP recipe" noun="CSP recipe" text={csp} testId="csp-recipe" />
      <p className="hint">
        {allowedOrigins.length === 0 ? 'Any site may embed this bot (Audience → Allowed sites limits it).' : `Only these sites may show it: ${allowedOrigins.join(', ')}.`}
      </p>
    </section>
  );
}
