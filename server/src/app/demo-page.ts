import { Router } from 'express';
import { contentSecurityPolicy } from '../core/http/index.ts';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * `GET /`: a host page with the one-line embed of the demo bot, served under a strict CSP
 * so the demo also proves the widget needs nothing unsafe from its host.
 */
export function demoPageRoute(demo: () => { embedId: string; botName: string } | undefined): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const bot = demo();
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ frameAncestors: "'self'" }));
    const snippet = bot
      ? `<script src="/embed.js" data-bot="${escapeHtml(bot.embedId)}" async></script>`
      : '<p>No demo bot is seeded (MASCOT_SEED_DEMO=false).</p>';
    res.type('html').send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mascot demo</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Mascot demo</h1>
<p>This page embeds ${bot ? `<strong>${escapeHtml(bot.botName)}</strong>` : 'a bot'} with one line:</p>
<pre style="background:#f4f4f5;padding:1rem;overflow:auto">${escapeHtml(snippet)}</pre>
<p>Open the chat bubble in the corner and ask about the demo knowledge, e.g. <em>How much does the Pro plan cost?</em></p>
<p>GraphQL API: <a href="/graphql">/graphql</a></p>
${snippet}
</body>
</html>`);
  });
  return router;
}
