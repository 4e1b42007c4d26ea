import express, { Router } from 'express';
import { DomainError } from '../../core/errors/index.ts';
import { sendJsonError, type UploadSigner } from '../../core/http/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { MAX_UPLOAD_BYTES, toIngestionEvent, type IngestionService } from './ingestion.service.ts';

const tooLarge = (maxBytes: number) =>
  DomainError.invalidInput([{ field: 'file', message: `is larger than the ${maxBytes} bytes declared` }]);

/**
 * `PUT /uploads/knowledge/:jobId?tenant…&sig…`: the second step of createKnowledgeUpload. The signed
 * query is the credential (single use, short-lived, bound to the tenant and the declared size), so
 * the body can be sent from any client without a bearer token. Answers 202 with the job; errors use
 * the shared `{ error: { code, message, details } }` body.
 */
export function knowledgeUploadRoutes(ingestion: IngestionService, signer: UploadSigner, logger: Logger): Router {
  const router = Router();
  router.put(
    '/uploads/knowledge/:jobId',
    (req, res, next) => {
      const grant = signer.verify(String(req.params['jobId']), req.query as Record<string, unknown>);
      if (!grant) return sendJsonError(res, DomainError.forbidden('The upload URL is not valid.'), logger);
      res.locals['grant'] = grant;
      if (Number(req.headers['content-length'] ?? 0) > grant.maxBytes) return sendJsonError(res, tooLarge(grant.maxBytes), logger, 413);
      next();
    },
    express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES }),
    async (req, res) => {
      const grant = res.locals['grant'];
      const body = req.body as Buffer | undefined;
      if (!body || body.length === 0) {
        return sendJsonError(res, DomainError.invalidInput([{ field: 'file', message: 'is missing' }]), logger);
      }
      if (body.length > grant.maxBytes) return sendJsonError(res, tooLarge(grant.maxBytes), logger, 413);
      try {
        const job = await ingestion.receiveUpload(grant, new Uint8Array(body));
        res.status(202).json({ job: toIngestionEvent(job) });
      } catch (error) {
        sendJsonError(res, error, logger);
      }
    },
  );
  return router;
}
