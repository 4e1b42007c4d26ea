import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../../core/graphql/index.ts';
import { curatedAnswerView, type CuratedAnswersService } from './curated-answers.service.ts';
import {
  CuratedAnswerConnection,
  CuratedAnswerInput,
  CuratedAnswersImportType,
  CuratedAnswerType,
  UpdateCuratedAnswerInput,
} from './curated-answers.types.ts';

@Resolver()
export class CuratedAnswersResolver {
  constructor(private readonly curated: CuratedAnswersService) {}

  @Query(() => CuratedAnswerConnection, { description: "The curated answers in a bot's draft, newest first (visitors get them after the next publishBot)." })
  async curatedAnswers(
    @Arg('botId', () => ID) botId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<CuratedAnswerType>> {
    const result = await this.curated.list(ctx.em, requirePermission(ctx, 'bots:read').tenantId, botId, keysetRequest(page));
    return { ...result, edges: result.edges.map((edge) => ({ ...edge, node: curatedAnswerView(edge.node) })) } as Connection<CuratedAnswerType>;
  }

  @Query(() => String, {
    description: "The draft's curated answers as CSV (id, question, paraphrases one per line, answer); cells a spreadsheet would run as formulas are prefixed with '.",
  })
  curatedAnswersCsv(@Arg('botId', () => ID) botId: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    return this.curated.exportCsv(ctx.em, requirePermission(ctx, 'bots:read').tenantId, botId);
  }

  @Mutation(() => CuratedAnswerType, { description: "Adds a curated answer to the bot's draft." })
  createCuratedAnswer(
    @Arg('botId', () => ID) botId: string,
    @Arg('input', () => CuratedAnswerInput) input: CuratedAnswerInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CuratedAnswerType> {
    return this.curated.create(ctx.em, requirePermission(ctx, 'knowledge:write'), botId, input, ctx.ip);
  }

  @Mutation(() => CuratedAnswerType, { description: 'Changes a curated answer in the draft; published versions keep answering with the text they froze.' })
  updateCuratedAnswer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCuratedAnswerInput) input: UpdateCuratedAnswerInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CuratedAnswerType> {
    return this.curated.update(ctx.em, requirePermission(ctx, 'knowledge:write'), id, input, ctx.ip);
  }

  @Mutation(() => CuratedAnswerType, { description: 'Removes a curated answer from the draft (published versions keep theirs until the next publishBot); answers it as it was.' })
  deleteCuratedAnswer(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<CuratedAnswerType> {
    return this.curated.delete(ctx.em, requirePermission(ctx, 'knowledge:write'), id, ctx.ip);
  }

  @Mutation(() => CuratedAnswersImportType, {
    description:
      'Imports curated answers from CSV (header row naming question, answer and optionally id and paraphrases, one per line in the cell): rows with an id from curatedAnswersCsv update that entry, rows without one add entries; with replace, entries missing from the file are deleted. All or nothing: an invalid file or row is BAD_USER_INPUT with fieldErrors (csv.row.N.field).',
  })
  importCuratedAnswersCsv(
    @Arg('botId', () => ID) botId: string,
    @Arg('csv', () => String) csv: string,
    @Arg('replace', () => Boolean, { defaultValue: false }) replace: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CuratedAnswersImportType> {
    return this.curated.importCsv(ctx.em, requirePermission(ctx, 'knowledge:write'), botId, csv, replace, ctx.ip);
  }
}
