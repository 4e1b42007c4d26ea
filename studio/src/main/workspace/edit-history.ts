/** How many edits undo can walk back; older ones are dropped. */
export const MAX_UNDO_STEPS = 200;

/** Undo/redo over immutable snapshots of a document: cheap to reason about, and a bundle is small. */
export class EditHistory<T> {
  private readonly past: T[] = [];
  private future: T[] = [];
  private steps = 0;

  /** Records `previous` as the state before a new edit; a new edit clears what could be redone. */
  record(previous: T): void {
    this.past.push(previous);
    if (this.past.length > MAX_UNDO_STEPS) this.past.shift();
    this.future = [];
    this.steps += 1;
  }

  /** The state to return to, given the current one; null when there is nothing to undo. */
  undo(current: T): T | null {
    const previous = this.past.pop();
    if (previous === undefined) return null;
    this.future.push(current);
    this.steps += 1;
    return previous;
  }

  redo(current: T): T | null {
    const next = this.future.pop();
    if (next === undefined) return null;
    this.past.push(current);
    this.steps += 1;
    return next;
  }

  /**
   * Counts edits, undos and redos: of two answers about the document, the one with the higher count is
   * newer, whatever order they arrive in.
   */
  get sequence(): number {
    return this.steps;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
