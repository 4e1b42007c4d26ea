export type ChatModeName = 'local' | 'server';

const MODES: { name: ChatModeName; label: string }[] = [
  { name: 'local', label: 'Local' },
  { name: 'server', label: 'Server' },
];

/** Where the test chat is answered, and what that means, in one line. */
export function ChatMode({ mode, linked, onChange }: { mode: ChatModeName; linked: boolean; onChange: (mode: ChatModeName) => void }) {
  return (
    <div className="row chat-mode">
      <div role="radiogroup" aria-label="Chat mode" className="row">
        {MODES.map(({ name, label }) => (
          <button key={name} type="button" role="radio" aria-checked={mode === name} disabled={name === 'server' && !linked} onClick={() => onChange(name)}>
            {label}
          </button>
        ))}
      </div>
      <p className="muted">
        {mode === 'local'
          ? `Offline: answers come from this project's knowledge, with sources, in the bot's tone.${linked ? '' : ' Link the project in Publish to chat through the server too.'}`
          : "Server: this draft (unsynced edits included) answers through your tenant's AI providers, from the knowledge synced to the server. Costs count in your AI spend."}
      </p>
    </div>
  );
}
