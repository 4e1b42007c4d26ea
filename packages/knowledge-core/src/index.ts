// Public API of @mascot/knowledge-core: the offline knowledge method shared by the server
// and the Studio. Everything else in src/ is an implementation detail.

export { chunkText, countTokens } from './chunk-text.ts';
export type { ChunkTextOptions, TextChunk } from './chunk-text.ts';

export {
  OFFLINE_EMBEDDING_DIMENSIONS,
  OFFLINE_EMBEDDING_MODEL,
  embedText,
  embedTexts,
} from './offline-embedder.ts';
export { cosineSimilarity } from './cosine-similarity.ts';

export { composeOfflineAnswer } from './answerer/compose-answer.ts';
export type { OfflineAnswer, OfflineCitation, SourcePassage } from './answerer/compose-answer.ts';
export { ANSWER_CONFIDENCE, answerConfidence, shouldDecline } from './answerer/decline.ts';
export type { DeclineSignals } from './answerer/decline.ts';
export { humanOfferFor, openerFor, unknownReplyFor } from './answer-voice.ts';
export type { AnswerTone, AnswerVoice } from './answer-voice.ts';
export { isAssistantDirected } from './assistant-directed-text.ts';
export { joinQuotes, labelRow, truncateSnippet } from './quote-text.ts';

export { splitIntoStreamTokens } from './stream-tokens.ts';

export {
  DEFAULT_MAX_PAGES,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  ParseError,
  checkZipExpansion,
  chunkParsedDocument,
  detectFormat,
  parseCsv,
  parseDocument,
} from './parsers/index.ts';
export type {
  CsvOptions,
  CsvParseResult,
  CsvProgress,
  CsvRow,
  CsvRowError,
  DocumentChunk,
  DocumentFormat,
  ParseDocumentOptions,
  ParseErrorCode,
  ParsedDocument,
  ParsedSection,
  SourceFormat,
} from './parsers/index.ts';
