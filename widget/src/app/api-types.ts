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
  /** auto (follow the visitor's system), light or dark. */
  colorScheme: string;
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

// The schema's MessageRole also has SYSTEM (handoff notices), which visitor-facing fields never return.
export type MessageRole = 'VISITOR' | 'ASSISTANT' | 'AGENT';

export interface Source {
  marker: number;
  documentTitle: string;
  /** Headings leading to the passage, outermost first. */
  sectionPath: string[];
  /** Page of the source document for paged formats such as PDF. */
  page: number | null;
  snippet: string;
  /** The web page cited, for knowledge learnt from a website; absent for files and text. */
  url?: string | null;
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

/** Relay paging state of a connection (only what the widget selects). */
export interface PageInfo {
  /** More messages precede this page (`last`/`before` paging). */
  hasPreviousPage: boolean;
}

/** A page of stored messages, oldest first (visitorMessages). */
export interface MessageConnection {
  edges: { node: ApiMessage }[];
  pageInfo: PageInfo;
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

/** What rateAnswer sends: 👍 (helpful) or 👎, with an optional comment (up to 1000 characters). */
export interface AnswerFeedbackInput {
  helpful: boolean;
  comment: string | null;
}

/** The stored 👍/👎 of one answer (one per answer; rating again updates it). */
export interface AnswerFeedback {
  id: string;
  messageId: string;
  helpful: boolean;
  comment: string | null;
}

/** What rateConversation sends: the visitor's satisfaction (CSAT) 1–5, with an optional comment. */
export interface ConversationRatingInput {
  rating: number;
  comment: string | null;
}

/** The stored rating of the conversation (one per conversation; rating again updates it). */
export interface ConversationRating {
  id: string;
  rating: number;
  comment: string | null;
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
  /** The reply offers the visitor a person (its text says so): show Accept / No thanks. */
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

/** Why no person comes when the visitor wanted one. */
export type HandoffUnavailableReason = 'CLOSED' | 'NO_AGENT_ONLINE' | 'TIMED_OUT';

/** The visitor wanted a person and none comes: the bot answers on, and the contact form is offered. */
export interface HandoffUnavailable {
  __typename: 'HandoffUnavailable';
  seq: number;
  cause: HandoffUnavailableReason;
  /** When people are back (ISO 8601); null when unknown. */
  nextOpeningAt: string | null;
}

/** Where the visitor's wish for a person stands (requestHandoff, declineHandoff, cancelHandoff). */
export interface VisitorHandoff {
  status: ConversationStatus;
  unavailable: HandoffUnavailableReason | null;
  nextOpeningAt: string | null;
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
  | HandoffUnavailable
  | MessagePosted;
