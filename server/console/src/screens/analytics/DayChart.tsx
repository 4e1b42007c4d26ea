import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { Table, type Column } from '../../ui/Table.tsx';

export interface DaySeries {
  label: string;
  values: readonly (number | null)[];
  /** A CSS colour variable of the theme (--chart-1 …), read when drawing so dark mode follows. */
  color: string;
}

export interface DayChartProps {
  /** A stable id for tests and anchors, e.g. "conversations". */
  id: string;
  title: string;
  days: readonly string[];
  series: readonly DaySeries[];
  /** How a value reads in the summary, the table and the axis (counts, percent, ms, dollars). */
  format: (value: number) => string;
  /** The y axis's labels, shorter than `format` where it helps (2.1 s rather than 2,148 ms); `format` by default. */
  axis?: (value: number) => string;
  /** Bars for one series of counts per day; lines otherwise. */
  bars?: boolean;
  /** The text alternative: what the chart says, read by screen readers and shown under the title. */
  summary: string;
  /** Show the numbers as a table instead of the canvas (the screen's "Show tables" switch). */
  asTable: boolean;
}

const HEIGHT = 180;

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#4353d6';

/**
 * One figure per day, drawn by uPlot on a canvas (a few milliseconds for a year of days). The canvas is
 * decorative for assistive technology: the figure's caption states the summary, and the same numbers are
 * one switch away as a table.
 */
export function DayChart({ id, title, days, series, format, axis: axisLabel = format, bars = false, summary, asTable }: DayChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const captionId = useId();

  useEffect(() => {
    const element = holder.current;
    if (!element || asTable) return;
    const xs = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const text = cssVar('--text-muted');
    const grid = cssVar('--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '12px system-ui, sans-serif' };
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 240),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Bars get half a day of room at each end, so the first and last are whole.
        x: { time: true, ...(bars ? { range: (_u, min, max) => [min - 43_200, max + 43_200] as [number, number] } : {}) },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)) },
        { ...axis, size: 64, values: (_u, ticks) => ticks.map((t) => axisLabel(t)) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: cssVar(s.color),
          width: 2,
          ...(bars ? { fill: cssVar(s.color), paths: uPlot.paths.bars!({ size: [0.6, 40] }), points: { show: false } } : { points: { size: 5 } }),
        })),
      ],
    };
    const data = [xs, ...series.map((s) => s.values.map((v) => v))] as uPlot.AlignedData;
    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 240), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [days, series, axisLabel, bars, asTable]);

  const columns: Column<number>[] = [
    { header: 'Day', cell: (i) => days[i] },
    ...series.map((s) => ({ header: s.label, cell: (i: number) => (s.values[i] === null || s.values[i] === undefined ? '—' : format(s.values[i]!)) })),
  ];
  return (
    <figure className="chart" data-testid={`chart-${id}`} aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart__caption">
        <h3>{title}</h3>
        <p className="chart__summary" data-testid={`chart-${id}-summary`}>{summary}</p>
      </figcaption>
      {series.length > 1 ? (
        <ul className="chart__legend" aria-hidden="true">
          {series.map((s) => <li key={s.label}><span className="chart__swatch" data-color={s.color} />{s.label}</li>)}
        </ul>
      ) : null}
      {asTable ? (
        // A scrolling region reachable by keyboard (a month of days is taller than the card).
        <div className="chart__table" tabIndex={0} role="region" aria-label={`${title}, per day`}>
          <Table caption={`${title}, per day`} captionHidden columns={columns} rows={days.map((_d, i) => i)} rowKey={(i) => days[i]!} />
        </div>
      ) : (
        <div ref={holder} className="chart__canvas" aria-hidden="true" />
      )}
    </figure>
  );
}
