// What designers read instead of the bundle's enum values ("when-unsure" → "When unsure"). One map per
// vocabulary, typed by the bundle's own lists so a value added there fails to compile here until it has a label.
import type {
  AnswerLength,
  BotTone,
  ColorScheme,
  DeviceKind,
  FontFamily,
  LauncherStyle,
  OfferHumanMode,
  ProviderKind,
  WidgetPosition,
} from '@mascot/bot-bundle';
import { OFFLINE_MODEL } from '@mascot/bot-bundle';

export const TONE_LABELS: Record<BotTone, string> = {
  friendly: 'Friendly',
  professional: 'Professional',
  playful: 'Playful',
  concise: 'Concise',
};

export const ANSWER_LENGTH_LABELS: Record<AnswerLength, string> = {
  short: 'Short (a sentence or two)',
  medium: 'Medium (a paragraph)',
  long: 'Long (detailed)',
};

export const COLOR_SCHEME_LABELS: Record<ColorScheme, string> = {
  auto: 'Follow the visitor’s system',
  light: 'Always light',
  dark: 'Always dark',
};

/** ISO weekdays, 1 Monday … 7 Sunday, as business hours number them. */
export const WEEKDAY_LABELS: Record<1 | 2 | 3 | 4 | 5 | 6 | 7, string> = {
  1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday',
};

export const OFFER_HUMAN_LABELS: Record<OfferHumanMode, string> = {
  never: 'Never',
  'when-unsure': 'When unsure',
  'on-request': 'When the visitor asks',
  always: 'Always offer',
};

export const POSITION_LABELS: Record<WidgetPosition, string> = {
  'bottom-right': 'Bottom right',
  'bottom-left': 'Bottom left',
};

export const DEVICE_LABELS: Record<DeviceKind, string> = {
  desktop: 'Desktop',
  tablet: 'Tablet',
  mobile: 'Phone',
};

export const LAUNCHER_LABELS: Record<LauncherStyle, string> = {
  avatar: 'The avatar',
  bubble: 'Chat bubble',
  icon: 'Small icon',
};

export const FONT_LABELS: Record<FontFamily, string> = {
  system: 'System (the visitor’s own)',
  inter: 'Inter',
  serif: 'Serif',
  rounded: 'Rounded',
};

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  offline: 'Offline (Mascot’s own, no AI)',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  'openai-compatible': 'OpenAI-compatible endpoint',
};

/** A sensible first model for each provider, so switching kinds leaves a valid entry. */
export const DEFAULT_MODELS: Record<ProviderKind, string> = {
  offline: OFFLINE_MODEL,
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  'openai-compatible': 'llama-3.1-8b-instruct',
};
