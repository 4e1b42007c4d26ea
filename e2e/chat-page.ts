import type { FrameLocator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Sends `question` from the chat app (a page that opened /widget/ itself, or the loader's iframe) once
 * it may: its Send button enables only when the event subscription is live, so no reply is missed.
 */
export async function ask(chat: Page | FrameLocator, question: string): Promise<void> {
  const input = chat.getByLabel('Message', { exact: true });
  await input.fill(question);
  await expect.poll(() => chat.getByRole('button', { name: 'Send', exact: true }).isEnabled(), { timeout: 20_000 }).toBe(true);
  await input.press('Enter');
}
