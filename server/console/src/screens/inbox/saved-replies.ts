import { useCallback, useState } from 'react';

/**
 * The agent's saved replies, kept in this browser (localStorage, per member): the API has no canned
 * replies shared by a team yet, so these are personal and do not follow the agent to another browser.
 */
const keyFor = (userId: string) => `mascot-console:saved-replies:${userId}`;
const MAX_SAVED = 30;

function load(userId: string): string[] {
  try {
    const saved: unknown = JSON.parse(window.localStorage.getItem(keyFor(userId)) ?? '[]');
    return Array.isArray(saved) ? saved.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export function useSavedReplies(userId: string) {
  const [replies, setReplies] = useState(() => load(userId));
  const store = useCallback((next: string[]) => {
    setReplies(next);
    window.localStorage.setItem(keyFor(userId), JSON.stringify(next));
  }, [userId]);
  const save = useCallback((text: string) => {
    const trimmed = text.trim();
    if (trimmed) store([trimmed, ...replies.filter((reply) => reply !== trimmed)].slice(0, MAX_SAVED));
  }, [replies, store]);
  const remove = useCallback((text: string) => store(replies.filter((reply) => reply !== text)), [replies, store]);
  return { replies, save, remove };
}
