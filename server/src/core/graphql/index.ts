export {
  requirePermission,
  requireUser,
  requireVisitor,
  type GraphQLContext,
  type TenantActor,
  type UserPrincipal,
  type VisitorPrincipal,
} from './context.ts';
export { ConnectionType, OrderDirectionEnum, PageArgs, PageInfo, type Connection, type ConnectionOptions } from './connection.ts';
export { busPubSub } from './bus-pubsub.ts';
export { createErrorFormatter, errorCodeOf, type ErrorFormatter, type ErrorFormatterOptions } from './error-formatter.ts';
export { requestIdOfError, tagWithRequestId } from './error-request-ids.ts';
export { introspectionError, mayIntrospect } from './introspection-policy.ts';
export { OPERATION_LIMITS, operationLimitRules, operationParseOptions, type OperationLimits } from './operation-limits.ts';
export { createOperationPipeline, type Admission, type OperationPipeline, type OperationRequest, type PreparedOperation } from './operation-pipeline.ts';
export { REQUEST_ID_HEADER, requestIdFrom, requestIdMiddleware, requestIdOf } from './request-id.ts';
export { createSocketOriginPolicy, type SocketOriginOptions } from './socket-origin.ts';
export { chargeOperation, currentRateLimitHeaders, type Caller } from './rate-limit-charge.ts';
export { whenIterationEnds } from './iteration-end.ts';
export { createSharedSubscriptions, type SharedSubscriptionOptions } from './shared-execution.ts';
export { createFrameSharing } from './shared-frames.ts';
