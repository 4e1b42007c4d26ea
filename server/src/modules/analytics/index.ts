export { AnalyticsRecorder, withAnalytics } from './analytics-recorder.ts';
export { AnalyticsService } from './analytics.service.ts';
export { createAnalyticsResolver } from './analytics.resolver.ts';
export { analyticsRoutes } from './analytics-routes.ts';
export { forgetVisitorAnalytics, type ErasedVisitor } from './visitor-erasure.ts';
