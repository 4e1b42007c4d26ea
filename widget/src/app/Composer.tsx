import { useId, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { composerLimit } from './composer-limit.ts';
import { useI18n } from './i18n/use-i18n.ts';

interface ComposerProps {
  /** Returns false when the message was not accepted (e.g. still connecting), so the text stays. */
  onSend(text: string): boolean;
  canSend: boolean;
  inputRef?: Ref<HTMLTextAreaElement>;
  /** Called when the visitor starts (true) or stops (false) having a draft, e.g. for the avatar to look attentive. */
  onTypingChange?(active: boolean): void;
}

/**
 * The message box. The textarea stays editable while connecting so the visitor
 * can start typing at once; only sending waits for the live connection.
 */
export function Composer({ onSend, canSend, inputRef, onTypingChange }: ComposerProps) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const typing = useRef(false);
  const counterId = useId();
  const limit = composerLimit(text);
  // Too long: sending is refused and the draft stays, so the visitor can shorten it.
  const ready = canSend && text.trim() !== '' && !limit.over;

  const update = (next: string): void => {
    setText(next);
    const active = next.trim() !== '';
    if (active !== typing.current) {
      typing.current = active;
      onTypingChange?.(active);
    }
  };

  const submit = (): void => {
    if (ready && onSend(text)) update('');
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
        {t('composerLabel')}
      </label>
      <textarea
        id="composer-input"
        ref={inputRef}
        className="composer__input"
        rows={1}
        placeholder={t('composerPlaceholder')}
        value={text}
        onChange={(event) => update(event.target.value)}
        onKeyDown={onKeyDown}
        enterKeyHint="send"
        autoComplete="off"
        // Each message lays itself out by its own first strong character: Arabic or Hebrew right to left.
        dir="auto"
        aria-invalid={limit.over || undefined}
        aria-describedby={limit.near ? counterId : undefined}
      />
      {limit.near && (
        // Polite, and only near the limit: a screen reader hears the count when it matters.
        <p id={counterId} className={`composer__counter${limit.over ? ' composer__counter--over' : ''}`} aria-live="polite">
          {limit.over ? t('composerTooLong', { count: String(-limit.remaining) }) : t('composerRemaining', { count: String(limit.remaining) })}
        </p>
      )}
      <button type="submit" className="composer__send" aria-label={t('send')} disabled={!ready}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 12l16-8-6 16-2-7-8-1z" />
        </svg>
      </button>
    </form>
  );
}
