import type { KeyboardEvent, ReactNode } from 'react';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Shown to screen readers only (an actions column, say). */
  hiddenHeader?: boolean;
  width?: string;
}

export interface TableProps<Row> {
  /** Names the table for screen readers; shown unless captionHidden. */
  caption: string;
  captionHidden?: boolean;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Makes rows open something on click and Enter (they become focusable). */
  onRowActivate?: (row: Row) => void;
  rowLabel?: (row: Row) => string;
  selectedKey?: string;
}

export function Table<Row>({ caption, captionHidden, columns, rows, rowKey, onRowActivate, rowLabel, selectedKey }: TableProps<Row>) {
  const onKeyDown = (row: Row) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowActivate?.(row);
    }
  };
  return (
    <div className="ui-table-wrap">
      <table className="ui-table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" style={column.width ? { width: column.width } : undefined}>
                {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <tr
                key={key}
                className={onRowActivate ? 'ui-table__row--link' : undefined}
                aria-selected={selectedKey !== undefined ? key === selectedKey : undefined}
                tabIndex={onRowActivate ? 0 : undefined}
                aria-label={rowLabel?.(row)}
                onClick={onRowActivate ? () => onRowActivate(row) : undefined}
                onKeyDown={onRowActivate ? onKeyDown(row) : undefined}
              >
                {columns.map((column) => <td key={column.header}>{column.cell(row)}</td>)}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
