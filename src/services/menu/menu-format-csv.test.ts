import { describe, expect, it } from 'vitest';
import { isAppError } from '../../domain/app-error.js';
import { DEFAULT_MAX_QUANTITY, type Menu, WEEKDAYS } from '../../domain/catalog.js';
import { demoMenu } from '../shop/demo-shop.js';
import { CSV_COLUMNS } from './menu-csv-columns.js';
import { menuToCsv } from './menu-format-csv.js';
import { parseMenuFile } from './menu-import.js';

const USD = { format: 'csv', currency: 'USD', taxRateIds: ['food', 'drinks'] } as const;

/** The violations of a failing parse as "path: message" lines. */
function problems(text: string, options: Parameters<typeof parseMenuFile>[1] = USD): string[] {
  try {
    parseMenuFile(text, options);
  } catch (error) {
    if (!isAppError(error, 'menu_import_invalid')) throw error;
    return error.violations.map((v) => `${v.path}: ${v.message}`);
  }
  throw new Error('the file was accepted');
}

const HEADER = 'kind,id,parent,name,price,description,groups,selection,max';

describe('CSV menu format', () => {
  it('exports the demo menu and imports it back to an identical menu', () => {
    const csv = menuToCsv(demoMenu(), 'USD');
    expect(csv.startsWith(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(parseMenuFile(csv, USD)).toEqual(demoMenu());
  });

  it('reads a file as a spreadsheet saves it: BOM, CRLF, capitals, quotes, commas, line breaks, blank rows', () => {
    const csv = [
      '\uFEFFKind, ID ,Parent,Name,Price,Description,Groups,Selection,Max,Dietary,Start,End',
      'daypart,breakfast,,Breakfast,,,,,,,6:00,11:00:00',
      '',
      'category,burgers,,"Burgers, smashed",,,,,,,,',
      'group,extras,,Extras,,,,Multiple,,,,',
      'option,cheese,extras,Cheese,1,,,,,,,',
      'option,bacon,extras,Bacon,,,,,,,,',
      'item,cheeseburger,burgers,"The ""Classic""",10.95,"Beef, cheese\r\nand pickles",extras,,,Vegetarian | gluten-free,,',
      ',,,,,,,,,,,',
      '',
    ].join('\r\n');
    const expected: Menu = {
      dayparts: [{ id: 'breakfast', name: 'Breakfast', days: [...WEEKDAYS], start: '06:00', end: '11:00' }],
      categories: [
        {
          id: 'burgers',
          name: 'Burgers, smashed',
          description: '',
          sort: 0,
          taxRateId: undefined,
          daypartId: undefined,
        },
      ],
      modifierGroups: [
        {
          ...{ id: 'extras', name: 'Extras', selection: 'multiple', min: 0, max: 2, sort: 0 },
          options: [
            {
              id: 'cheese',
              groupId: 'extras',
              name: 'Cheese',
              price: 100,
              isDefault: false,
              soldOut: false,
              sort: 0,
            },
            {
              id: 'bacon',
              groupId: 'extras',
              name: 'Bacon',
              price: 0,
              isDefault: false,
              soldOut: false,
              sort: 1,
            },
          ],
        },
      ],
      items: [
        {
          ...{
            id: 'cheeseburger',
            categoryId: 'burgers',
            name: 'The "Classic"',
            description: 'Beef, cheese\nand pickles',
          },
          ...{
            price: 1095,
            imageUrl: undefined,
            dietary: ['vegetarian', 'gluten-free'],
            allergens: [],
            soldOut: false,
          },
          ...{
            sort: 0,
            daypartId: undefined,
            modifierGroupIds: ['extras'],
            maxQuantity: DEFAULT_MAX_QUANTITY,
          },
        },
      ],
    };
    expect(parseMenuFile(csv, USD)).toStrictEqual(expected);
  });

  it('counts rows as a spreadsheet shows them: a cell with a line break is one row, blank lines are rows', () => {
    const csv = [
      HEADER,
      'category,burgers,,Burgers,,"Smashed\nto order",,,',
      '',
      'item,fries,burgers,Fries,4.5O,,,,',
      'item,shake,burgers,Shake,6.50,"Thick\n""and""\ncold",,,',
      'item,cola,burgers,Cola,2.750,,,,',
    ].join('\n');
    expect(problems(csv)).toEqual([
      "row 4, column price: '4.5O' is not a price — write it like 8.50",
      "row 6, column price: '2.750' has too many decimals for USD — write it like 8.50",
    ]);
  });

  it('reads and writes JPY prices without decimals', () => {
    const options = { ...USD, currency: 'JPY' };
    const csv = [
      HEADER,
      'category,ramen,,Ramen,,,,,',
      'group,toppings,,Toppings,,,,multiple,',
      'option,egg,toppings,Egg,150,,,,',
      'item,shoyu,ramen,Shoyu Ramen,1200,,toppings,,',
    ].join('\n');
    const menu = parseMenuFile(csv, options);
    expect(menu.items.map((item) => item.price)).toEqual([1200]);
    expect(menu.modifierGroups[0]?.options.map((option) => option.price)).toEqual([150]);
    const exported = menuToCsv(menu, 'JPY');
    expect(exported).toContain('\r\noption,egg,toppings,Egg,,150,0,no,no,');
    expect(exported).toContain('\r\nitem,shoyu,ramen,Shoyu Ramen,,1200,0,no,,,,toppings,');
    expect(parseMenuFile(exported, options)).toEqual(menu);
    expect(
      problems(`${HEADER}\ncategory,ramen,,Ramen,,,,,\nitem,miso,ramen,Miso,1200.50,,,,`, options),
    ).toEqual([
      "row 3, column price: '1200.50' has decimals, but JPY prices are whole numbers — write it like 1200",
    ]);
  });

  it('quotes exactly the cells that need it, and those cells come back unchanged', () => {
    const menu: Menu = {
      dayparts: [],
      categories: [
        { id: 'pies', name: 'Pies', description: '', sort: 0, taxRateId: 'food', daypartId: undefined },
      ],
      modifierGroups: [],
      items: [
        {
          ...{
            id: 'pie',
            categoryId: 'pies',
            name: 'Pie, "apple"',
            description: 'Warm.\nWith cream',
            price: 495,
          },
          ...{
            imageUrl: 'https://example.com/pie.jpg?a=1,2',
            dietary: ['vegetarian'],
            allergens: ['gluten', 'milk'],
          },
          ...{ soldOut: true, sort: 3, daypartId: undefined, modifierGroupIds: [], maxQuantity: 5 },
        },
      ],
    };
    const csv = menuToCsv(menu, 'USD');
    expect(csv.split('\r\n')).toEqual([
      `\uFEFF${CSV_COLUMNS.join(',')}`,
      'category,pies,,Pies,,,0,,,,,,,food,,,,,,,,',
      'item,pie,pies,"Pie, ""apple""","Warm.\nWith cream",4.95,3,yes,,vegetarian,gluten|milk,,,,' +
        '"https://example.com/pie.jpg?a=1,2",5,,,,,,',
      '',
    ]);
    expect(parseMenuFile(csv, USD)).toEqual(menu);
  });

  it('names unknown, repeated and missing header columns and reads no further', () => {
    const csv = 'kind,id,Colour,name,name,description\nitem,fries,red,Fries,Fries,\n';
    expect(problems(csv)).toEqual([
      `row 1, column Colour: 'Colour' is not a column — use one of: ${CSV_COLUMNS.join(', ')} — or remove it`,
      'row 1: the header is missing the columns parent, price',
      'row 1, column name: the column name appears twice',
    ]);
    expect(problems('\n\nitem,fries')).toEqual([
      `row 1: the first row must be the header: ${CSV_COLUMNS.join(',')}`,
    ]);
  });

  it('explains a quote that is never closed, and values outside the header', () => {
    expect(
      problems(`${HEADER}\ncategory,burgers,,"Burgers,,,,,,\nitem,fries,burgers,Fries,4.50,,,,\n`),
    ).toEqual([
      'file: a cell opens a quote (") that is never closed, so the rest of the file became one cell — close the quote or remove it',
    ]);
    const csv = [
      'kind,id,parent,name,price,description',
      'category,sides,,Sides,,Crisp, salted',
      'item,fries,sides,Fries,4.50,',
      'item,rings,sides,Rings,5.50,Crisp, battered',
    ].join('\n');
    const stray =
      'the row has 1 value outside the header\'s columns — is there a comma in a cell that is not inside "quotes"?';
    // The category row is reported once; the item that names it is not reported as well.
    expect(problems(csv)).toEqual([`row 2: ${stray}`, `row 4: ${stray}`]);
  });
});
