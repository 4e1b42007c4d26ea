import { useId, useState, type ReactNode } from 'react';

export interface PickedFile {
  fileName: string;
  bytes: Uint8Array;
}

async function read(file: File): Promise<PickedFile> {
  return { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/**
 * Where a designer drops files (or clicks to pick them): GLB avatars, knowledge documents. Dropped and
 * picked files take the same path; what a file contains is judged by the main process, not by its name.
 */
export function DropZone({ label, accept, multiple, onFiles, children, testId }: {
  /** Names the hidden file input for assistive tech and tests ("Import a document"). */
  label: string;
  accept?: string;
  multiple?: boolean;
  onFiles: (files: PickedFile[]) => void;
  children: ReactNode;
  testId?: string;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  const take = async (list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (files.length > 0) onFiles(await Promise.all((multiple ? files : files.slice(0, 1)).map(read)));
  };
  return (
    <div
      className="dropzone"
      data-over={over}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void take(e.dataTransfer.files);
      }}
    >
      {children} <label htmlFor={id}>choose a file</label>
      <input id={id} type="file" aria-label={label} accept={accept} multiple={multiple}
        onChange={(e) => {
          const input = e.currentTarget;
          void take(input.files).then(() => {
            input.value = '';
          });
        }} />
    </div>
  );
}
