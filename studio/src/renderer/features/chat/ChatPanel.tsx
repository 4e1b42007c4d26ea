import { useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type ChatReply, type ProjectState } from '../../studio.ts';
import { useAction } from '../../use-action.ts';

type Turn = { question: string; reply: ChatReply };

/** Chat with the bot locally: the offline provider over this project's own knowledge, no network. */
export function ChatPanel({ project }: { project: ProjectState }) {
  const { busy, error, run } = useAction();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [message, setMessage] = useState('');

  return (
    <div className="chat">
      <p className="muted">Offline: answers come from this project's knowledge, with sources, in the bot's tone.</p>
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
              <p className="muted">Avatar: {turn.reply.reaction.slot} ({turn.reply.reaction.reason})</p>
            </div>
          </li>
        ))}
      </ol>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const question = message;
          void run(() => studio.chat(project.id, question)).then((reply) => {
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
