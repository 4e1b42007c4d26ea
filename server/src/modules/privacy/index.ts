export { VisitorPrivacyResolver } from './visitor-privacy.resolver.ts';
export { VisitorPrivacyService, type VisitorAnalyticsEraser, type VisitorDataExport, type VisitorErasure, type VisitorSubject } from './visitor-privacy.service.ts';
