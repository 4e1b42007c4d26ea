import { useQuery } from 'urql';
import { formatDateTime, hostOf, sentimentLabel } from '../app/format.ts';
import { Badge } from '../ui/index.ts';
import { Link } from 'wouter';
import { BOT_LANGUAGE, VISITOR_CONVERSATIONS, reasonLabel, statusLabel, statusTone, type BotLanguageResult, type ConversationDetail, type Source, type VisitorConversationsResult, type TranscriptMessage } from './operations.ts';


/** Every source the bot cited in the conversation, once, most cited first. */
function citedSources(messages: readonly TranscriptMessage[]): { source: Source; times: number }[] {
  const byKey = new Map<string, { source: Source; times: number }>();
  for (const message of messages) {
    for (const source of message.sources) {
      const key = [source.documentTitle, ...source.sectionPath].join(' › ');
      const seen = byKey.get(key);
      if (seen) seen.times++;
      else byKey.set(key, { source, times: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => b.times - a.times);
}

/** The exchange's mood as the avatar read it (stored on the bot's replies): the mean, and the latest. */
function visitorSentiment(messages: readonly TranscriptMessage[]) {
  const scores = messages.filter((m) => m.sentiment != null).map((m) => m.sentiment!);
  if (!scores.length) return undefined;
  return { mean: scores.reduce((a, b) => a + b, 0) / scores.length, latest: scores.at(-1)! };
}

/** Beside a conversation: where the visitor is, which variant and language, their contact details, what the bot cited and how they feel. */
export function ConversationFacts({ conversation, showLead }: { conversation: ConversationDetail; showLead: boolean }) {
  const [bot] = useQuery<BotLanguageResult>({ query: BOT_LANGUAGE, variables: { id: conversation.bot.id } });
  const [earlier] = useQuery<VisitorConversationsResult>({
    query: VISITOR_CONVERSATIONS,
    variables: { visitorId: conversation.visitorId ?? '' },
    pause: !conversation.visitorId,
  });
  const others = earlier.data?.conversations.edges.map((edge) => edge.node).filter((other) => other.id !== conversation.id) ?? [];
  const messages = conversation.messages.edges.map((edge) => edge.node);
  const sources = citedSources(messages);
  const mood = visitorSentiment(messages);
  const moodLabel = sentimentLabel(mood?.mean);
  const language = bot.data?.bot.liveVersion?.config.personality?.language;
  const lead = conversation.lead;
  return (
    <div className="facts" data-testid="conversation-facts">
      <section aria-labelledby="facts-visitor">
        <h3 id="facts-visitor">Visitor</h3>
        <dl>
          <dt>Status</dt>
          <dd><Badge tone={statusTone[conversation.status]}>{statusLabel[conversation.status]}</Badge>{conversation.agent ? ` ${conversation.agent.name}` : ''}</dd>
          {conversation.handoff.reason ? (<><dt>Why</dt><dd>{reasonLabel[conversation.handoff.reason]}</dd></>) : null}
          <dt>Page</dt>
          <dd>{conversation.hostOrigin ? <span title={conversation.hostOrigin}>{hostOf(conversation.hostOrigin)}</span> : <span className="facts__muted">Not known</span>}</dd>
          <dt>Bot</dt>
          <dd>{conversation.bot.name}</dd>
          <dt>Variant</dt>
          <dd>{conversation.variantId ?? <span className="facts__muted">No experiment</span>}</dd>
          <dt>Language</dt>
          <dd>{language ?? <span className="facts__muted">—</span>}</dd>
          <dt>Started</dt>
          <dd>{formatDateTime(conversation.startedAt)}</dd>
          <dt>Visitor id</dt>
          <dd><code>{conversation.visitorId ?? '—'}</code></dd>
          {conversation.rating ? (<><dt>Rating</dt><dd>{'★'.repeat(conversation.rating.rating)}{'☆'.repeat(5 - conversation.rating.rating)}{conversation.rating.comment ? ` “${conversation.rating.comment}”` : ''}</dd></>) : null}
        </dl>
      </section>

      <section aria-labelledby="facts-lead">
        <h3 id="facts-lead">Lead</h3>
        {!showLead ? (
          <p className="facts__muted">{conversation.hasLead ? 'Left contact details (your role cannot read leads).' : 'No contact details.'}</p>
        ) : lead ? (
          <dl>
            <dt>Name</dt><dd>{lead.name ?? '—'}</dd>
            <dt>Email</dt><dd>{lead.email ? <a href={`mailto:${lead.email}`}>{lead.email}</a> : '—'}</dd>
            <dt>Phone</dt><dd>{lead.phone ?? '—'}</dd>
            <dt>Contact</dt><dd>{lead.wantsContact ? 'Wants to be contacted' : 'Not asked'}{lead.consentedAt ? ' (consented)' : ''}</dd>
            {lead.handledAt ? (<><dt>Handled</dt><dd>{formatDateTime(lead.handledAt)}</dd></>) : null}
          </dl>
        ) : (
          <p className="facts__muted">No contact details yet.</p>
        )}
      </section>

      <section aria-labelledby="facts-earlier">
        <h3 id="facts-earlier">Earlier conversations</h3>
        {others.length ? (
          <ul data-testid="earlier-conversations">
            {others.map((other) => (
              <li key={other.id}>
                {/* ~: out of the screen's nested routes, to the Conversations screen (same app, no reload). */}
                <Link href={`~/console/conversations/${other.id}`}>{formatDateTime(other.startedAt)}</Link>
                <span className="facts__muted"> · {other.bot.name} · {other.messageCount} messages</span>
              </li>
            ))}
          </ul>
        ) : <p className="facts__muted">{conversation.visitorId ? 'None: the first time this visitor writes.' : 'Not known (no visitor id).'}</p>}
      </section>

      <section aria-labelledby="facts-sentiment">
        <h3 id="facts-sentiment">Sentiment</h3>
        {mood && moodLabel ? (
          <p className="facts__muted"><Badge tone={moodLabel.tone}>{moodLabel.label}</Badge> mean {mood.mean.toFixed(2)}, latest {mood.latest.toFixed(2)}</p>
        ) : <p className="facts__muted">No replies scored yet.</p>}
      </section>

      <section aria-labelledby="facts-sources">
        <h3 id="facts-sources">Sources the bot cited</h3>
        {sources.length ? (
          <ul data-testid="cited-sources">
            {sources.map(({ source, times }) => (
              <li key={[source.documentTitle, ...source.sectionPath].join('›')}>
                {[source.documentTitle, ...source.sectionPath].join(' › ')}{times > 1 ? ` (${times}×)` : ''}
              </li>
            ))}
          </ul>
        ) : <p className="facts__muted">None yet.</p>}
      </section>
    </div>
  );
}
