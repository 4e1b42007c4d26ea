import { randomBytes } from 'node:crypto';
import { Router } from 'express';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The CSP recipe the README gives host sites: scripts only by nonce (`strict-dynamic` lets the
 * loader do its work), nothing else unsafe. The other directives are this page's own needs.
 */
function strictHostPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

// The host API from the page's side: a stub queues calls until embed.js has loaded, and every event
// is listed on the page, so the demo shows what a site can hear.
const HOST_API_DEMO = `
window.Mascot = window.Mascot || { q: [] };
const events = document.getElementById('mascot-events');
const note = (text) => { const item = document.createElement('li'); item.textContent = text; events.append(item); };
window.Mascot.q.push(
  ['on', 'ready', (detail) => note('ready' + (detail && detail.variantId ? ' (variant ' + detail.variantId + ')' : ''))],
  ['on', 'open', () => note('open')],
  ['on', 'close', () => note('close')],
  ['on', 'message', (message) => note(message.role + ': ' + message.text.slice(0, 80))],
  ['on', 'lead', () => note('lead')],
);
document.getElementById('mascot-open').addEventListener('click', () => window.Mascot.q.push(['open']));
`;

/**
 * `GET /`: a host page with the one-line embed of the demo bot, served under the strict nonce CSP
 * the README recommends, so the demo also proves the widget needs nothing unsafe from its host.
 */
export function demoPageRoute(demo: () => { embedId: string; botName: string } | undefined): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const bot = demo();
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', strictHostPolicy(nonce));
    const snippet = bot
      ? `<script src="/embed.js" data-bot="${escapeHtml(bot.embedId)}" async></script>`
      : '<p>No demo bot is seeded (MASCOT_SEED_DEMO=false).</p>';
    const embed = bot ? `<script nonce="${nonce}" src="/embed.js" data-bot="${escapeHtml(bot.embedId)}" async></script>` : snippet;
    res.type('html').send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mascot demo</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Mascot demo</h1>
<p>This page embeds ${bot ? `<strong>${escapeHtml(bot.botName)}</strong>` : 'a bot'} with one line:</p>
<pre style="background:#f4f4f5;padding:1rem;overflow:auto">${escapeHtml(snippet)}</pre>
<p>Open the chat bubble in the corner and ask about the demo knowledge, e.g. <em>How much does the Pro plan cost?</em></p>
<h2>Host API</h2>
<p>Pages talk to the widget through <code>window.Mascot</code> (see the README). This page's own button calls
<code>Mascot.open()</code>, and lists the events it hears:</p>
<p><button type="button" id="mascot-open">Start a chat from the page</button></p>
<ul id="mascot-events"></ul>
<p>GraphQL API: <a href="/graphql">/graphql</a></p>
<script nonce="${nonce}">${HOST_API_DEMO}</script>
${embed}
</body>
</html>`);
  });
  return router;
}
