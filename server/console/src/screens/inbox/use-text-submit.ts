import { useState, type FormEvent } from 'react';
import { useMutation, type AnyVariables } from 'urql';
import { useToast } from '../../ui/index.ts';

/**
 * A one-line-of-text form's state and submit (the reply composer, the note bar): sends the trimmed text with
 * `document`, tells the API's error in a toast and keeps the text, or clears it and calls `onDone`.
 */
export function useTextSubmit(document: string, variablesFor: (text: string) => AnyVariables, onDone: () => void) {
  const [text, setText] = useState('');
  const [{ fetching }, run] = useMutation(document);
  const notify = useToast();
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const value = text.trim();
    if (!value || fetching) return;
    const result = await run(variablesFor(value));
    if (result.error) {
      notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
      return;
    }
    setText('');
    onDone();
  };
  return { text, setText, submit, fetching };
}
