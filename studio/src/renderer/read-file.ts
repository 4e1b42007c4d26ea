/** The bytes of a file the designer picked, ready for window.studio. */
export async function readPicked(input: HTMLInputElement): Promise<{ fileName: string; bytes: Uint8Array } | null> {
  const file = input.files?.[0];
  if (!file) return null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  input.value = '';
  return { fileName: file.name, bytes };
}
