import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Button } from '../../ui/index.ts';
import { CANNED_REPLIES, SEND_AGENT_MESSAGE, SET_AGENT_TYPING, type CannedReply } from './operations.ts';
import { useTextSubmit } from './use-text-submit.ts';

/** "Typing" is repeated this often while the agent writes; the visitor's widget treats 5 s of silence as stopped. */
const TYPING_REPEAT_MS = 2000;

/** "/gre" → the canned replies whose shortcut starts with "gre"; anything else (a space, no slash) → none. */
function suggestionsFor(text: string, replies: readonly CannedReply[]): CannedReply[] {
  const typed = /^\/([a-z0-9_-]*)$/i.exec(text);
  if (!typed) return [];
  const prefix = typed[1]!.toLowerCase();
  return replies.filter((reply) => reply.shortcut.startsWith(prefix)).slice(0, 8);
}

const preview = (text: string) => (text.length > 70 ? `${text.slice(0, 67)}…` : text);

/**
 * The agent's reply box: Enter sends, Shift+Enter breaks the line. The team's canned replies come in two
 * ways: typing "/" and a shortcut lists the matches (arrows choose, Enter or Tab inserts, Escape closes), and
 * the picker beside Send lists them all.
 */
export function Composer({ conversationId, onSent }: { conversationId: string; onSent: () => void }) {
  const [highlighted, setHighlighted] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [, signalTyping] = useMutation(SET_AGENT_TYPING);
  const typingSent = useRef({ typing: false, at: 0 });
  // Best effort: a signal the server throttles or refuses changes nothing the agent needs to know.
  const announceTyping = (typing: boolean) => {
    const now = Date.now();
    if (typing === typingSent.current.typing && (!typing || now - typingSent.current.at < TYPING_REPEAT_MS)) return;
    typingSent.current = { typing, at: now };
    void signalTyping({ conversationId, typing });
  };
  const { text, setText, submit, fetching } = useTextSubmit(SEND_AGENT_MESSAGE, (message) => ({ conversationId, text: message }), () => {
    announceTyping(false);
    onSent();
  });
  const [canned] = useQuery<{ cannedReplies: CannedReply[] }>({ query: CANNED_REPLIES, requestPolicy: 'cache-and-network' });
  const replies = canned.data?.cannedReplies ?? [];
  const input = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  useEffect(() => input.current?.focus(), []);

  const suggestions = useMemo(() => (dismissed ? [] : suggestionsFor(text, replies)), [dismissed, text, replies]);
  const active = suggestions[Math.min(highlighted, suggestions.length - 1)];

  const insert = (reply: CannedReply) => {
    setText(reply.text);
    setDismissed(true);
    input.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (active) {
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
      if (event.key in moves) {
        event.preventDefault();
        setHighlighted((index) => (Math.min(index, suggestions.length - 1) + moves[event.key]! + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        insert(active);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(true);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  };
  return (
    <form className="inbox__composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="agent-reply">Reply to the visitor</label>
      {suggestions.length ? (
        <ul className="inbox__suggestions" id={listId} role="listbox" aria-label="Canned replies matching the shortcut">
          {suggestions.map((reply) => (
            <li
              key={reply.id}
              id={`${listId}-${reply.id}`}
              role="option"
              aria-selected={reply === active}
              className="inbox__suggestion"
              onMouseDown={(event) => {
                event.preventDefault();
                insert(reply);
              }}
            >
              <strong>/{reply.shortcut}</strong> <span className="inbox__muted">{preview(reply.text)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <textarea
        id="agent-reply"
        ref={input}
        className="ui-textarea"
        rows={2}
        placeholder="Write to the visitor… (Enter sends, Shift+Enter for a new line, / for canned replies)"
        value={text}
        // A textbox with a list of suggestions: aria-expanded belongs to combobox, which a textarea may not be.
        aria-autocomplete="list"
        aria-controls={suggestions.length ? listId : undefined}
        aria-activedescendant={active ? `${listId}-${active.id}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          // A "/" shortcut being typed is not a reply being written.
          announceTyping(event.target.value.trim() !== '' && !event.target.value.startsWith('/'));
          setHighlighted(0);
          setDismissed(false);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => announceTyping(false)}
      />
      <div className="inbox__composer-actions">
        <label className="visually-hidden" htmlFor="canned-replies">Insert a canned reply</label>
        <select
          id="canned-replies"
          className="ui-select"
          value=""
          disabled={replies.length === 0}
          onChange={(event) => {
            const reply = replies.find((candidate) => candidate.id === event.target.value);
            if (reply) insert(reply);
          }}
        >
          <option value="">{replies.length ? 'Canned replies…' : 'No canned replies yet'}</option>
          {replies.map((reply) => <option key={reply.id} value={reply.id}>/{reply.shortcut} · {preview(reply.text)}</option>)}
        </select>
        <Button type="submit" variant="primary" disabled={!text.trim() || fetching}>Send</Button>
      </div>
    </form>
  );
}
