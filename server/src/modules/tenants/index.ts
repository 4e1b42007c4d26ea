export { Tenant } from './tenant.entity.ts';
export { PLANS, PLAN_IDS, type PlanId, type PlanLimits } from './plans.ts';
export { TenantsResolver } from './tenants.resolver.ts';
export { UsageService, billingPeriod, type UsageView } from './usage.service.ts';
