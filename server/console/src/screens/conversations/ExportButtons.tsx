import { useDownload } from '../../app/download.ts';
import { Button } from '../../ui/index.ts';

/** What the export routes filter by: a bot and a range of start times (from inclusive, to exclusive; at most 366 days). */
export interface ExportRange {
  botId: string | undefined;
  from: string;
  to: string;
}

/** Every conversation started in the range, with its messages: GET /conversations/export.csv|json. */
export function ExportButtons({ range }: { range: ExportRange }) {
  const { download, downloading } = useDownload();
  const query = new URLSearchParams({ from: range.from, to: range.to, ...(range.botId ? { botId: range.botId } : {}) });
  const hint = `Conversations started ${range.from} to before ${range.to}${range.botId ? ' of the chosen bot' : ''}, with every message (the search and other filters do not apply).`;
  return (
    <div className="conversations__export" role="group" aria-label="Export conversations">
      <Button title={hint} disabled={downloading} onClick={() => void download(`/conversations/export.csv?${query}`, 'conversations.csv')}>Export CSV</Button>
      <Button title={hint} disabled={downloading} onClick={() => void download(`/conversations/export.json?${query}`, 'conversations.json')}>Export JSON</Button>
    </div>
  );
}
