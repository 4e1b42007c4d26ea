// The one channel between the chat and the avatar. The chat emits what happened (the conversation
// hook: a cue from the server, reply text as it streams, the reply's end; the composer: the visitor
// typing); the avatar stage listens (taps on the avatar it handles itself). Keeping it a plain
// emitter means the chat never imports three.js and works the same whether the avatar chunk has
// loaded, failed, or was never wanted.

export type AvatarSignal =
  /** The server's AvatarCue: `slot` is one of ANIMATION_SLOTS (@mascot/avatar-core). */
  | { type: 'cue'; slot: string; messageId: string | null }
  /** Reply text as it streams; the avatar lip-syncs to it. */
  | { type: 'speech'; messageId: string; delta: string }
  /** The reply finished (or failed): stop talking. */
  | { type: 'speech-end'; messageId: string }
  /** The visitor is typing a message (start) or stopped (end). */
  | { type: 'visitor-typing'; active: boolean };

export type AvatarSignalListener = (signal: AvatarSignal) => void;

export class AvatarSignals {
  readonly #listeners = new Set<AvatarSignalListener>();

  emit(signal: AvatarSignal): void {
    for (const listener of this.#listeners) {
      // A broken avatar must never break the chat.
      try {
        listener(signal);
      } catch (error) {
        console.error('[mascot] avatar listener failed', error);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: AvatarSignalListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
