import { lazy, useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { AvatarSlot } from './AvatarSlot.tsx';
import { Composer } from './Composer.tsx';
import { ConversationMenu } from './ConversationMenu.tsx';
import { friendlyError, MISSING_EMBED_ID } from './errors.ts';
import { FeedbackPrompt, START_OVER_PROMPT_ID } from './FeedbackPrompt.tsx';
import { HandoffNotice } from './HandoffNotice.tsx';
import { pickLocale } from './i18n/catalogue.ts';
import { I18nContext, useLocaleI18n } from './i18n/use-i18n.ts';
import { LazyPart } from './LazyPart.tsx';
import { MessageList } from './MessageList.tsx';
import { NewConversation } from './NewConversation.tsx';
import { StatusLine } from './StatusLine.tsx';
import { colorSchemeFor, DEFAULT_THEME, themeVariables } from './theme/theme.ts';
import { usePrefersDark } from './theme/use-prefers-dark.ts';
import { isReplyInProgress } from './conversation-state.ts';
import { useConversation } from './use-conversation.ts';
import { FeedbackContext, useFeedback } from './use-feedback.ts';
import { useHostAnnouncements, useHostBridge } from './use-host-bridge.ts';

// Offered only when the bot could not help or the visitor waits for a person: a chunk of its own,
// outside the chat's first download (LazyPart).
const LeadForm = lazy(() => import('./LeadForm.tsx').then((module) => ({ default: module.LeadForm })));
// Only after a reply that offers a person; a chunk that cannot load leaves the reply's own words,
// which the visitor can answer by writing.
const HandoffOffer = lazy(() => import('./HandoffOffer.tsx').then((module) => ({ default: module.HandoffOffer })));

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
  useHostAnnouncements(hostBridge, conversation.messages, conversation.contactForm, bot?.name);

  // The loader focuses the iframe when it opens; take focus to the composer as
  // soon as it exists. (Cross-origin frames may only focus themselves once the
  // parent has given them focus, so this can fail silently on its own; the
  // 'opened' message from the loader covers that case.)
  useEffect(() => {
    focusComposer();
  }, [focusComposer]);

  const i18n = useLocaleI18n(pickLocale(bot?.language, browserLanguages()));
  const { t, locale } = i18n;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const botName = bot?.name ?? t('assistantName');
  useEffect(() => {
    document.title = bot ? t('documentTitle', { name: bot.name }) : t('chatTitle');
  }, [bot, t]);

  const theme = bot?.theme ?? DEFAULT_THEME;
  const prefersDark = usePrefersDark();
  const themeStyle = useMemo((): CSSProperties => {
    const variables = themeVariables(theme, prefersDark);
    return { ...variables, colorScheme: colorSchemeFor(variables['--bg']!) };
  }, [theme, prefersDark]);
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

  // Feedback (issue 14): 👍/👎 under answers, a CSAT rating when the visitor starts over or a person
  // hands back, and the transcript download in the header's menu.
  const hasVisitorMessages = conversation.messages.some((message) => message.kind === 'visitor');
  const feedback = useFeedback({
    conversationId: conversation.conversationId,
    handoffStatus: conversation.handoff.status,
    hasVisitorMessages,
    rateAnswer: conversation.rateAnswer,
    rateConversation: conversation.rateConversation,
  });
  const { endConversation, askCsat } = feedback;
  const { newConversation, query } = conversation;
  const startOver = useCallback(() => endConversation(newConversation), [endConversation, newConversation]);
  // The transcript's formatting is needed only when the visitor asks for it: a chunk of its own keeps
  // the chat's first download within its size budget (bench/widget-budgets). A chunk that cannot load
  // (offline) reports a failed download like any other.
  const download = useCallback(
    (format: 'txt' | 'html') =>
      import('./transcript-download.ts')
        .then(({ downloadTranscript }) => downloadTranscript(query, format, botName, i18n))
        .catch(() => false),
    [query, botName, i18n],
  );
  const downloadText = useCallback(() => download('txt'), [download]);
  const downloadPrintable = useCallback(() => download('html'), [download]);
  const rateFromMenu = useCallback(() => askCsat('menu'), [askCsat]);

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
              <div className="chat__actions">
                <NewConversation
                  asks={hasVisitorMessages}
                  asking={feedback.startingOver}
                  controls={START_OVER_PROMPT_ID}
                  onClick={startOver}
                />
                <ConversationMenu
                  onDownloadText={downloadText}
                  onDownloadPrintable={downloadPrintable}
                  onRate={hasVisitorMessages ? rateFromMenu : null}
                />
              </div>
            )}
          </div>
        </header>

        <StatusLine phase={conversation.phase} connection={conversation.connection} onReconnect={conversation.restart} />
        <HandoffNotice
          handoff={conversation.handoff}
          unavailable={conversation.contactForm === 'offered' ? conversation.unavailable : null}
          onCancel={() => void conversation.answerHandoff('cancel')}
        />

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
          <FeedbackContext.Provider value={feedback}>
            <MessageList
              messages={conversation.messages}
              botName={botName}
              botLanguage={bot?.language}
              onRetry={conversation.retry}
              canRetry={conversation.canSend}
              onOverflow={onTranscriptOverflow}
            />
          </FeedbackContext.Provider>
        )}

        {conversation.phase === 'active' && conversation.handoffOffer && !isReplyInProgress(conversation.messages) && (
          <LazyPart>
            <HandoffOffer onAccept={() => void conversation.answerHandoff('request')} onDecline={() => void conversation.answerHandoff('decline')} />
          </LazyPart>
        )}

        {conversation.phase === 'active' && (conversation.contactForm === 'offered' || conversation.contactForm === 'submitted') && (
          <LazyPart onDismiss={() => conversation.setContactForm('dismissed')}>
            <LeadForm
              state={conversation.contactForm}
              botName={botName}
              onSubmit={conversation.submitContactDetails}
              onDismiss={() => conversation.setContactForm('dismissed')}
              initial={hostBridge.identifiedVisitor ?? undefined}
            />
          </LazyPart>
        )}

        {conversation.phase === 'active' && <FeedbackPrompt feedback={feedback} visitorWrote={hasVisitorMessages} />}

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
