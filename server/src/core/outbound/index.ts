export { allowedByName, parseAllowList, parseAllowRule, type AllowRule } from './allow-rules.ts';
export { assertDestinationAllowed } from './destination-input.ts';
export {
  DestinationRefusal,
  DestinationRefusedError,
  OutboundPolicy,
  findDestinationRefusal,
  type CheckedDestination,
  type HostResolver,
  type OutboundPolicyOptions,
  type ResolvedAddress,
} from './outbound-policy.ts';
export { isPublicAddress } from './public-address.ts';
