import { useQuery } from 'urql';
import { errorText, when } from './errors.ts';
import { USAGE } from './operations.ts';


interface Meter {
  used: number;
  limit: number | null;
}
interface Usage {
  plan: string;
  period: string;
  resetsAt: string;
  messages: Meter;
  bots: Meter;
  knowledgeBytes: Meter;
  aiSpendMicroUsd: Meter;
}

const count = (n: number) => new Intl.NumberFormat('en-GB').format(n);
const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const dollars = (micro: number) => `$${(micro / 1_000_000).toFixed(2)}`;

/** The plan's monthly meters: what is used, the limit, and when the counters start again. */
export function PlanUsageTab() {
  const [{ data, error }] = useQuery<{ usage: Usage }>({ query: USAGE, requestPolicy: 'cache-and-network' });
  if (error) return <p className="ui-error" role="alert">{errorText(error)}</p>;
  if (!data) return <p className="ui-muted" role="status">Loading…</p>;
  const u = data.usage;
  return (
    <div className="ui-stack">
      <p>
        Plan <strong data-testid="plan-name">{u.plan}</strong> · billing month {u.period} · counters start again {when(u.resetsAt)} UTC
      </p>
      <div className="team__meters">
        <UsageMeter label="Messages this month" meter={u.messages} format={count} />
        <UsageMeter label="Bots" meter={u.bots} format={count} />
        <UsageMeter label="Knowledge" meter={u.knowledgeBytes} format={megabytes} />
        <UsageMeter label="AI spend this month" meter={u.aiSpendMicroUsd} format={dollars} />
      </div>
    </div>
  );
}

function UsageMeter({ label, meter, format }: { label: string; meter: Meter; format: (n: number) => string }) {
  const share = meter.limit ? Math.min(meter.used / meter.limit, 1) : 0;
  const level = share >= 1 ? 'team__bar--full' : share >= 0.8 ? 'team__bar--high' : '';
  const text = meter.limit === null ? `${format(meter.used)} (no limit)` : `${format(meter.used)} of ${format(meter.limit)}`;
  return (
    <div className="ui-card team__meter">
      <strong>{label}</strong>
      <span>{text}</span>
      {meter.limit !== null ? (
        <div className={`team__bar ${level}`} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={meter.limit} aria-valuenow={meter.used} aria-valuetext={text}>
          <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
    </div>
  );
}
