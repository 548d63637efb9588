/**
 * Preset dictionaries for idempotency answers (src/store/idempotency-repo.ts). An answer is mostly the
 * same keys, handlers, fulfillment options and texts each time, so deflate primed with a sample answer
 * stores only what differs: a 5.4 KB checkout session packs to about 0.2 KB instead of 1.4 KB, one 1 KB
 * b-tree page instead of three. Each row names the dictionary it was packed with, so a released
 * dictionary never changes (a test pins its hash): a better one is added under the next number.
 */

/** Version 1: an ACP checkout session as /complete answered it in the demo shop (two pickup slots kept). */
const SAMPLE_1 = {
  id: 'cs_0000000000000000',
  protocol: {
    version: '2026-04-17',
  },
  capabilities: {
    payment: {
      handlers: [
        {
          id: 'pay_at_pickup',
          name: 'dev.counterpi.pay_at_pickup',
          display_name: 'Confirm on your phone, pay at pickup',
          version: '2026-04-17',
          spec: 'https://shop.example/acp/handlers/pay_at_pickup',
          requires_delegate_payment: false,
          requires_pci_compliance: false,
          psp: 'counterpi',
          config_schema: 'https://shop.example/acp/handlers/pay_at_pickup/config.json',
          instrument_schemas: ['https://shop.example/acp/handlers/pay_at_pickup/instrument.json'],
          config: {
            confirmation: 'customer_phone',
            instrument_optional: true,
          },
        },
        {
          id: 'card_tokenized',
          name: 'dev.acp.tokenized.card',
          display_name: 'Card',
          version: '2026-04-17',
          spec: 'https://acp.dev/handlers/tokenized.card',
          requires_delegate_payment: true,
          requires_pci_compliance: false,
          psp: 'counterpi_demo_vault',
          config_schema: 'https://acp.dev/schemas/handlers/tokenized.card/config.json',
          instrument_schemas: ['https://acp.dev/schemas/handlers/tokenized.card/instrument.json'],
          config: {
            merchant_id: 'shop.example',
            psp: 'counterpi_demo_vault',
            delegate_payment_url: 'https://shop.example/agentic_commerce/delegate_payment',
            accepted_brands: ['visa', 'mastercard', 'amex', 'discover'],
            supports_3ds: false,
            environment: 'demo',
          },
        },
      ],
    },
    interventions: {
      supported: [],
      required: [],
      enforcement: 'conditional',
    },
  },
  buyer: {
    full_name: 'Bench Buyer',
    email: 'bench@example.com',
    phone_number: '+15555550123',
  },
  status: 'completed',
  currency: 'usd',
  locale: 'en-US',
  timezone: 'America/New_York',
  line_items: [
    {
      id: 'li_1',
      item: {
        id: 'cheeseburger:extra-bacon',
        name: 'Cheeseburger',
        unit_amount: 1295,
      },
      quantity: 1,
      name: 'Cheeseburger',
      description: 'Beef patty, American cheese, pickles, onions, house sauce.',
      unit_amount: 1295,
      custom_attributes: [
        {
          display_name: 'Patty',
          value: 'Beef',
        },
        {
          display_name: 'Bun',
          value: 'Brioche bun',
        },
        {
          display_name: 'Extras',
          value: 'Bacon',
        },
      ],
      variant_options: [
        {
          name: 'Patty',
          value: 'Beef',
        },
        {
          name: 'Bun',
          value: 'Brioche bun',
        },
        {
          name: 'Extras',
          value: 'Bacon',
        },
      ],
      availability_status: 'in_stock',
      max_quantity_per_order: 20,
      category: 'Burgers',
      totals: [
        {
          type: 'items_base_amount',
          display_text: 'Base amount',
          amount: 1295,
        },
        {
          type: 'subtotal',
          display_text: 'Subtotal',
          amount: 1295,
        },
        {
          type: 'total',
          display_text: 'Total',
          amount: 1295,
        },
      ],
    },
    {
      id: 'li_2',
      item: {
        id: 'fries',
        name: 'Fries',
        unit_amount: 450,
      },
      quantity: 1,
      name: 'Fries',
      description: 'Skin-on fries with sea salt.',
      unit_amount: 450,
      custom_attributes: [
        {
          display_name: 'Size',
          value: 'Regular',
        },
      ],
      variant_options: [
        {
          name: 'Size',
          value: 'Regular',
        },
      ],
      availability_status: 'in_stock',
      max_quantity_per_order: 20,
      category: 'Sides',
      totals: [
        {
          type: 'items_base_amount',
          display_text: 'Base amount',
          amount: 450,
        },
        {
          type: 'subtotal',
          display_text: 'Subtotal',
          amount: 450,
        },
        {
          type: 'total',
          display_text: 'Total',
          amount: 450,
        },
      ],
    },
  ],
  fulfillment_options: [
    {
      type: 'pickup',
      id: 'pickup_asap',
      title: 'Pickup as soon as it is ready',
      description: 'Ready by Tue, Nov 24, 12:30 PM',
      location: {
        name: 'Bun & Done Burger Bar',
        address: {
          name: 'Bun & Done Burger Bar',
          line_one: '12 Market Street',
          city: 'Springfield',
          state: '',
          country: 'US',
          postal_code: '',
        },
        phone: '+1 555 0100',
      },
      pickup_type: 'in_store',
      ready_by: '2026-11-24T17:30:00.000Z',
      totals: [
        {
          type: 'total',
          display_text: 'Pickup',
          amount: 0,
        },
      ],
    },
    {
      type: 'pickup',
      id: 'pickup_20261124T1745Z',
      title: 'Pickup at Tue, Nov 24, 12:45 PM',
      description: 'Ready by Tue, Nov 24, 12:45 PM',
      location: {
        name: 'Bun & Done Burger Bar',
        address: {
          name: 'Bun & Done Burger Bar',
          line_one: '12 Market Street',
          city: 'Springfield',
          state: '',
          country: 'US',
          postal_code: '',
        },
        phone: '+1 555 0100',
      },
      pickup_type: 'in_store',
      ready_by: '2026-11-24T17:45:00.000Z',
      totals: [
        {
          type: 'total',
          display_text: 'Pickup',
          amount: 0,
        },
      ],
    },
  ],
  selected_fulfillment_options: [
    {
      type: 'pickup',
      option_id: 'pickup_asap',
      item_ids: ['li_1', 'li_2'],
    },
  ],
  totals: [
    {
      type: 'items_base_amount',
      display_text: 'Items',
      amount: 1745,
    },
    {
      type: 'subtotal',
      display_text: 'Subtotal',
      amount: 1745,
    },
    {
      type: 'tax',
      display_text: 'Tax',
      amount: 155,
    },
    {
      type: 'total',
      display_text: 'Total',
      amount: 1900,
    },
  ],
  messages: [],
  links: [
    {
      type: 'terms_of_use',
      title: 'Terms',
      url: 'https://shop.example/legal/terms',
    },
    {
      type: 'privacy_policy',
      title: 'Privacy',
      url: 'https://shop.example/legal/privacy',
    },
  ],
  created_at: '2026-11-24T17:00:00.966Z',
  updated_at: '2026-11-24T17:00:01.220Z',
  expires_at: '2026-11-24T18:00:01.220Z',
  order: {
    id: 'ord_0000000000000000',
    checkout_session_id: 'cs_0000000000000000',
    order_number: 'A1B2',
    permalink_url: 'https://shop.example/o/ord_0000000000000000',
    status: 'confirmed',
  },
};

/** The dictionaries, by the number a row keeps in its `dictionary` column. */
export const ANSWER_DICTIONARIES: ReadonlyMap<number, Buffer> = new Map([
  [1, Buffer.from(JSON.stringify(SAMPLE_1))],
]);

/** The dictionary new answers are packed with. */
export const CURRENT_ANSWER_DICTIONARY = 1;
