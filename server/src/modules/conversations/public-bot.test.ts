import { describe, expect, it } from 'vitest';
import { ANIMATION_SLOTS, defaultBotBundle, emptyAnimationMap, publicBotView } from '@mascot/bot-bundle';
import { toPublicBot } from './public-bot.ts';

const HASH = 'a'.repeat(64);
const builtins = (id: string) => (id === 'milo' ? 'b'.repeat(64) : undefined);

describe('toPublicBot', () => {
  it('shows branding unless the bot asks for white label, and drops the wish itself', () => {
    const bundle = defaultBotBundle('Pip');
    expect(toPublicBot(publicBotView(bundle), builtins).theme).toEqual({
      primaryColor: '#4f46e5', backgroundColor: '#ffffff', textColor: '#111827', fontFamily: 'system', launcher: 'bubble', colorScheme: 'auto', showBranding: true,
    });
    bundle.theme.whiteLabel = true;
    expect(toPublicBot(publicBotView(bundle), builtins).theme.showBranding).toBe(false);
  });

  it('serves uploaded and built-in models by content hash, every slot listed in catalogue order', () => {
    const bundle = defaultBotBundle('Pip');
    bundle.avatar = { kind: 'uploaded', assetHash: HASH, animationMap: { ...emptyAnimationMap(), talk: 'Talk' } };
    const uploaded = toPublicBot(publicBotView(bundle), builtins).avatar!;
    expect(uploaded.modelUrl).toBe(`/assets/avatars/${HASH}.glb`);
    expect(uploaded.animationMap.map((entry) => entry.slot)).toEqual([...ANIMATION_SLOTS]);
    expect(uploaded.animationMap.find((entry) => entry.slot === 'talk')!.clip).toBe('Talk');
    bundle.avatar = { kind: 'builtin', id: 'milo', animationMap: emptyAnimationMap() };
    expect(toPublicBot(publicBotView(bundle), builtins).avatar!.modelUrl).toBe(`/assets/avatars/${'b'.repeat(64)}.glb`);
  });

  it('has no avatar for kind none or a built-in this server no longer ships', () => {
    const bundle = defaultBotBundle('Pip');
    expect(toPublicBot(publicBotView(bundle), builtins).avatar).toBeNull();
    bundle.avatar = { kind: 'builtin', id: 'retired', animationMap: emptyAnimationMap() };
    expect(toPublicBot(publicBotView(bundle), builtins).avatar).toBeNull();
  });
});
