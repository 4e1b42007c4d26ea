import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { AvatarSlot } from './AvatarSlot.tsx';
import { Composer } from './Composer.tsx';
import { friendlyError, MISSING_EMBED_ID } from './errors.ts';
import { HandoffNotice } from './HandoffNotice.tsx';
import { pickLocale } from './i18n/catalogue.ts';
import { createI18n, I18nContext } from './i18n/use-i18n.ts';
import { LeadForm } from './LeadForm.tsx';
import { MessageList } from './MessageList.tsx';
import { StatusLine } from './StatusLine.tsx';
import { colorSchemeFor, DEFAULT_THEME, themeVariables } from './theme/theme.ts';
import { useConversation } from './use-conversation.ts';
import { useHostAnnouncements, useHostBridge } from './use-host-bridge.ts';

interface ChatAppProps {
  embedId: string | null;
  /** The host page's origin (validated `host=` param), or null when not embedded by the loader. */
  hostOrigin: string | null;
}

/** The visitor's preferred languages, best first. */
function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export function ChatApp({ embedId, hostOrigin }: ChatAppProps) {
  const conversation = useConversation(embedId);
  const { bot, avatarSignals } = conversation;
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const focusComposer = useCallback(() => inputRef.current?.focus(), []);
  const hostBridge = useHostBridge(hostOrigin, focusComposer);
  useHostAnnouncements(hostBridge, conversation.messages, conversation.contactForm);

  // The loader focuses the iframe when it opens; take focus to the composer as
  // soon as it exists. (Cross-origin frames may only focus themselves once the
  // parent has given them focus, so this can fail silently on its own; the
  // 'opened' message from the loader covers that case.)
  useEffect(() => {
    focusComposer();
  }, [focusComposer]);

  const locale = pickLocale(bot?.language, browserLanguages());
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const { t } = i18n;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const botName = bot?.name ?? t('assistantName');
  useEffect(() => {
    document.title = bot ? t('documentTitle', { name: bot.name }) : t('chatTitle');
  }, [bot, t]);

  const theme = bot?.theme ?? DEFAULT_THEME;
  const themeStyle = useMemo(
    (): CSSProperties => ({ ...themeVariables(theme), colorScheme: colorSchemeFor(theme.backgroundColor) }),
    [theme],
  );
  // The avatar's stage is large until the transcript first needs the room, then stays compact for
  // the rest of the conversation (growing back as messages scroll would make the header jump).
  // A new conversation, the greeting alone again, gives the stage back.
  const [transcriptOverflowed, setTranscriptOverflowed] = useState(false);
  const onTranscriptOverflow = useCallback(() => setTranscriptOverflowed(true), []);
  const freshTranscript = conversation.messages.length <= 1;
  useEffect(() => {
    if (freshTranscript) setTranscriptOverflowed(false);
  }, [freshTranscript]);
  const stage = bot?.avatar ? (transcriptOverflowed ? 'compact' : 'large') : undefined;

  const onTypingChange = useCallback(
    (active: boolean) => avatarSignals.emit({ type: 'visitor-typing', active }),
    [avatarSignals],
  );

  return (
    <I18nContext.Provider value={i18n}>
      <div className="chat" style={themeStyle}>
        <header className="chat__header" data-stage={stage}>
          <AvatarSlot bot={bot} signals={avatarSignals} primaryColor={theme.primaryColor} />
          <div className="chat__heading">
            <h1 className="chat__title">{bot?.name ?? t('chatTitle')}</h1>
            {conversation.phase === 'active' && (
              <button type="button" className="chat__new-conversation" onClick={conversation.newConversation}>
                {t('newConversation')}
              </button>
            )}
          </div>
        </header>

        <StatusLine phase={conversation.phase} connection={conversation.connection} onReconnect={conversation.restart} />
        <HandoffNotice handoff={conversation.handoff} />

        {conversation.phase === 'failed' ? (
          <div className="chat__error" role="alert">
            <p>{friendlyError(conversation.fatalError, 'start', i18n.messages)}</p>
            {conversation.fatalError !== MISSING_EMBED_ID && (
              <button type="button" onClick={conversation.restart}>
                {t('tryAgain')}
              </button>
            )}
          </div>
        ) : (
          <MessageList
            messages={conversation.messages}
            botName={botName}
            botLanguage={bot?.language}
            onRetry={conversation.retry}
            canRetry={conversation.canSend}
            onOverflow={onTranscriptOverflow}
          />
        )}

        {conversation.phase === 'active' && (
          <LeadForm
            state={conversation.contactForm}
            botName={botName}
            onSubmit={conversation.submitContactDetails}
            onDismiss={() => conversation.setContactForm('dismissed')}
            initial={hostBridge.identifiedVisitor ?? undefined}
          />
        )}

        {conversation.phase !== 'failed' && (
          <Composer
            onSend={conversation.send}
            canSend={conversation.canSend}
            inputRef={inputRef}
            onTypingChange={onTypingChange}
          />
        )}

        {theme.showBranding && <footer className="chat__branding">{t('poweredBy')}</footer>}
      </div>
    </I18nContext.Provider>
  );
}
