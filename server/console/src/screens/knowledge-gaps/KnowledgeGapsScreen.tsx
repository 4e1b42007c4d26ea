import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { useViewer } from '../../app/viewer.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { DateRangePicker, lastDays, type DayRange } from '../../ui/DateRange.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Field, Input, Select, TextArea } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { useToast } from '../../ui/Toast.tsx';
import '../../ui/screens.css';
import './knowledge-gaps.css';
import { ASKED_IN, BOTS, CREATE_ANSWER, GAPS, PUBLISH } from './operations.ts';


interface QuestionGroup {
  representative: string;
  asked: number;
  unanswered: number;
  variants: string[];
}
interface GapsData {
  topQuestions: QuestionGroup[];
  curatedAnswers: { edges: { node: { id: string; question: string; paraphrases: string[] } }[] };
}

/** Questions compare as the analytics keys them: case, spacing and punctuation do not matter. */
const normalized = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
/** Roles that may write a curated answer (knowledge:write) and publish (bots:publish). */
const ANSWERING_ROLES = ['OWNER', 'ADMIN'];

/**
 * What visitors asked, grouped by meaning (topQuestions: offline embeddings, cosine ≥ 0.6), and the groups
 * the knowledge did not cover. "Answer this" writes a curated answer into the bot's draft; publishing makes
 * the bot answer it. A group a curated answer covers leaves the list of gaps.
 */
export default function KnowledgeGapsScreen() {
  const viewer = useViewer();
  const [range, setRange] = useState<DayRange>(() => lastDays(30));
  const [tab, setTab] = useState<'gaps' | 'top'>('gaps');
  const [selected, setSelected] = useState<string>();
  const [botsResult] = useQuery<{ bots: { edges: { node: { id: string; name: string } }[] } }>({ query: BOTS });
  const bots = botsResult.data?.bots.edges.map((e) => e.node) ?? [];
  const [botId, setBotId] = useState('');
  // Answers added to the draft since the last publish: the gap leaves the list at once, the banner offers to publish.
  const [unpublished, setUnpublished] = useState<string[]>([]);
  const [publishing, publish] = useMutation(PUBLISH);
  const notify = useToast();
  const publishNow = async () => {
    const result = await publish({ botId });
    if (result.error) return notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
    setUnpublished([]);
    notify(`Published version ${result.data.publishBot.number}: the bot answers ${unpublished.length === 1 ? 'it' : 'them'} now.`, 'success');
  };
  useEffect(() => {
    if (!botId && bots[0]) setBotId(bots[0].id);
  }, [botId, bots]);

  const [gapsResult] = useQuery<GapsData>({
    query: GAPS, variables: { botId, ...range }, pause: !botId,
    context: useMemo(() => ({ additionalTypenames: ['CuratedAnswer'] }), []),
  });
  const covered = useMemo(() => {
    const keys = new Set<string>();
    for (const { node } of gapsResult.data?.curatedAnswers.edges ?? []) for (const q of [node.question, ...node.paraphrases]) keys.add(normalized(q));
    return keys;
  }, [gapsResult.data]);
  const isCovered = (group: QuestionGroup) => [group.representative, ...group.variants].some((q) => covered.has(normalized(q)));
  const groups = gapsResult.data?.topQuestions ?? [];
  const gaps = groups.filter((g) => g.unanswered > 0 && !isCovered(g));
  const answeredCount = groups.filter((g) => g.unanswered > 0 && isCovered(g)).length;
  const shown = tab === 'gaps' ? gaps : groups;
  const current = shown.find((g) => g.representative === selected) ?? shown[0];

  return (
    <div>
      <div className="page-header">
        <div>
          <h1>Knowledge gaps</h1>
          <p>Questions visitors asked, grouped by meaning, and the ones the bot&apos;s knowledge did not cover.</p>
        </div>
      </div>
      <div className="ui-toolbar">
        <Field label="Bot">
          <Select value={botId} onChange={(e) => { setBotId(e.target.value); setSelected(undefined); setUnpublished([]); }}>
            {bots.map((bot) => <option key={bot.id} value={bot.id}>{bot.name}</option>)}
          </Select>
        </Field>
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      {unpublished.length ? (
        <div className="ui-card gaps__publish" role="status">
          <span>
            {unpublished.length === 1 ? `The answer to “${unpublished[0]}” is` : `${unpublished.length} answers are`} in the draft.
            Visitors get {unpublished.length === 1 ? 'it' : 'them'} once the bot is published.
          </span>
          <Button variant="primary" disabled={publishing.fetching} onClick={() => void publishNow()}>Publish now</Button>
        </div>
      ) : null}
      <Tabs
        label="Questions"
        tabs={[
          { key: 'gaps', label: <>Unanswered <Badge tone={gaps.length ? 'warning' : 'success'}>{gaps.length}</Badge></> },
          { key: 'top', label: <>Top questions <Badge>{groups.length}</Badge></> },
        ]}
        selected={tab}
        onSelect={(key) => { setTab(key); setSelected(undefined); }}
      >
        {gapsResult.error ? <p className="ui-error" role="alert">{gapsResult.error.graphQLErrors[0]?.message ?? gapsResult.error.message}</p> : null}
        {!gapsResult.data && (gapsResult.fetching || !botId) ? <p className="ui-muted" role="status">Loading questions…</p> : null}
        {gapsResult.data && shown.length === 0 ? (
          <EmptyState title={tab === 'gaps' ? 'No knowledge gaps in this period' : 'No questions in this period'}>
            {tab === 'gaps' && answeredCount > 0 ? `${answeredCount} answered by curated answers.` : 'Questions appear here as visitors ask them.'}
          </EmptyState>
        ) : null}
        {current ? (
          <div className="gaps">
            <div className="gaps__list">
              {tab === 'gaps' && answeredCount > 0 ? <p className="ui-muted">{answeredCount} answered by curated answers and left out.</p> : null}
              <Table
                caption={tab === 'gaps' ? 'Unanswered questions' : 'Top questions'}
                captionHidden
                columns={[
                  { header: 'Question', cell: (g) => <>{g.representative}{g.variants.length ? <span className="gaps__variants"> +{g.variants.length} wordings</span> : null}</> },
                  { header: 'Asked', cell: (g) => g.asked, width: '70px' },
                  { header: 'Unanswered', cell: (g) => (g.unanswered ? <Badge tone="warning">{g.unanswered}</Badge> : <Badge tone="success">0</Badge>), width: '110px' },
                ]}
                rows={shown}
                rowKey={(g) => g.representative}
                rowLabel={(g) => `${g.representative}, asked ${g.asked} times, unanswered ${g.unanswered}`}
                onRowActivate={(g) => setSelected(g.representative)}
                selectedKey={current.representative}
              />
            </div>
            <GapDetail
              key={`${botId}:${current.representative}`}
              botId={botId}
              group={current}
              range={range}
              mayAnswer={ANSWERING_ROLES.includes(viewer.role) && !isCovered(current)}
              onAnswered={(question) => setUnpublished([...unpublished, question])}
            />
          </div>
        ) : null}
      </Tabs>
    </div>
  );
}

function GapDetail({ botId, group, range, mayAnswer, onAnswered }: {
  botId: string;
  group: QuestionGroup;
  range: DayRange;
  mayAnswer: boolean;
  onAnswered: (question: string) => void;
}) {
  const notify = useToast();
  const [asked] = useQuery<{ conversations: { totalCount: number; edges: { node: { id: string; startedAt: string; messageCount: number } }[] } }>({
    query: ASKED_IN,
    variables: { filter: { botId, search: group.representative, from: `${range.from}T00:00:00.000Z` } },
  });
  const [question, setQuestion] = useState(group.representative);
  const [paraphrases, setParaphrases] = useState(group.variants.join('\n'));
  const [answer, setAnswer] = useState('');
  const [creating, create] = useMutation(CREATE_ANSWER);

  const save = async () => {
    const result = await create(
      { botId, input: { question: question.trim(), paraphrases: paraphrases.split('\n').map((p) => p.trim()).filter(Boolean), answer: answer.trim() } },
      { additionalTypenames: ['CuratedAnswer'] },
    );
    if (result.error) notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
    else onAnswered(question.trim());
  };

  return (
    <aside className="ui-card gaps__detail" aria-labelledby="gap-title">
      <h2 id="gap-title">{group.representative}</h2>
      <p className="ui-muted">Asked {group.asked} times; {group.unanswered} replies found no relevant knowledge.</p>
      {group.variants.length ? (
        <>
          <h3>Also asked as</h3>
          <ul className="gaps__wordings">{group.variants.map((v) => <li key={v}>{v}</li>)}</ul>
        </>
      ) : null}
      <h3>Conversations that asked it</h3>
      {asked.data ? (
        asked.data.conversations.edges.length ? (
          <ul className="gaps__conversations" data-testid="gap-conversations">
            {asked.data.conversations.edges.map(({ node }) => (
              <li key={node.id}>
                <Link href={`~/console/conversations/${node.id}`}>{new Date(node.startedAt).toISOString().slice(0, 16).replace('T', ' ')}</Link>
                <span className="ui-muted"> · {node.messageCount} messages</span>
              </li>
            ))}
            {asked.data.conversations.totalCount > 5 ? <li className="ui-muted">and {asked.data.conversations.totalCount - 5} more</li> : null}
          </ul>
        ) : <p className="ui-muted">None with this exact wording in the period.</p>
      ) : <p className="ui-muted" role="status">Loading…</p>}
      {mayAnswer ? (
          <form className="ui-stack gaps__answer" onSubmit={(e) => { e.preventDefault(); void save(); }}>
            <h3>Answer this</h3>
            <Field label="Question"><Input value={question} onChange={(e) => setQuestion(e.target.value)} required /></Field>
            <Field label="Other wordings" hint="One per line; they match too."><TextArea rows={3} value={paraphrases} onChange={(e) => setParaphrases(e.target.value)} /></Field>
            <Field label="Answer"><TextArea rows={4} value={answer} onChange={(e) => setAnswer(e.target.value)} required /></Field>
            <div className="ui-row"><Button type="submit" variant="primary" disabled={creating.fetching || !answer.trim() || !question.trim()}>Add to the draft</Button></div>
          </form>
      ) : null}
    </aside>
  );
}
