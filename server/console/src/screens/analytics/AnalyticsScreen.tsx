import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useDownload } from '../../app/download.ts';
import { Button } from '../../ui/Button.tsx';
import { DateRangePicker, lastDays, type DayRange } from '../../ui/DateRange.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Field, Select } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import '../../ui/screens.css';
import './analytics.css';
import {
  BOT_REPORT_QUERY, BOTS_QUERY, COSTS_BY_MODEL_QUERY, COUNTERS_SUBSCRIPTION, TENANT_REPORT_QUERY,
  type BotSummary, type ModelCost, type Report, type TodayCounters,
} from './analytics-queries.ts';
import { DayChart, type DaySeries } from './DayChart.tsx';
import { formatAverage, formatCount, formatMs, formatPercent, formatUsd } from './format.ts';

const ALL_BOTS = '';

/** Owners, admins and analysts: a tenant's or one bot's figures per day, their totals, today's live counters and a CSV. */
export default function AnalyticsScreen() {
  const [range, setRange] = useState<DayRange>(() => lastDays(30));
  const [botId, setBotId] = useState<string>(ALL_BOTS);
  const [asTables, setAsTables] = useState(false);
  const { download, downloading } = useDownload();

  const [botsResult] = useQuery<{ bots: { edges: { node: BotSummary }[] } }>({ query: BOTS_QUERY });
  const bots = useMemo(() => botsResult.data?.bots.edges.map((e) => e.node) ?? [], [botsResult.data]);
  const [reportResult] = useQuery<{ botAnalytics?: Report; tenantAnalytics?: Report }>(
    botId
      ? { query: BOT_REPORT_QUERY, variables: { botId, ...range } }
      : { query: TENANT_REPORT_QUERY, variables: range },
  );
  const report = reportResult.data?.botAnalytics ?? reportResult.data?.tenantAnalytics;
  const scopeName = botId ? (bots.find((b) => b.id === botId)?.name ?? 'this bot') : 'all bots';

  // The server's export (GET /analytics/export.csv): one line per day and a total, formulas escaped.
  const exportCsv = () => download(`/analytics/export.csv?${new URLSearchParams({ ...range, ...(botId ? { botId } : {}) })}`, 'mascot-analytics.csv');

  return (
    <div className="analytics">
      <div className="page-header">
        <div>
          <h1>Analytics</h1>
          <p>What visitors did with {scopeName}, per UTC day.</p>
        </div>
      </div>
      <div className="ui-toolbar">
        <Field label="Bot">
          <Select value={botId} onChange={(event) => setBotId(event.target.value)}>
            <option value={ALL_BOTS}>All bots</option>
            {bots.map((bot) => <option key={bot.id} value={bot.id}>{bot.name}</option>)}
          </Select>
        </Field>
        <DateRangePicker value={range} onChange={setRange} />
        <div className="ui-toolbar__end">
          <Button aria-pressed={asTables} onClick={() => setAsTables(!asTables)}>{asTables ? 'Show charts' : 'Show tables'}</Button>
          <Button disabled={downloading} onClick={() => void exportCsv()}>Export CSV</Button>
        </div>
      </div>

      <LiveToday bots={botId ? bots.filter((b) => b.id === botId) : bots} />

      {reportResult.error ? <p className="ui-error" role="alert">{reportResult.error.graphQLErrors[0]?.message ?? reportResult.error.message}</p> : null}
      {!report && reportResult.fetching ? <p className="ui-muted" role="status">Loading figures…</p> : null}
      {report ? <ReportView report={report} asTables={asTables} /> : null}
      {report && report.totals.costUsd > 0 ? <CostsByModel botId={botId || null} range={range} /> : null}
    </div>
  );
}

function ReportView({ report, asTables }: { report: Report; asTables: boolean }) {
  const t = report.totals;
  const days = useMemo(() => report.days.map((d) => d.day), [report]);
  const pick = (f: (d: Report['days'][number]) => number | null) => report.days.map(f);
  const handoffRate = t.conversations > 0 ? t.handedOffConversations / t.conversations : null;
  const period = `${report.from} to ${report.to}`;
  // Made once per report, so the charts are drawn again only when their numbers change.
  const charts = useMemo((): ChartSpec[] => [
    {
      id: 'conversations', title: 'Conversations and messages',
      series: [
        { label: 'Conversations', values: pick((d) => d.conversations), color: '--chart-1' },
        { label: 'Messages', values: pick((d) => d.messages), color: '--chart-2' },
      ],
      format: formatCount,
      summary: `${formatCount(t.conversations)} conversations and ${formatCount(t.messages)} messages from ${period}; busiest day ${busiest(report, 'conversations')}.`,
    },
    {
      id: 'visitors', title: 'Unique visitors', bars: true,
      series: [{ label: 'Unique visitors', values: pick((d) => d.uniqueVisitors), color: '--chart-1' }],
      format: formatCount,
      summary: `${formatCount(t.uniqueVisitors)} distinct visitors over the period (a returning visitor counts once).`,
    },
    {
      id: 'handoffs', title: 'Resolved by the bot and handed to a person',
      series: [
        { label: 'Resolved by the bot', values: pick((d) => d.resolvedWithoutHandoffShare), color: '--chart-3' },
        { label: 'Handed to a person', values: pick((d) => (d.conversations > 0 ? d.handedOffConversations / d.conversations : null)), color: '--chart-4' },
      ],
      format: (v) => formatPercent(v),
      axis: (v) => `${Math.round(v * 100)} %`,
      summary: `${formatPercent(t.resolvedWithoutHandoffShare)} of conversations resolved by the bot; ${formatCount(t.handedOffConversations)} handed to a person (${formatPercent(handoffRate)}).`,
    },
    {
      id: 'ttft', title: 'Time to first token',
      series: [
        { label: 'Median', values: pick((d) => d.ttftMedianMs), color: '--chart-1' },
        { label: '95th percentile', values: pick((d) => d.ttftP95Ms), color: '--chart-4' },
      ],
      format: (v) => formatMs(v),
      axis: (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`),
      summary: `Median ${formatMs(t.ttftMedianMs)}, 95th percentile ${formatMs(t.ttftP95Ms)} over the period.`,
    },
    {
      id: 'sentiment', title: "Visitors' sentiment",
      series: [
        { label: 'Positive', values: pick((d) => d.sentiment.positive), color: '--chart-3' },
        { label: 'Neutral', values: pick((d) => d.sentiment.neutral), color: '--chart-5' },
        { label: 'Negative', values: pick((d) => d.sentiment.negative), color: '--chart-4' },
      ],
      format: formatCount,
      summary: `Visitor messages: ${formatCount(t.sentiment.positive)} positive, ${formatCount(t.sentiment.neutral)} neutral, ${formatCount(t.sentiment.negative)} negative.`,
    },
    {
      id: 'feedback', title: 'Ratings of answers',
      series: [
        { label: 'Helpful', values: pick((d) => d.feedback.helpfulAnswers), color: '--chart-3' },
        { label: 'Not helpful', values: pick((d) => d.feedback.unhelpfulAnswers), color: '--chart-4' },
      ],
      format: formatCount,
      summary: `${formatCount(t.feedback.helpfulAnswers)} helpful and ${formatCount(t.feedback.unhelpfulAnswers)} unhelpful ratings (${formatPercent(t.feedback.helpfulShare)} helpful); CSAT ${formatAverage(t.feedback.csatAverage)} from ${formatCount(t.feedback.csatResponses)} ratings.`,
    },
    {
      id: 'leads', title: 'Leads', bars: true,
      series: [{ label: 'Leads', values: pick((d) => d.leads), color: '--chart-2' }],
      format: formatCount,
      summary: `${formatCount(t.leads)} conversations left contact details.`,
    },
    {
      id: 'unanswered', title: 'Unanswered questions', bars: true,
      series: [{ label: 'Unanswered', values: pick((d) => d.unansweredQuestions), color: '--chart-4' }],
      format: formatCount,
      summary: `${formatCount(t.unansweredQuestions)} replies found no relevant knowledge (see Knowledge gaps).`,
    },
    {
      id: 'cost', title: 'AI provider cost', bars: true,
      series: [{ label: 'Cost (USD)', values: pick((d) => d.costUsd), color: '--chart-1' }],
      format: formatUsd,
      axis: (v) => `$${v.toFixed(v < 0.1 ? 3 : 2)}`,
      summary: `${formatUsd(t.costUsd)} over the period.`,
    },
  ], [report]); // everything here derives from the report
  if (t.conversations === 0 && t.messages === 0 && t.costUsd === 0) {
    return <EmptyState title="No activity in this period">Conversations appear here the day they start. Try a longer period.</EmptyState>;
  }
  return (
    <>
      <section className="ui-section" aria-labelledby="analytics-totals">
        <h2 id="analytics-totals">Totals, {period}</h2>
        <dl className="ui-stats" data-testid="analytics-totals">
          <Stat id="conversations" label="Conversations" value={formatCount(t.conversations)} />
          <Stat id="messages" label="Messages" value={formatCount(t.messages)} />
          <Stat id="unique-visitors" label="Unique visitors" value={formatCount(t.uniqueVisitors)} />
          <Stat id="resolved-share" label="Resolved by the bot" value={formatPercent(t.resolvedWithoutHandoffShare)} />
          <Stat id="handoff-rate" label="Handoff rate" value={formatPercent(handoffRate)} hint={`${formatCount(t.handedOffConversations)} conversations`} />
          <Stat id="ttft-median" label="First token, median" value={formatMs(t.ttftMedianMs)} />
          <Stat id="ttft-p95" label="First token, p95" value={formatMs(t.ttftP95Ms)} />
          <Stat id="helpful-share" label="Helpful answers" value={formatPercent(t.feedback.helpfulShare)} hint={`${formatCount(t.feedback.helpfulAnswers + t.feedback.unhelpfulAnswers)} rated answers`} />
          <Stat id="csat" label="CSAT (1–5)" value={formatAverage(t.feedback.csatAverage)} hint={`${formatPercent(t.feedback.csatSatisfiedShare)} satisfied`} />
          <Stat id="leads" label="Leads" value={formatCount(t.leads)} />
          <Stat id="unanswered" label="Unanswered" value={formatCount(t.unansweredQuestions)} />
          <Stat id="cost" label="AI cost" value={formatUsd(t.costUsd)} />
        </dl>
      </section>
      <section className="ui-section" aria-labelledby="analytics-charts">
        <h2 id="analytics-charts">Per day</h2>
        <div className="charts">
          {charts.map((chart) => <DayChart key={chart.id} {...chart} days={days} asTable={asTables} />)}
        </div>
      </section>
    </>
  );
}

/** What each provider's model answered and cost in the period (costsByModel), most expensive first. */
function CostsByModel({ botId, range }: { botId: string | null; range: DayRange }) {
  const [{ data }] = useQuery<{ costsByModel: ModelCost[] }>({ query: COSTS_BY_MODEL_QUERY, variables: { botId, ...range } });
  const rows = data?.costsByModel ?? [];
  if (rows.length === 0) return null;
  const total = rows.reduce((sum, r) => sum + r.costUsd, 0);
  return (
    <section className="ui-section" aria-labelledby="analytics-models">
      <h2 id="analytics-models">Cost by provider and model</h2>
      <div data-testid="costs-by-model">
        <Table
          caption="Cost by provider and model"
          captionHidden
          columns={[
            { header: 'Provider', cell: (r) => r.provider },
            { header: 'Model', cell: (r) => <span className="ui-mono">{r.model}</span> },
            { header: 'Replies', cell: (r) => formatCount(r.replies) },
            { header: 'Tokens in', cell: (r) => formatCount(r.inputTokens) },
            { header: 'Tokens out', cell: (r) => formatCount(r.outputTokens) },
            { header: 'Cost', cell: (r) => formatUsd(r.costUsd) },
            {
              header: 'Share of cost',
              cell: (r) => (
                <span className="model-share">
                  <span className="model-share__bar" aria-hidden="true"><span style={{ width: `${total > 0 ? (r.costUsd / total) * 100 : 0}%` }} /></span>
                  {formatPercent(total > 0 ? r.costUsd / total : null)}
                </span>
              ),
            },
          ]}
          rows={rows}
          rowKey={(r) => `${r.provider}/${r.model}`}
        />
      </div>
    </section>
  );
}

interface ChartSpec {
  id: string;
  title: string;
  series: DaySeries[];
  format: (v: number) => string;
  axis?: (v: number) => string;
  bars?: boolean;
  summary: string;
}

function busiest(report: Report, key: 'conversations'): string {
  const top = report.days.reduce((best, d) => (d[key] > best[key] ? d : best), report.days[0]!);
  return `${top.day} (${formatCount(top[key])})`;
}

function Stat({ id, label, value, hint }: { id: string; label: string; value: string; hint?: string }) {
  return (
    <div className="ui-stat">
      <dt>{label}</dt>
      <dd data-testid={`stat-${id}`}>{value}{hint ? <span className="ui-stat__hint">{hint}</span> : null}</dd>
    </div>
  );
}

/** Today's counters of each bot in scope, pushed by the server whenever they change (analyticsCounters). */
function LiveToday({ bots }: { bots: BotSummary[] }) {
  if (bots.length === 0) return null;
  return (
    <section className="ui-section" aria-labelledby="analytics-today">
      <h2 id="analytics-today">Today, live <span className="live-dot" aria-hidden="true" /></h2>
      <div className="live-today">
        {bots.slice(0, 12).map((bot) => <LiveBot key={bot.id} bot={bot} />)}
      </div>
    </section>
  );
}

function LiveBot({ bot }: { bot: BotSummary }) {
  const [{ data }] = useSubscription<{ analyticsCounters: TodayCounters }>({ query: COUNTERS_SUBSCRIPTION, variables: { botId: bot.id } });
  const today = data?.analyticsCounters;
  return (
    <div className="ui-card live-bot" data-testid="live-bot" aria-live="polite">
      <h3>{bot.name}</h3>
      {today ? (
        <dl className="live-bot__figures">
          <div><dt>Conversations</dt><dd data-testid="live-conversations">{formatCount(today.conversations)}</dd></div>
          <div><dt>Messages</dt><dd data-testid="live-messages">{formatCount(today.messages)}</dd></div>
          <div><dt>Visitors</dt><dd data-testid="live-visitors">{formatCount(today.uniqueVisitors)}</dd></div>
          <div><dt>Handoffs</dt><dd>{formatCount(today.handedOffConversations)}</dd></div>
          <div><dt>Leads</dt><dd>{formatCount(today.leads)}</dd></div>
        </dl>
      ) : <p className="ui-muted">Connecting…</p>}
    </div>
  );
}
