export { AuditResolver } from './audit.resolver.ts';
export { AuditService, type AuditAction, type AuditEntry } from './audit.service.ts';
export { AuditEvent } from './audit-event.entity.ts';
