import { useEffect, useRef } from 'react';
import { onStudioEvent, type StudioEvent } from './studio.ts';

/** Calls `handler` with every event main pushes while the component is mounted (the latest handler, no resubscribing). */
export function useStudioEvent(handler: (event: StudioEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => onStudioEvent((event) => latest.current(event)), []);
}
