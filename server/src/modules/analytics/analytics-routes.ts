import { Router, type Request } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { MikroORM } from '@mikro-orm/postgresql';
import { requireActor, type Principal, type TenantActor } from '../../core/auth/index.ts';
import { sendJsonError } from '../../core/http/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { AnalyticsReport, AnalyticsService } from './analytics.service.ts';

export interface AnalyticsRoutesDeps {
  analytics: AnalyticsService;
  orm: MikroORM;
  /** Turns the Authorization header into a principal, exactly as the GraphQL endpoint does. */
  authenticate: (authorizationHeader: string | undefined) => Promise<Principal>;
  logger: Logger;
}

const COLUMNS = [
  'day', 'conversations', 'messages', 'visitor_messages', 'unique_visitors', 'ttft_median_ms', 'ttft_p95_ms',
  'handed_off_conversations', 'resolved_without_handoff_share', 'sentiment_positive', 'sentiment_neutral', 'sentiment_negative',
  'leads', 'unanswered_questions', 'cost_usd',
  'helpful_answers', 'unhelpful_answers', 'helpful_share', 'csat_responses', 'csat_average', 'csat_satisfied_share',
];

/** The report as CSV: one line per day, then a `total` line for the period. */
export function analyticsCsv(report: AnalyticsReport): string {
  const line = (label: string, f: AnalyticsReport['totals']) => [
    label, f.conversations, f.messages, f.visitorMessages, f.uniqueVisitors, f.ttftMedianMs ?? '', f.ttftP95Ms ?? '',
    f.handedOffConversations, f.resolvedWithoutHandoffShare ?? '', f.sentiment.positive, f.sentiment.neutral, f.sentiment.negative,
    f.leads, f.unansweredQuestions, f.costUsd.toFixed(6),
    f.feedback.helpfulAnswers, f.feedback.unhelpfulAnswers, f.feedback.helpfulShare ?? '', f.feedback.csatResponses,
    f.feedback.csatAverage ?? '', f.feedback.csatSatisfiedShare ?? '',
  ];
  // escape_formulas: a spreadsheet must never run a cell as a formula, whatever ends up in one.
  return stringify([...report.days.map((d) => line(d.day, d)), line('total', report.totals)], { header: true, columns: COLUMNS, escape_formulas: true });
}

function queryString(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' ? value : undefined;
}

function analyticsReader(principal: Principal): TenantActor {
  return requireActor(principal, 'analytics:read', 'Send a member access token or an API key with the analytics scope as a Bearer token.');
}

/**
 * `GET /analytics/export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&botId=…]`: the tenant's (or one bot's)
 * daily analytics as a CSV download, authenticated like the API (Authorization: Bearer …).
 */
export function analyticsRoutes(deps: AnalyticsRoutesDeps): Router {
  const router = Router();
  router.get('/analytics/export.csv', async (req, res) => {
    try {
      const actor = analyticsReader(await deps.authenticate(req.headers.authorization));
      const range = { from: queryString(req, 'from') ?? '', to: queryString(req, 'to') ?? '' };
      const botId = queryString(req, 'botId');
      const em = deps.orm.em.fork();
      const report = botId
        ? await deps.analytics.botReport(em, actor.tenantId, botId, range)
        : await deps.analytics.tenantReport(em, actor.tenantId, range);
      const name = `mascot-analytics-${botId ? `bot-${botId.slice(0, 8)}` : 'tenant'}-${report.from}-${report.to}.csv`;
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="${name}"`)
        .setHeader('Cache-Control', 'no-store')
        .send(analyticsCsv(report));
    } catch (error) {
      sendJsonError(res, error, deps.logger);
    }
  });
  return router;
}
