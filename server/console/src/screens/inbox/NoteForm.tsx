import { Button } from '../../ui/index.ts';
import { ADD_NOTE } from './operations.ts';
import { useTextSubmit } from './use-text-submit.ts';

/** Writes an internal note for the team: it shows in the transcript, marked, and never reaches the visitor. */
export function NoteForm({ conversationId, onAdded }: { conversationId: string; onAdded: () => void }) {
  const { text, setText, submit, fetching } = useTextSubmit(ADD_NOTE, (note) => ({ conversationId, text: note }), onAdded);
  return (
    <form className="inbox__note-form" onSubmit={submit} aria-label="Internal note">
      <label className="visually-hidden" htmlFor="internal-note">Internal note for the team (the visitor never sees it)</label>
      <input
        id="internal-note"
        className="ui-input"
        maxLength={4000}
        placeholder="Internal note for the team — the visitor never sees it"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <Button type="submit" size="small" disabled={!text.trim() || fetching}>Add note</Button>
    </form>
  );
}
