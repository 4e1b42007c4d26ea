import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  print,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
} from 'graphql';

export interface SharedSubscriptionOptions {
  /**
   * Subscription fields whose resolver returns the event itself, so one event executed under one
   * selection gives the same result for every subscriber: their own root arguments (a conversation id, a
   * resume position) only choose the source stream.
   */
  passthroughFields: ReadonlySet<string>;
  /**
   * Who may share a result with whom (e.g. tenant and kind of principal): results are shared only within
   * one scope, so nothing a resolver derives from its caller crosses callers.
   */
  scopeOf: (contextValue: unknown) => string;
  /** Called per event and subscriber: `executed` once per distinct (event, selection, scope), `shared` for the rest. */
  onEvent?: (outcome: 'executed' | 'shared') => void;
}

/**
 * graphql-js executes a subscription's selection once per event *per subscriber*. When the source hands the
 * same event object to many subscribers (ConversationEventHub does), this executes it once per distinct
 * selection: results are kept per event object (a WeakMap, gone with the event) under a key of the
 * operation's text, the variables the selection itself uses, and the caller's scope. Fields not listed as
 * passthrough execute per subscriber as before. Used as graphql-ws's `subscribe`.
 */
export function createSharedSubscriptions(options: SharedSubscriptionOptions) {
  const results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

  return async function subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const key = sharingKey(args, options);
    const executeEvent = (event: unknown): ExecutionResult | Promise<ExecutionResult> => {
      if (key === null || typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
      let byKey = results.get(event);
      if (!byKey) results.set(event, (byKey = new Map()));
      const known = byKey.get(key);
      if (known) {
        options.onEvent?.('shared');
        return known;
      }
      const result = execute({ ...args, rootValue: event });
      byKey.set(key, result);
      options.onEvent?.('executed');
      return result;
    };
    return mapEvents(source, executeEvent);
  };
}

/** The cache key of a subscription, or null when its results must not be shared. */
function sharingKey(args: ExecutionArgs, options: SharedSubscriptionOptions): string | null {
  const operation = getOperationAST(args.document, args.operationName);
  const [root, ...more] = operation?.selectionSet.selections ?? [];
  if (!operation || !root || more.length > 0 || root.kind !== Kind.FIELD || !options.passthroughFields.has(root.name.value)) return null;
  if (root.directives?.length) return null;
  const variables = args.variableValues ?? {};
  const used = [...variablesOutsideRootArguments(args.document, root)].sort();
  return JSON.stringify([options.scopeOf(args.contextValue), args.operationName ?? null, sourceOf(args.document), used.map((name) => [name, variables[name] ?? null])]);
}

function sourceOf(document: DocumentNode): string {
  return document.loc?.source.body ?? print(document);
}

/** Variables the selection uses besides the root field's arguments (e.g. in @include), which change the result. */
function variablesOutsideRootArguments(document: DocumentNode, root: FieldNode): Set<string> {
  const names = new Set<string>();
  const rootArguments = new Set(root.arguments ?? []);
  visit(document, {
    VariableDefinition: () => false, // a definition is not a use
    Argument(node) {
      if (rootArguments.has(node)) return false;
      return undefined;
    },
    Variable(node) {
      names.add(node.name.value);
    },
  });
  return names;
}

/**
 * Maps each event to its result. Not an async generator: a generator's return() waits behind its pending
 * next(), which for an idle subscription is forever (see iteration-end.ts).
 */
function mapEvents<T>(
  source: AsyncIterable<unknown>,
  map: (event: unknown) => T | Promise<T>,
): AsyncIterableIterator<T> {
  const inner = source[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const step = await inner.next();
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await map(step.value) };
    },
    async return() {
      await inner.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (inner.throw) await inner.throw(error);
      throw error;
    },
  };
}
