import { Bot, BotVersion } from '../modules/bots/index.ts';
import { AnswerFeedback, CannedReply, Conversation, ConversationNote, ConversationRating, Lead, Message } from '../modules/conversations/index.ts';
import { AuditEvent } from '../modules/audit/index.ts';
import { AvatarAsset, AvatarUpload } from '../modules/avatars/index.ts';
import { ApiKey, Invitation, Membership, RefreshToken, User } from '../modules/identity/index.ts';
import { CuratedAnswer, IngestionJob, KnowledgeDocument, KnowledgeSettings, WebsitePage, WebsiteSource } from '../modules/knowledge/index.ts';
import { Tenant } from '../modules/tenants/index.ts';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../modules/webhooks/index.ts';

/** Every entity, listed explicitly (no discovery by glob). */
export const entities = [
  Tenant, User, Membership, RefreshToken, ApiKey, Invitation, AuditEvent,
  AvatarAsset, AvatarUpload, Bot, BotVersion, KnowledgeDocument, KnowledgeSettings, IngestionJob, Conversation, Message, Lead, AnswerFeedback, ConversationRating, ConversationNote, CannedReply,
  WebhookEndpoint, WebhookDelivery, WebhookAttempt,
  WebsiteSource, WebsitePage,
  CuratedAnswer,
];
