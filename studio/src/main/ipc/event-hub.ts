// The main process's side of the event channel: parts of the core emit events here, and whatever
// shows them (the Electron window, the test bridge) subscribes. Every event is checked against
// studioEventSchema before anyone receives it, so the renderer only ever gets well-formed events.
import { studioEventSchema, type StudioEvent, type StudioEventListener } from '../../shared/studio-events.ts';

export class StudioEventHub {
  private readonly listeners = new Set<StudioEventListener>();

  /** `onInvalid` hears about events that fail the schema (a bug in main); they are dropped, never sent. */
  constructor(private readonly onInvalid: (error: unknown) => void = () => {}) {}

  emit(event: StudioEvent): void {
    const parsed = studioEventSchema.safeParse(event);
    if (!parsed.success) {
      this.onInvalid(parsed.error);
      return;
    }
    for (const listener of this.listeners) listener(parsed.data);
  }

  subscribe(listener: StudioEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
