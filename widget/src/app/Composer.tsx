import { useState, type KeyboardEvent, type Ref } from 'react';

interface ComposerProps {
  /** Returns false when the message was not accepted (e.g. still connecting), so the text stays. */
  onSend(text: string): boolean;
  canSend: boolean;
  inputRef?: Ref<HTMLTextAreaElement>;
}

/**
 * The message box. The textarea stays editable while connecting so the visitor
 * can start typing at once; only sending waits for the live connection.
 */
export function Composer({ onSend, canSend, inputRef }: ComposerProps) {
  const [text, setText] = useState('');
  const ready = canSend && text.trim() !== '';

  const submit = (): void => {
    if (ready && onSend(text)) setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    // Enter sends, Shift+Enter adds a newline. While an IME is composing, Enter
    // confirms the composition (CJK input) and must not send half a word.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor="composer-input" className="sr-only">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={inputRef}
        className="composer__input"
        rows={1}
        placeholder="Type a message…"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        enterKeyHint="send"
        autoComplete="off"
      />
      <button type="submit" className="composer__send" aria-label="Send" disabled={!ready}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 12l16-8-6 16-2-7-8-1z" />
        </svg>
      </button>
    </form>
  );
}
