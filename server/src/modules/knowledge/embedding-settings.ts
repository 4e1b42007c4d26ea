import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { OFFLINE_MODEL_KEY } from './embedding-model.ts';
import { KnowledgeSettings } from './knowledge-settings.entity.ts';

/**
 * The model a bot's chunks are embedded with, which its queries must use too. `share` holds it
 * fixed until the transaction ends: a document stored meanwhile cannot miss a model switch.
 */
export async function servingEmbeddingModel(tx: EntityManager, botId: string, lock?: 'share'): Promise<string> {
  const settings = await tx.findOne(KnowledgeSettings, { botId }, lock ? { lockMode: LockMode.PESSIMISTIC_READ } : {});
  return settings?.embeddingModel ?? OFFLINE_MODEL_KEY;
}

/** The settings row locked for a change; created (offline model) when the bot has none yet. */
export async function lockedSettings(tx: EntityManager, tenantId: string, botId: string): Promise<KnowledgeSettings> {
  await tx.execute(
    `insert into knowledge_settings (bot_id, tenant_id, embedding_model) values (?, ?, ?) on conflict (bot_id) do nothing`,
    [botId, tenantId, OFFLINE_MODEL_KEY],
  );
  return tx.findOneOrFail(KnowledgeSettings, { botId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** Raised inside storeDocument when the vectors were made with a model the bot no longer serves. */
export class EmbeddingModelChanged extends Error {
  override name = 'EmbeddingModelChanged';
}
