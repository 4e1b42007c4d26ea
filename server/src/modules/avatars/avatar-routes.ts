import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { EntityManager } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { CompressedVariants, HTTP_STATUS_OF_CODE, acceptedCodings, sendJsonError } from '../../core/http/index.ts';
import { requestIdMiddleware } from '../../core/graphql/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { AvatarRejection, avatarRejected, reasonOf, UploadRefusal, uploadRefused } from './avatars.errors.ts';
import { AVATAR_ASSET_PATH, AVATAR_UPLOAD_PATH, type AvatarsService } from './avatars.service.ts';

export interface AvatarRoutesDeps {
  avatars: AvatarsService;
  /** A fresh EntityManager fork for each request. */
  em: () => EntityManager;
  logger: Logger;
  /** Brotli/gzip copies of the models (a GLB shrinks to about a third); made here when not given. */
  compressedModels?: CompressedVariants;
}

/** Room for the compressed copies of ~200 typical models (60–100 KB each with brotli). */
const COMPRESSED_MODELS_BYTES = 16 * 1024 * 1024;

const GLB_MEDIA_TYPES = new Set(['model/gltf-binary', 'application/octet-stream']);
const ASSET_FILE = /^([0-9a-f]{64})\.glb$/;
/** Content-addressed files never change, so caches may keep them for a year without asking again. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

function statusOf(error: DomainError): number {
  const reason = reasonOf(error);
  if (reason === AvatarRejection.TOO_LARGE) return 413;
  if (reason === UploadRefusal.UNSUPPORTED_MEDIA_TYPE) return 415;
  return HTTP_STATUS_OF_CODE[error.code] ?? 400;
}

const tooLarge = (maxBytes: number) =>
  avatarRejected(AvatarRejection.TOO_LARGE, `The body is larger than the ${maxBytes} bytes this upload URL allows.`, { maxBytes });

/**
 * Reads the request body, refusing it as soon as it passes `maxBytes` (a declared Content-Length
 * beyond it is refused before reading anything). The rest of an oversized body is left unread;
 * the response closes the connection.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function mediaTypeOf(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Refusals carry the avatar-specific statuses (413, 415); the body and masking are the shared ones. */
function sendError(res: Response, error: unknown, logger: Logger, status?: number): void {
  sendJsonError(res, error, logger, status ?? (error instanceof DomainError ? statusOf(error) : undefined));
}

function etagMatches(header: string | undefined, etags: readonly string[]): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');
    return value === '*' || etags.includes(value);
  });
}

/**
 * The avatar HTTP routes (not GraphQL: they carry raw bytes).
 *
 * `PUT /uploads/avatars/:uploadId?tenant&expires&max&sig` receives the GLB an upload URL from
 * createAvatarUpload allows: the signed query is the credential (no Authorization header), bound
 * to one tenant, one upload, a size and 5 minutes, and usable once. 201 `{ avatar }` when stored,
 * 200 `{ avatar }` when the tenant already had identical bytes; 403 bad/expired/used URL, 413 too
 * large, 415 wrong Content-Type, 422 refused model (`details.reason`, see AvatarRejection), 503
 * busy (URL still usable).
 *
 * `GET /assets/avatars/:hash.glb` serves built-in and uploaded GLBs by content hash, public and
 * immutable: the widget loads them for anonymous visitors, and a SHA-256 cannot be guessed.
 */
export function avatarRoutes(deps: AvatarRoutesDeps): Router {
  const { avatars, logger } = deps;
  const compressedModels = deps.compressedModels ?? new CompressedVariants({ maxBytes: COMPRESSED_MODELS_BYTES, logger });
  const router = Router();
  router.use([AVATAR_UPLOAD_PATH, AVATAR_ASSET_PATH], requestIdMiddleware());

  router.put(`${AVATAR_UPLOAD_PATH}/:uploadId`, async (req, res) => {
    try {
      const grant = avatars.authorizeUpload(req.params.uploadId, req.query as Record<string, unknown>);
      if (!GLB_MEDIA_TYPES.has(mediaTypeOf(req))) {
        throw uploadRefused(UploadRefusal.UNSUPPORTED_MEDIA_TYPE, 'Send the GLB with Content-Type model/gltf-binary (or application/octet-stream).');
      }
      const bytes = await readBody(req, grant.maxBytes);
      const { avatar, created } = await avatars.completeUpload(deps.em(), grant, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      logger.info({ tenantId: grant.tenantId, avatarId: avatar.id, originalBytes: avatar.originalBytes, optimizedBytes: avatar.optimizedBytes, created }, 'avatar uploaded');
      res.status(created ? 201 : 200).json({ avatar });
    } catch (error) {
      sendError(res, error, logger);
    }
  });

  router.get(`${AVATAR_ASSET_PATH}/:file`, async (req, res) => {
    try {
      const hash = ASSET_FILE.exec(req.params.file)?.[1];
      if (!hash) {
        const malformed = DomainError.invalidInput([{ field: 'hash', message: 'must be the lowercase SHA-256 of the file followed by .glb' }]);
        sendError(res, malformed, logger, 400);
        return;
      }
      const file = await avatars.openAsset(hash);
      if (!file) throw DomainError.notFound('Avatar file');
      // The model in the best encoding the client accepts that is ready (the first request starts
      // the compression and gets the original); each encoding has its own validator.
      const variant = compressedModels.pick(hash, acceptedCodings(req.headers['accept-encoding']), () => buffer(file.body()));
      const etag = variant ? `"${hash}.${variant.coding}"` : `"${hash}"`;
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', IMMUTABLE);
      res.vary('Accept-Encoding');
      // Studio and pages other than our own may load the model; it is public by design.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      // Any copy the client holds has the same content (the name is its hash): still good.
      if (etagMatches(req.headers['if-none-match'], [`"${hash}"`, `"${hash}.br"`, `"${hash}.gzip"`])) {
        res.status(304).end();
        return;
      }
      res.setHeader('Content-Type', 'model/gltf-binary');
      if (variant) {
        res.setHeader('Content-Encoding', variant.coding);
        res.setHeader('Content-Length', String(variant.bytes.length));
        res.end(req.method === 'HEAD' ? undefined : variant.bytes);
        return;
      }
      res.setHeader('Content-Length', String(file.byteLength));
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      await pipeline(file.body(), res);
    } catch (error) {
      sendError(res, error, logger);
    }
  });

  return router;
}
