import { describe, expect, it } from 'vitest';
import { elementsNamed, parseXml, textOf } from '../../test/helpers/xml-tree.js';
import { type ChartBar, type ChartText, columnChart, rowChart } from './sales-charts.js';

const text = (id: string): ChartText => ({
  id,
  title: 'Orders per hour',
  desc: 'Paid orders placed in each hour',
  columns: ['Hour', 'Orders'],
});

/** The chart as the page sends it, parsed strictly as XML. */
async function rendered(node: unknown) {
  const html = String(await (node as { toString(): string | Promise<string> }).toString());
  return { html, figure: parseXml(html) };
}

describe('sales charts', () => {
  it('draws a column per hour with its value and every third hour named, titled and tabled', async () => {
    const bars: ChartBar[] = Array.from({ length: 24 }, (_, hour) => ({
      label: `${hour}:00`,
      value: hour === 12 ? 7 : hour === 13 ? 3 : 0,
      tick: hour % 3 === 0 ? String(hour) : undefined,
    }));
    const { figure } = await rendered(columnChart(text('hours'), bars));
    const [svg] = elementsNamed(figure, 'svg');
    expect(svg?.attributes).toMatchObject({
      viewBox: expect.stringMatching(/^0 0 320 \d+$/),
      role: 'img',
      'aria-labelledby': 'hours-title hours-desc',
    });
    expect(svg?.attributes.width).toBeUndefined();
    const rects = elementsNamed(figure, 'rect');
    expect(rects).toHaveLength(24);
    // The tallest column fills the plot; the others are to scale.
    expect(Number(rects[12]?.attributes.height)).toBe(120);
    expect(Number(rects[13]?.attributes.height)).toBeCloseTo((120 * 3) / 7, 0);
    expect(Number(rects[0]?.attributes.height)).toBe(0);
    const texts = elementsNamed(figure, 'text');
    expect(texts.filter((t) => t.attributes.class === 'value').map(textOf)).toEqual(['7', '3']);
    expect(texts.filter((t) => t.attributes.class === 'tick').map(textOf)).toEqual([
      '0',
      '3',
      '6',
      '9',
      '12',
      '15',
      '18',
      '21',
    ]);
    expect(elementsNamed(figure, 'title').map(textOf)).toEqual(['Orders per hour']);
    expect(elementsNamed(figure, 'figcaption').map(textOf)).toEqual(['Orders per hour']);
    expect(elementsNamed(figure, 'desc').map((d) => d.attributes.id)).toEqual(['hours-desc']);
    const rows = elementsNamed(figure, 'tr').slice(1);
    expect(rows).toHaveLength(24);
    expect(rows.map(textOf)[12]).toBe('12:007');
  });

  it('escapes a hostile item name in the drawing and in the table', async () => {
    const hostile = '</text><script>alert(1)</script><text x="0">&amp; "Fries" & \'Co\'';
    const { html, figure } = await rendered(
      rowChart({ ...text('top'), columns: ['Item', 'Sold'] }, [
        { label: hostile, value: 12 },
        { label: 'Cheeseburger', value: 4, text: '4 sold' },
      ]),
    );
    expect(elementsNamed(figure, 'script')).toHaveLength(0);
    expect(html).not.toContain('<script');
    expect(elementsNamed(figure, 'rect')).toHaveLength(2);
    const names = elementsNamed(figure, 'text').filter((t) => t.attributes.class === 'tick');
    expect(names.map(textOf)).toEqual([`${hostile.slice(0, 43)}…`, 'Cheeseburger']);
    expect(elementsNamed(figure, 'th').map(textOf)).toContain(hostile);
    expect(
      elementsNamed(figure, 'text')
        .filter((t) => t.attributes.class === 'value')
        .map(textOf),
    ).toEqual(['12', '4 sold']);
  });

  it('are checked by a parser that refuses what is not XML', () => {
    for (const bad of [
      '<a><b></a>',
      '<a>x & y</a>',
      '<a x=1></a>',
      '<a>1 < 2</a>',
      '<a></a><b/>',
      '<a>&nbsp;</a>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow();
    }
    expect(textOf(parseXml('<a x="&quot;">1 &lt; 2<b/></a>'))).toBe('1 < 2');
  });
});
