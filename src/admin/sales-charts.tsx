import type { Child } from 'hono/jsx';

/** One bar: what it is called in the table, its value, and how the value reads. */
export interface ChartBar {
  readonly label: string;
  readonly value: number;
  /** The value as people read it ("$12.50"); the number itself when left out. */
  readonly text?: string;
  /** The label under a column; left out to keep 24 hours legible on a phone. */
  readonly tick?: string;
}

/** A chart's accessible name and description, and the id its parts are named from. */
export interface ChartText {
  /** Unique on the page: the title's and description's ids derive from it. */
  readonly id: string;
  readonly title: string;
  readonly desc: string;
  /** The table's column heads: what a bar is, and what its value is. */
  readonly columns: readonly [string, string];
}

/**
 * The drawing's own units: about a phone's width, so text drawn at 11 units reads at about 11 px there;
 * the stylesheet (`svg.chart`) stretches it to the column's width and colours it.
 */
const WIDTH = 320;
const PLOT = { top: 16, height: 120, bottom: 18 } as const;
const ROW = 32;
/** Room right of the longest bar for its value. */
const VALUE_ROOM = 72;
/** SVG text does not wrap: a longer name is cut, and the table under the chart has it whole. */
const NAME_CHARS = 44;

const valueText = (bar: ChartBar) => bar.text ?? String(bar.value);
const round = (n: number) => Math.round(n * 10) / 10;

/** The chart's numbers as a table, folded under it, for screen readers and for reading exact values. */
function numbers(t: ChartText, bars: readonly ChartBar[]): Child {
  return (
    <details>
      <summary>The numbers</summary>
      <table class="numbers" aria-label={t.title}>
        <thead>
          <tr>
            <th scope="col">{t.columns[0]}</th>
            <th scope="col">{t.columns[1]}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr>
              <th scope="row">{bar.label}</th>
              <td>{valueText(bar)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Columns left to right (hours of a day, days of a week), with the value above each column that has one. */
export function columnChart(text: ChartText, bars: readonly ChartBar[]): Child {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = WIDTH / Math.max(1, bars.length);
  const base = PLOT.top + PLOT.height;
  return (
    <figure class="chart">
      <figcaption>{text.title}</figcaption>
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${base + PLOT.bottom}`}
        role="img"
        aria-labelledby={`${text.id}-title ${text.id}-desc`}
      >
        <title id={`${text.id}-title`}>{text.title}</title>
        <desc id={`${text.id}-desc`}>{text.desc}</desc>
        <line class="axis" x1="0" x2={WIDTH} y1={base} y2={base} />
        {bars.map((bar, i) => {
          const height = round((bar.value / max) * PLOT.height);
          const middle = round(slot * i + slot / 2);
          return (
            <g>
              <rect
                class="bar"
                x={round(slot * i + slot * 0.15)}
                y={base - height}
                width={round(slot * 0.7)}
                height={height}
              />
              {bar.value > 0 ? (
                <text class="value" x={middle} y={base - height - 4} text-anchor="middle">
                  {valueText(bar)}
                </text>
              ) : null}
              {bar.tick === undefined ? null : (
                <text class="tick" x={middle} y={base + 14} text-anchor="middle">
                  {bar.tick}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {numbers(text, bars)}
    </figure>
  );
}

/** One row per bar, the name above its bar and the value after it: long item names fit a phone. */
export function rowChart(text: ChartText, bars: readonly ChartBar[]): Child {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = WIDTH - VALUE_ROOM;
  return (
    <figure class="chart">
      <figcaption>{text.title}</figcaption>
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${ROW * bars.length + 4}`}
        role="img"
        aria-labelledby={`${text.id}-title ${text.id}-desc`}
      >
        <title id={`${text.id}-title`}>{text.title}</title>
        <desc id={`${text.id}-desc`}>{text.desc}</desc>
        {bars.map((bar, i) => {
          const width = Math.max(1, round((bar.value / max) * room));
          const name = bar.label.length > NAME_CHARS ? `${bar.label.slice(0, NAME_CHARS - 1)}…` : bar.label;
          return (
            <g>
              <text class="tick" x="0" y={ROW * i + 12}>
                {name}
              </text>
              <rect class="bar" x="0" y={ROW * i + 16} width={width} height="12" />
              <text class="value" x={width + 4} y={ROW * i + 26}>
                {valueText(bar)}
              </text>
            </g>
          );
        })}
      </svg>
      {numbers(text, bars)}
    </figure>
  );
}
