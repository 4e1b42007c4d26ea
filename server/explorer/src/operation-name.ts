import { Kind, parse } from 'graphql';

/**
 * The operation name to send with `query`: the requested one when the document defines it, else the
 * document's first operation (issue 22). GraphiQL keeps the operation name in its store and refreshes
 * it only when its debounced parse of the editor runs, so Execute right after an example opens used to
 * send the new document with the previous tab's name ("Unknown operation named SignUp"). Deriving the
 * name from the document being sent holds whatever the timing.
 *
 * A document that does not parse is sent as it is: the server's syntax error says more than we could.
 */
export function operationNameFor(query: string, requested: string | null | undefined): string | undefined {
  let names: (string | undefined)[];
  try {
    names = parse(query, { noLocation: true })
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => operation.name?.value);
  } catch {
    return requested ?? undefined;
  }
  if (requested && names.includes(requested)) return requested;
  return names[0];
}
