import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import type { VisitorPrivacyService } from './visitor-privacy.service.ts';
import { VisitorDataExportType, VisitorErasureType, VisitorSubjectInput } from './visitor-privacy.types.ts';

/** Owners and admins only (`privacy:manage`, which no API key scope grants). */
@Resolver()
export class VisitorPrivacyResolver {
  constructor(private readonly privacy: VisitorPrivacyService) {}

  // A mutation, not a query: it is audited, and an export of personal data is an act, not a read to cache or batch.
  @Mutation(() => VisitorDataExportType, { description: "Exports everything kept about one visitor (GDPR access): conversations, messages, leads, feedback." })
  exportVisitorData(@Arg('visitor', () => VisitorSubjectInput) visitor: VisitorSubjectInput, @Ctx() ctx: GraphQLContext): Promise<VisitorDataExportType> {
    return this.privacy.export(ctx.em, requirePermission(ctx, 'privacy:manage'), visitor, ctx.ip);
  }

  @Mutation(() => VisitorErasureType, {
    description: "Erases one visitor (GDPR erasure): their conversations, messages, leads and feedback, in one transaction. Analytics keeps its counts.",
  })
  eraseVisitorData(@Arg('visitor', () => VisitorSubjectInput) visitor: VisitorSubjectInput, @Ctx() ctx: GraphQLContext): Promise<VisitorErasureType> {
    return this.privacy.erase(ctx.em, requirePermission(ctx, 'privacy:manage'), visitor, ctx.ip);
  }
}
