export { WebhooksResolver } from './webhooks.resolver.ts';
export { WebhooksService } from './webhooks.service.ts';
export { WebhookRoutes } from './webhook-routes.ts';
export { DEFAULT_RETRY_SCHEDULE_MS, WebhookWorker, type WebhookWorkerOptions } from './webhook-worker.ts';
export { WebhookAttempt, WebhookDelivery } from './webhook-delivery.entity.ts';
export { WebhookEndpoint } from './webhook-endpoint.entity.ts';
