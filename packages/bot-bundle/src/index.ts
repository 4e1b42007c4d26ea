// Public API of @mascot/bot-bundle: the bot bundle format Studio publishes, the server validates
// and stores, and the widget sees a public view of. Everything else in src/ is an implementation detail.

// The format
export { CURRENT_FORMAT_VERSION, botBundleSchema } from './bot-bundle.ts';
export type { BotBundle, BotBundleInput } from './bot-bundle.ts';
export { ANIMATION_SLOTS, isAnimationSlot } from './animation-slots.ts';
export type { AnimationSlot } from './animation-slots.ts';
export { ANSWER_LENGTHS, BOT_TONES, OFFER_HUMAN_MODES } from './personality.ts';
export type { AnswerLength, BotPersonality, BotPersonalityOverride, BotTone, OfferHumanMode } from './personality.ts';
export { MAX_PROVIDERS, PROVIDER_KINDS } from './providers.ts';
export type { ProviderEntry, ProviderKind } from './providers.ts';
export { emptyAnimationMap } from './avatar.ts';
export type { AnimationMap, AvatarKind, BotAvatar } from './avatar.ts';
export { DEVICE_KINDS, MAX_URL_PATTERNS, WIDGET_POSITIONS } from './placement.ts';
export type { DeviceKind, Placement, WidgetPosition } from './placement.ts';
export { COLOR_SCHEMES, DEFAULT_COLOR_SCHEME, FONT_FAMILIES, LAUNCHER_STYLES, colorSchemeOf } from './theme.ts';
export type { ColorScheme, FontFamily, LauncherStyle, Theme } from './theme.ts';
export {
  MAX_HOLIDAYS,
  MAX_WEEKLY_OPENINGS,
  holidaysSchema,
  isKnownTimeZone,
  minutesOf,
  timeZoneSchema,
  weeklyOpeningsSchema,
} from './business-hours.ts';
export type { BusinessHours, IsoWeekday, WeeklyOpening } from './business-hours.ts';
export { MAX_ALLOWED_ORIGINS, isOriginAllowed, normalizeOrigin } from './origins.ts';
export { MAX_VARIANTS } from './variants.ts';
export { DEFAULT_PRIVACY, privacyOf } from './privacy.ts';
export type { Privacy } from './privacy.ts';
export { DEFAULT_ENGAGEMENT, MAX_TEASER_PAGES, engagementOf } from './engagement.ts';
export type { Engagement, TeaserPage } from './engagement.ts';
export type { BotVariant } from './variants.ts';
export { OFFLINE_MODEL, defaultBotBundle } from './default-bot-bundle.ts';

// Validation and errors
export { validateBotBundle } from './validate-bot-bundle.ts';
export type { BotBundleValidation } from './validate-bot-bundle.ts';
export type { BundleFieldError } from './field-errors.ts';
export { BotBundleError, BotBundleErrorCode } from './bot-bundle-error.ts';

// Versions
export { OLDEST_FORMAT_VERSION, detectFormatVersion } from './format-version.ts';
export { FORMAT_MIGRATIONS, downgradeBotBundle, upgradeBotBundle } from './migrations.ts';
export type { BotBundleFormats, PastFormatVersion } from './migrations.ts';
export type { FormatMigration, MigrationContext } from './format-migration.ts';
export { botBundleV1Schema } from './format-v1.ts';
export type { BotBundleV1 } from './format-v1.ts';

// Reading a bundle
export { diffBotBundles } from './diff-bot-bundles.ts';
export type { BundleChange, BundleChangeKind } from './diff-bot-bundles.ts';
export { publicBotView } from './public-bot-view.ts';
export type { PublicBotView } from './public-bot-view.ts';
export { pickVariant } from './pick-variant.ts';
export { isPageIncluded } from './page-match.ts';
