// Knowledge import, offline: the same format detection, parsers and chunker the server runs at
// ingestion (@mascot/knowledge-core), then the project's local index. Identical files (same
// SHA-256) are imported once; a file that cannot be read is refused with the parser's reason and
// leaves nothing behind.
import { randomUUID } from 'node:crypto';
import {
  ParseError,
  chunkParsedDocument,
  detectFormat,
  parseCsv,
  parseDocument,
  type ParsedDocument,
} from '@mascot/knowledge-core';
import type { KnowledgeChunkView, KnowledgeDocumentSummary, SearchHit } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';
import { sha256Hex, type KnowledgeFileRecord, type ProjectStore } from '../workspace/project-store.ts';
import { LocalIndex, type IndexedChunk } from './local-index.ts';

async function parseFile(fileName: string, bytes: Uint8Array): Promise<{ format: string; document: ParsedDocument }> {
  const format = detectFormat(fileName, bytes);
  if (!format) throw StudioError.invalid([{ field: 'file', message: 'is not a PDF, Word, HTML, Markdown, text or CSV file' }]);
  try {
    if (format === 'csv') {
      // Records mode reads any table; question/answer sheets come out as labelled "question/answer" rows.
      const csv = parseCsv(bytes, { mode: 'records' });
      const markdown = csv.rows.map((row) => row.markdown).join('\n\n');
      return { format, document: { title: null, sections: [{ markdown, page: null }], warnings: csv.warnings } };
    }
    return { format, document: await parseDocument(format, bytes) };
  } catch (error) {
    if (error instanceof ParseError) {
      throw new StudioError('BAD_USER_INPUT', `The file cannot be read: ${error.message}`, [{ field: 'file', message: `FILE_${error.code}: ${error.message}` }], { cause: error });
    }
    throw error;
  }
}

const titleOf = (fileName: string, document: ParsedDocument) => document.title?.trim() || fileName.replace(/\.[^.]+$/, '');

export class KnowledgeLibrary {
  private readonly indexes = new Map<string, Promise<LocalIndex>>();

  constructor(private readonly store: ProjectStore, private readonly options: { inMemoryIndex?: boolean } = {}) {}

  /** The project's index, opened once; rebuilt from the stored files if it lost documents. */
  private index(projectId: string): Promise<LocalIndex> {
    let opening = this.indexes.get(projectId);
    if (!opening) {
      opening = this.openIndex(projectId);
      this.indexes.set(projectId, opening);
      opening.catch(() => this.indexes.delete(projectId));
    }
    return opening;
  }

  private async openIndex(projectId: string): Promise<LocalIndex> {
    const index = await LocalIndex.open(this.options.inMemoryIndex ? undefined : this.store.indexDir(projectId));
    const indexed = new Set(await index.documentIds());
    for (const record of await this.store.knowledgeFiles(projectId)) {
      if (indexed.has(record.id)) continue;
      const { document } = await parseFile(record.fileName, await this.store.readKnowledgeFile(projectId, record.sha256));
      await index.putDocument(record.id, this.chunksOf(record.id, record.title, document));
    }
    return index;
  }

  private chunksOf(documentId: string, title: string, document: ParsedDocument): IndexedChunk[] {
    return chunkParsedDocument(document).map((chunk) => ({
      id: `${documentId}:${chunk.index}`, documentId, documentTitle: title, index: chunk.index,
      sectionPath: chunk.sectionPath, page: chunk.page, text: chunk.text, tokenCount: chunk.tokenCount,
    }));
  }

  async import(projectId: string, fileName: string, bytes: Uint8Array): Promise<KnowledgeDocumentSummary> {
    const sha256 = sha256Hex(bytes);
    const records = await this.store.knowledgeFiles(projectId);
    const existing = records.find((record) => record.sha256 === sha256);
    if (existing) return this.summary(projectId, existing);
    const { format, document } = await parseFile(fileName, bytes);
    const id = randomUUID();
    const title = titleOf(fileName, document);
    const chunks = this.chunksOf(id, title, document);
    if (chunks.length === 0) throw StudioError.invalid([{ field: 'file', message: 'FILE_EMPTY: has no text to learn from' }]);
    await this.store.writeKnowledgeFile(projectId, sha256, bytes);
    await (await this.index(projectId)).putDocument(id, chunks);
    const record: KnowledgeFileRecord = {
      id, title, fileName, format, sha256, byteSize: bytes.byteLength, chunkCount: chunks.length,
      warnings: document.warnings, importedAt: new Date().toISOString(),
    };
    await this.store.saveKnowledgeFiles(projectId, [...records, record]);
    return this.summary(projectId, record);
  }

  private async summary(projectId: string, record: KnowledgeFileRecord): Promise<KnowledgeDocumentSummary> {
    const { sync } = await this.store.meta(projectId);
    const { importedAt: _importedAt, ...rest } = record;
    return { ...rest, syncedDocumentId: sync.knowledge[record.sha256] ?? null };
  }

  async list(projectId: string): Promise<KnowledgeDocumentSummary[]> {
    const records = await this.store.knowledgeFiles(projectId);
    return Promise.all(records.map((record) => this.summary(projectId, record)));
  }

  async chunks(projectId: string, documentId: string): Promise<KnowledgeChunkView[]> {
    const records = await this.store.knowledgeFiles(projectId);
    if (!records.some((record) => record.id === documentId)) throw StudioError.notFound('Knowledge document');
    const chunks = await (await this.index(projectId)).chunksOf(documentId);
    return chunks.map(({ id, index, sectionPath, page, text, tokenCount }) => ({ id, index, sectionPath, page, text, tokenCount }));
  }

  async remove(projectId: string, documentId: string): Promise<KnowledgeDocumentSummary[]> {
    const records = await this.store.knowledgeFiles(projectId);
    if (!records.some((record) => record.id === documentId)) throw StudioError.notFound('Knowledge document');
    await (await this.index(projectId)).removeDocument(documentId);
    await this.store.saveKnowledgeFiles(projectId, records.filter((record) => record.id !== documentId));
    return this.list(projectId);
  }

  async search(projectId: string, query: string, limit = 5): Promise<SearchHit[]> {
    return (await this.index(projectId)).search(query, limit);
  }

  /** Closes one project's index (before its folder is deleted). */
  async closeProject(projectId: string): Promise<void> {
    const opening = this.indexes.get(projectId);
    this.indexes.delete(projectId);
    await (await opening?.catch(() => null))?.close();
  }

  async close(): Promise<void> {
    const indexes = [...this.indexes.values()];
    this.indexes.clear();
    await Promise.all(indexes.map(async (opening) => (await opening.catch(() => null))?.close()));
  }
}
