import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../db/index.ts';

/**
 * Relay paging both ways, taken by every list (keysetRequest in core/db/pagination.ts reads it):
 * first/after forward, last/before backward.
 */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items after \`after\` (or the start), 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); not with last.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `How many items before \`before\` (or the end), 1 to ${MAX_PAGE_SIZE}; not with first.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'The startCursor of the following page.' })
  before?: string | null;
}

@ObjectType({ description: 'Where a page sits in its list (Relay).' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export type { Page as Connection } from '../db/index.ts';
import type { Page } from '../db/index.ts';

export interface ConnectionOptions {
  /** Adds `totalCount`, which the service provides as `Page.totalCount` (counted only when selected). */
  totalCount?: boolean;
}

/** A Relay connection type for `Node`, named `<Name>Connection` with `<Name>Edge`. */
export function ConnectionType<T extends object>(name: string, Node: ClassType<T>, options: ConnectionOptions = {}) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => Node) node!: T;
  }
  // Two classes rather than a base with a subclass: type-graphql 2 would emit the base as a type of its own.
  if (options.totalCount) {
    @ObjectType(`${name}Connection`)
    class CountedConnection {
      @Field(() => [Edge]) edges!: Edge[];
      @Field(() => PageInfo) pageInfo!: PageInfo;
      // Page.totalCount is a lazy thenable (core/db/pagination.ts `lazily`): counted only when selected.
      @Field(() => Int, { description: 'How many items match, over all pages.' }) totalCount!: number;
    }
    return CountedConnection as unknown as ClassType<Page<T>>;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionClass as ClassType<Page<T>>;
}

export enum OrderDirectionEnum {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirectionEnum, { name: 'OrderDirection', description: 'ASC: oldest (smallest) first; DESC: newest (largest) first.' });
