import { useRef, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { SERVER_CHAT_HISTORY_TURNS, studio, type ChatReply, type ChatTurn, type ProjectState } from '../../studio.ts';
import { useAction } from '../../use-action.ts';
import { useStudioEvent } from '../../use-studio-event.ts';
import { ChatMode, type ChatModeName } from './ChatMode.tsx';

type Turn = { question: string; reply: ChatReply };

const dollars = (microUsd: number) => `$${(microUsd / 1_000_000).toFixed(6)}`;

/**
 * Chat with the bot. Local: the offline provider over this project's own knowledge, no network.
 * Server: the linked bot's draft (as edited here) through the tenant's provider chain, streamed.
 */
export function ChatPanel({ project }: { project: ProjectState }) {
  const { busy, error, run } = useAction();
  const [mode, setMode] = useState<ChatModeName>('local');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [message, setMessage] = useState('');
  const [streaming, setStreaming] = useState<{ question: string; replyId: string; text: string } | null>(null);
  const replyId = useRef<string | null>(null);

  useStudioEvent((event) => {
    if (event.type !== 'chatDelta' || event.replyId !== replyId.current) return;
    setStreaming((s) => (s ? { ...s, text: s.text + event.delta } : s));
  });

  const ask = async (question: string): Promise<ChatReply> => {
    if (mode === 'local') return studio.chat(project.id, question);
    const id = crypto.randomUUID();
    replyId.current = id;
    setStreaming({ question, replyId: id, text: '' });
    const history: ChatTurn[] = turns.slice(-SERVER_CHAT_HISTORY_TURNS / 2).flatMap((t) => [
      { role: 'visitor' as const, text: t.question },
      { role: 'bot' as const, text: t.reply.text },
    ]);
    try {
      return await studio.chatOnServer(project.id, { message: question, replyId: id, history });
    } finally {
      replyId.current = null;
      setStreaming(null);
    }
  };

  return (
    <div className="chat">
      <ChatMode mode={mode} linked={project.link !== null} onChange={setMode} />
      <ol className="log" role="log" aria-live="polite">
        <li className="bot">{project.bundle.personality.greeting}</li>
        {turns.map((turn, i) => (
          <li key={i}>
            <p className="visitor">{turn.question}</p>
            <div className="bot">
              <p>{turn.reply.text}</p>
              {turn.reply.citations.length > 0 && (
                <details open>
                  <summary>Sources</summary>
                  <ol>
                    {turn.reply.citations.map((c) => (
                      <li key={c.marker}>[{c.marker}] {c.documentTitle}{c.sectionPath.length > 0 ? ` › ${c.sectionPath.join(' › ')}` : ''}: “{c.snippet}”</li>
                    ))}
                  </ol>
                </details>
              )}
              <p className="muted">
                Avatar: {turn.reply.reaction.slot} ({turn.reply.reaction.reason})
                {turn.reply.served && (
                  <span data-testid="served"> · answered by {turn.reply.served.provider} ({turn.reply.served.model}), {dollars(turn.reply.served.costMicroUsd)}</span>
                )}
              </p>
            </div>
          </li>
        ))}
        {streaming && (
          <li>
            <p className="visitor">{streaming.question}</p>
            <div className="bot" data-testid="streaming" aria-busy="true"><p>{streaming.text || '…'}</p></div>
          </li>
        )}
      </ol>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const question = message;
          void run(() => ask(question)).then((reply) => {
            if (!reply) return;
            setTurns((t) => [...t, { question, reply }]);
            setMessage('');
          });
        }}
      >
        <label>Message <input value={message} onChange={(e) => setMessage(e.target.value)} /></label>
        <button type="submit" disabled={busy || !message.trim()}>Send</button>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}
