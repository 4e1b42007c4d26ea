export { KnowledgeResolver } from './knowledge.resolver.ts';
export { KnowledgeService } from './knowledge.service.ts';
export { KnowledgeDocument } from './knowledge-document.entity.ts';
export { retrievePassages, type RetrievalMode, type RetrievalScope, type RetrievedPassage } from './retrieval.service.ts';
export { searchConfigFor } from './search-language.ts';
export { IngestionJob } from './ingestion-job.entity.ts';
export { INGESTION_QUEUE, IngestionService, type IngestionEvent } from './ingestion.service.ts';
export { createIngestionResolver } from './ingestion.resolver.ts';
export { knowledgeUploadRoutes } from './knowledge-upload-routes.ts';
