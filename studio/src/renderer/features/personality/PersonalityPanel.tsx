import { ANSWER_LENGTHS, BOT_TONES, type BotPersonality } from '@mascot/bot-bundle';
import { Choice, Field } from '../../ui/Field.tsx';
import { ANSWER_LENGTH_LABELS, TONE_LABELS } from '../../ui/labels.ts';
import { languageOptions } from '../../ui/languages.ts';
import type { BundleEditor } from '../../ui/use-bundle-draft.ts';

export function PersonalityPanel({ editor }: { editor: BundleEditor }) {
  const { draft, edit, errorAt } = editor;
  const personality = draft.personality;
  const set = <K extends keyof BotPersonality>(key: K, value: BotPersonality[K]) =>
    edit((b) => ({ ...b, personality: { ...b.personality, [key]: value } }));

  return (
    <form className="editor" aria-label="Personality" onSubmit={(e) => e.preventDefault()}>
      <section className="card">
        <h2>Voice</h2>
        <div className="grid">
          <Field label="Bot name" error={errorAt('name')}>
            {(props) => <input {...props} value={draft.name} maxLength={80} onChange={(e) => edit((b) => ({ ...b, name: e.target.value }))} />}
          </Field>
          <Field label="Language" error={errorAt('personality.language')} hint="The bot answers in this language.">
            {(props) => (
              <select {...props} value={personality.language} onChange={(e) => set('language', e.target.value)}>
                {languageOptions(personality.language).map((o) => <option key={o.tag} value={o.tag}>{o.name}</option>)}
              </select>
            )}
          </Field>
          <Field label="Greeting" error={errorAt('personality.greeting')} wide>
            {(props) => <input {...props} value={personality.greeting} maxLength={500} onChange={(e) => set('greeting', e.target.value)} />}
          </Field>
        </div>
        <Choice label="Tone" value={personality.tone} options={BOT_TONES} labels={TONE_LABELS} onChange={(v) => set('tone', v)} error={errorAt('personality.tone')} />
        <Choice label="Answer length" value={personality.answerLength} options={ANSWER_LENGTHS} labels={ANSWER_LENGTH_LABELS} onChange={(v) => set('answerLength', v)} error={errorAt('personality.answerLength')} />
      </section>
      <section className="card">
        <h2>When it does not know</h2>
        <Field label="Unknown-answer reply" hint="Empty: Mascot’s default for the tone." error={errorAt('personality.unknownAnswer')} wide>
          {(props) => (
            <input {...props} value={personality.unknownAnswer ?? ''} placeholder="I’m not sure about that — shall I connect you with the team?" maxLength={500}
              onChange={(e) => set('unknownAnswer', e.target.value === '' ? null : e.target.value)} />
          )}
        </Field>
      </section>
      <section className="card">
        <h2>Instructions for AI providers</h2>
        <Field label="Instructions" hint="Only AI providers read these; visitors never see them." error={errorAt('personality.systemPrompt')} wide>
          {(props) => <textarea {...props} rows={8} value={personality.systemPrompt} maxLength={8000} onChange={(e) => set('systemPrompt', e.target.value)} />}
        </Field>
      </section>
    </form>
  );
}
