import { ANIMATION_SLOTS, colorSchemeOf, type BotAvatar, type PublicBotView } from '@mascot/bot-bundle';
import { AVATAR_ASSET_PATH } from '../avatars/index.ts';

export interface PublicTheme {
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
  fontFamily: string;
  launcher: string;
  /** auto, light or dark (the bundle's theme.colorScheme, default filled in). */
  colorScheme: string;
  showBranding: boolean;
}

export interface PublicAvatar {
  modelUrl: string;
  animationMap: { slot: string; clip: string | null }[];
}

/** The PublicBot of the GraphQL schema: what the widget needs to look and behave like the bot. */
export interface PublicBot {
  name: string;
  greeting: string;
  language: string;
  theme: PublicTheme;
  avatar: PublicAvatar | null;
  variantId: string | null;
}

/** The content hash of a built-in avatar's GLB, by its id; undefined for an id no longer shipped. */
export type BuiltinAvatarHash = (id: string) => string | undefined;

/**
 * Same-origin path of the avatar's model: built-in and uploaded GLBs are both served by content hash,
 * so the widget (inside our iframe) loads them without CORS and caches them forever. Null for no avatar,
 * or a built-in one this server no longer ships (the widget then shows its 2D portrait).
 */
export function avatarModelPath(avatar: BotAvatar, builtinAvatarHash: BuiltinAvatarHash): string | null {
  const hash = avatar.kind === 'builtin' ? builtinAvatarHash(avatar.id) : avatar.kind === 'uploaded' ? avatar.assetHash : undefined;
  return hash === undefined ? null : `${AVATAR_ASSET_PATH}/${hash}.glb`;
}

/**
 * The bundle's public view as the API shows it. No plan of ours restricts white label yet
 * (tenants/plans.ts has no such feature), so the author's wish decides: showBranding = !whiteLabel.
 */
export function toPublicBot(view: PublicBotView, builtinAvatarHash: BuiltinAvatarHash): PublicBot {
  const modelUrl = avatarModelPath(view.avatar, builtinAvatarHash);
  const { whiteLabel, ...theme } = view.theme;
  return {
    name: view.name,
    greeting: view.greeting,
    language: view.language,
    theme: { ...theme, colorScheme: colorSchemeOf(theme), showBranding: !whiteLabel },
    avatar: modelUrl === null
      ? null
      : { modelUrl, animationMap: ANIMATION_SLOTS.map((slot) => ({ slot, clip: view.avatar.animationMap[slot] })) },
    variantId: view.variantId,
  };
}
