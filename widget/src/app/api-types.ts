// TypeScript shapes of the public GraphQL API the widget talks to, written by
// hand from the schema (only the fields the widget selects). They describe the
// wire format, so they use plain strings for IDs and ISO dates.

/** The bot's branding as the widget applies it. */
export interface PublicTheme {
  /** #rrggbb */
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
  /** system, inter, serif or rounded. */
  fontFamily: string;
  /** How the closed widget looks: avatar, bubble or icon. */
  launcher: string;
  showBranding: boolean;
}

export interface AvatarSlotClip {
  slot: string;
  /** Null: the model has no clip for the slot; the runtime picks a stand-in. */
  clip: string | null;
}

export interface PublicAvatar {
  /** Same-origin path such as /assets/avatars/<sha256>.glb. */
  modelUrl: string;
  animationMap: AvatarSlotClip[];
}

export interface PublicBot {
  name: string;
  greeting: string;
  /** BCP-47, the A/B variant applied. */
  language: string;
  theme: PublicTheme;
  /** Null when the bot has no avatar. */
  avatar: PublicAvatar | null;
  /** The A/B variant shown; null without variants. */
  variantId: string | null;
}

export interface VisitorSession {
  conversationId: string;
  visitorToken: string;
  bot: PublicBot;
}

export type MessageRole = 'VISITOR' | 'ASSISTANT' | 'AGENT';

export interface Source {
  marker: number;
  documentTitle: string;
  /** Headings leading to the passage, outermost first. */
  sectionPath: string[];
  /** Page of the source document for paged formats such as PDF. */
  page: number | null;
  snippet: string;
}

export interface ApiMessage {
  id: string;
  role: MessageRole;
  text: string;
  createdAt: string;
  sources: Source[];
  /** The name an AGENT message is signed with; null for other roles. */
  authorName: string | null;
}

/** Who answers the conversation: the bot, nobody yet (waiting for a person), or an agent. */
export type ConversationStatus = 'BOT' | 'WAITING_FOR_AGENT' | 'WITH_AGENT';

/** What the contact form sends (submitContactDetails). */
export interface ContactDetails {
  name: string;
  email: string;
  phone: string | null;
  consent: boolean;
}

export interface ContactDetailsReceipt {
  leadId: string;
  conversationId: string;
}

/** First event of every subscription; the transport consumes it, the transcript never sees it. */
export interface ConversationSubscribed {
  __typename: 'ConversationSubscribed';
  seq: number;
}

export interface ReplyStarted {
  __typename: 'ReplyStarted';
  seq: number;
  messageId: string;
}

export interface ReplyDelta {
  __typename: 'ReplyDelta';
  seq: number;
  messageId: string;
  delta: string;
}

export interface ReplyCompleted {
  __typename: 'ReplyCompleted';
  seq: number;
  message: ApiMessage;
  /** The bot could not answer and its team can follow up: offer the contact form. */
  requestsContact: boolean;
}

export interface ReplyFailed {
  __typename: 'ReplyFailed';
  seq: number;
  messageId: string;
  code: string;
}

/** The avatar's reaction: the animation slot to play now. */
export interface AvatarCue {
  __typename: 'AvatarCue';
  seq: number;
  messageId: string;
  /** listening, speaking or finished. */
  phase: string;
  slot: string;
  intensity: number;
}

export interface HandoffStatusChanged {
  __typename: 'HandoffStatusChanged';
  seq: number;
  status: ConversationStatus;
  /** The agent who joined (WITH_AGENT) or left (BOT). */
  agentName: string | null;
}

/** An agent's reply, or a visitor message while people handle the conversation. */
export interface MessagePosted {
  __typename: 'MessagePosted';
  seq: number;
  message: ApiMessage;
}

export type ConversationEvent =
  | ReplyStarted
  | ReplyDelta
  | ReplyCompleted
  | ReplyFailed
  | AvatarCue
  | HandoffStatusChanged
  | MessagePosted;
