import type Database from 'better-sqlite3';
import { AppError } from '../domain/app-error.js';
import { idempotencyLookup } from './idempotency-lookup.js';
import { definePackedJsonFunctions } from './packed-json.js';

/** One schema step. `version` is the `user_version` the database has after it. */
interface Migration {
  readonly version: number;
  readonly up: string;
}

/** Triggers that count every row change of `tables` under `subject` in change_counts (migration 17). */
function countChanges(subject: string, tables: readonly string[]): string {
  return tables
    .flatMap((table) =>
      ['INSERT', 'UPDATE', 'DELETE'].map(
        (event) => `
      CREATE TRIGGER ${table}_counts_${event.toLowerCase()} AFTER ${event} ON ${table}
        BEGIN UPDATE change_counts SET changes = changes + 1 WHERE subject = '${subject}'; END;`,
      ),
    )
    .join('');
}

// Append only: a shipped migration is never edited, a change is a new step.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE dayparts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        days TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL
      ) STRICT;

      CREATE TABLE categories (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        tax_rate_id TEXT,
        daypart_id TEXT REFERENCES dayparts(id)
      ) STRICT;

      CREATE TABLE modifier_groups (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        selection TEXT NOT NULL CHECK (selection IN ('single', 'multiple')),
        min_select INTEGER NOT NULL CHECK (min_select >= 0),
        max_select INTEGER NOT NULL CHECK (max_select >= min_select AND max_select >= 1),
        sort INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE modifier_options (
        id TEXT PRIMARY KEY,
        group_id TEXT NOT NULL REFERENCES modifier_groups(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        price INTEGER NOT NULL DEFAULT 0,
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        sold_out INTEGER NOT NULL DEFAULT 0 CHECK (sold_out IN (0, 1)),
        sort INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX modifier_options_group ON modifier_options(group_id, sort);

      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        category_id TEXT NOT NULL REFERENCES categories(id),
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        price INTEGER NOT NULL CHECK (price >= 0),
        image_url TEXT,
        dietary TEXT NOT NULL DEFAULT '[]',
        allergens TEXT NOT NULL DEFAULT '[]',
        sold_out INTEGER NOT NULL DEFAULT 0 CHECK (sold_out IN (0, 1)),
        sort INTEGER NOT NULL DEFAULT 0,
        daypart_id TEXT REFERENCES dayparts(id),
        max_quantity INTEGER NOT NULL DEFAULT 20 CHECK (max_quantity >= 1)
      ) STRICT;
      CREATE INDEX items_category ON items(category_id, sort);

      CREATE TABLE item_modifier_groups (
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        group_id TEXT NOT NULL REFERENCES modifier_groups(id) ON DELETE CASCADE,
        sort INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (item_id, group_id)
      ) STRICT, WITHOUT ROWID;

      -- Synonym groups ("fries", "chips", "french fries"): each phrase finds the others. Phrases are stored
      -- as the search tokenizer's words joined by one space.
      CREATE TABLE search_synonyms (
        group_id INTEGER NOT NULL,
        phrase TEXT NOT NULL,
        PRIMARY KEY (group_id, phrase)
      ) STRICT, WITHOUT ROWID;

      -- Word search over text already normalized by src/store/search-text.ts (folded, stopwords out), so no
      -- stemmer: the vocabulary keeps the words as written, which typo correction compares against.
      -- Column "exact" holds the whole name as one token ("bacon_cheeseburger"): an exact name ranks first.
      -- rowid = items.rowid.
      CREATE VIRTUAL TABLE menu_fts USING fts5(
        name, description, tags, category, options, exact,
        tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
      );
      CREATE VIRTUAL TABLE menu_fts_vocab USING fts5vocab(menu_fts, 'row');
      -- Every searchable word as "^word$" trigrams (the anchors let short words match), with the number
      -- of items holding it (0 for a word only a synonym knows): finds the word a typo was meant to be.
      CREATE VIRTUAL TABLE search_terms USING fts5(
        term, docs UNINDEXED,
        tokenize = 'trigram remove_diacritics 1'
      );

      CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        response TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys(expires_at);
    `,
  },
  {
    version: 2,
    up: `
      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL UNIQUE,
        name TEXT,
        phone TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        state TEXT NOT NULL CHECK (state IN ('cart', 'awaiting_confirmation', 'paid', 'in_kitchen', 'ready',
          'collected', 'canceled', 'expired', 'refunded')),
        lines TEXT NOT NULL,
        next_line INTEGER NOT NULL DEFAULT 1,
        pickup TEXT NOT NULL DEFAULT 'asap',
        pickup_slot INTEGER,
        customer_name TEXT,
        customer_phone TEXT,
        tip TEXT NOT NULL DEFAULT '{"kind":"none"}',
        currency TEXT NOT NULL,
        priced TEXT,
        total INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        placed_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      -- One open cart per customer: the order a conversation keeps building, across reconnects and restarts.
      CREATE UNIQUE INDEX orders_one_cart ON orders(customer_id) WHERE state = 'cart';
      CREATE INDEX orders_customer ON orders(customer_id, created_at);
      CREATE INDEX orders_slot ON orders(pickup_slot) WHERE state IN ('awaiting_confirmation', 'paid', 'in_kitchen', 'ready');

      CREATE TABLE order_events (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id),
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        actor TEXT NOT NULL
      ) STRICT;
      CREATE INDEX order_events_order ON order_events(order_id, id);
    `,
  },
  {
    version: 3,
    up: `
      -- Every oidc-provider model (sessions, grants, codes, tokens, clients, interactions) in one table;
      -- src/store/oauth-adapter.ts owns it. Times are epoch seconds, as the provider counts them.
      CREATE TABLE oauth_store (
        model TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        grant_id TEXT,
        user_code TEXT,
        uid TEXT,
        expires_at INTEGER,
        consumed_at INTEGER,
        PRIMARY KEY (model, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX oauth_store_grant ON oauth_store(grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oauth_store_uid ON oauth_store(model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oauth_store_user_code ON oauth_store(model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oauth_store_expiry ON oauth_store(expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    up: `
      -- Access tokens the owner issued from the command line (counterpi token issue); the token itself is
      -- never stored. src/store/owner-tokens-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE owner_tokens (
        jti TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        subject TEXT NOT NULL REFERENCES customers(subject),
        scopes TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX owner_tokens_name ON owner_tokens(name COLLATE NOCASE, created_at);
      CREATE INDEX owner_tokens_revoked ON owner_tokens(jti) WHERE revoked_at IS NOT NULL;
    `,
  },
  {
    version: 5,
    up: `
      -- Keys agent platforms call the ACP API with (counterpi acp-key create). Only a SHA-256 of the
      -- secret is kept; the secret is shown once. src/store/acp-keys-repo.ts owns it.
      CREATE TABLE acp_api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        hint TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;

      -- ACP checkout sessions: what the agent asked for (data, JSON), and the order once completed.
      -- src/store/checkout-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE checkout_sessions (
        id TEXT PRIMARY KEY,
        api_key_id TEXT NOT NULL REFERENCES acp_api_keys(id),
        state TEXT NOT NULL CHECK (state IN ('open', 'ordered', 'canceled')),
        data TEXT NOT NULL,
        order_id TEXT REFERENCES orders(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX checkout_sessions_key ON checkout_sessions(api_key_id, created_at);
      CREATE UNIQUE INDEX checkout_sessions_order ON checkout_sessions(order_id) WHERE order_id IS NOT NULL;
    `,
  },
  {
    version: 6,
    up: `
      -- Delegated payment tokens of the embedded demo PSP (ACP delegate payment). Never the card number
      -- or CVC: the brand, last four digits, expiry and the allowance the token may be spent within.
      -- src/store/vault-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE vault_tokens (
        id TEXT PRIMARY KEY,
        api_key_id TEXT NOT NULL REFERENCES acp_api_keys(id),
        checkout_session_id TEXT NOT NULL,
        merchant_id TEXT NOT NULL,
        max_amount INTEGER NOT NULL CHECK (max_amount > 0),
        currency TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        brand TEXT NOT NULL,
        last4 TEXT NOT NULL,
        exp_month INTEGER CHECK (exp_month BETWEEN 1 AND 12),
        exp_year INTEGER,
        state TEXT NOT NULL CHECK (state IN ('active', 'consumed')),
        consumed_at INTEGER,
        consumed_by TEXT,
        consumed_amount INTEGER,
        payment_id TEXT UNIQUE,
        created_at INTEGER NOT NULL,
        CHECK ((state = 'consumed') = (consumed_at IS NOT NULL AND consumed_by IS NOT NULL AND payment_id IS NOT NULL))
      ) STRICT;
      CREATE INDEX vault_tokens_session ON vault_tokens(checkout_session_id);
    `,
  },
  {
    version: 7,
    up: `
      -- ACP carts (rfc.cart.md): the items and buyer an agent collected (data, JSON). A canceled cart is
      -- deleted; an expired one is deleted when the next cart is created. src/store/cart-repo.ts owns it.
      -- Times are epoch milliseconds.
      CREATE TABLE carts (
        id TEXT PRIMARY KEY,
        api_key_id TEXT NOT NULL REFERENCES acp_api_keys(id),
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL CHECK (expires_at > updated_at)
      ) STRICT;
      CREATE INDEX carts_expires ON carts(expires_at);
    `,
  },
  {
    version: 8,
    up: `
      -- Where signed ACP order webhooks go (counterpi webhook add). The signing secret is kept as given
      -- to the owner, since HMAC needs it; a removed endpoint keeps its row (deliveries refer to it) but
      -- not its secret. src/store/webhook-repo.ts owns both tables. Times are epoch milliseconds.
      CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT,
        created_at INTEGER NOT NULL,
        disabled_at INTEGER,
        CHECK ((disabled_at IS NULL) = (secret IS NOT NULL))
      ) STRICT;

      -- The webhook outbox: one row per event and endpoint, written in the transaction that changed the
      -- order. Rows of one order and endpoint go out in id order.
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
        order_id TEXT NOT NULL REFERENCES orders(id),
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_status INTEGER,
        last_error TEXT,
        UNIQUE (event_id, endpoint_id)
      ) STRICT;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
      CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, order_id, id) WHERE state = 'pending';
      CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, state);
    `,
  },
  {
    version: 9,
    up: `
      -- Confirmation requests (CIBA-style): the customer approves or denies a placed order on their phone.
      -- src/store/confirmation-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE confirmation_requests (
        auth_req_id TEXT PRIMARY KEY,
        link_token TEXT NOT NULL UNIQUE,
        order_id TEXT NOT NULL REFERENCES orders(id),
        state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired')),
        binding_message TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        interval_s INTEGER NOT NULL,
        last_polled_at INTEGER,
        decided_at INTEGER,
        payment TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('mcp', 'acp', 'ciba')),
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX confirmation_requests_order ON confirmation_requests(order_id, created_at);
      CREATE INDEX confirmation_requests_due ON confirmation_requests(expires_at) WHERE state = 'pending';
      -- How a paid order was paid (method and provider reference), for the ticket and refunds.
      ALTER TABLE orders ADD COLUMN payment TEXT;
    `,
  },
  {
    version: 10,
    up: `
      -- The audit log (DESIGN.md): who did what, when, with what outcome. Append-only and hash-chained:
      -- hash = SHA-256 over prev_hash and the row's canonical fields, so verify finds a changed, removed
      -- or reordered row. Inputs only as a redacted summary and a hash. src/store/audit-repo.ts owns it;
      -- src/services/audit/audit-log.ts computes the chain. Times are epoch milliseconds.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('customer', 'client', 'acp_key', 'owner', 'system')),
        actor TEXT,
        client TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        latency_ms REAL,
        input_summary TEXT,
        input_hash TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    version: 11,
    up: `
      -- Payment provider events already acted on (Stripe webhook deliveries): a replayed or re-sent event
      -- has no second effect. Written in the durable transaction of the event's effect; no foreign key,
      -- since an event may name an order this shop does not know (recorded as rejected).
      -- src/store/payment-events-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE payment_events (
        provider TEXT NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        order_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'rejected')),
        detail TEXT,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (provider, event_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX payment_events_order ON payment_events(order_id) WHERE order_id IS NOT NULL;
    `,
  },
  {
    version: 12,
    up: `
      -- Keys whose requests must be signed (Signature + Timestamp, HMAC-SHA256). The signing secret is
      -- derived from a server key and the key id, never stored (src/services/checkout/acp-keys.ts).
      ALTER TABLE acp_api_keys ADD COLUMN signing_required INTEGER NOT NULL DEFAULT 0 CHECK (signing_required IN (0, 1));
    `,
  },
  {
    version: 13,
    up: `
      -- Kitchen print jobs (DESIGN.md, kitchen): an outbox row written in the durable transaction that marks
      -- an order paid. pending → sending (committed durably before any byte leaves) → printed; a job found
      -- in sending at start-up, or whose failed send may have reached the printer, goes back to pending
      -- with reprint = 1, so its ticket is headed REPRINT.
      -- failed: never printed (the order was canceled first, or the ticket could not be built).
      -- src/store/print-jobs-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE print_jobs (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id),
        kind TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt')),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'printed', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        reprint INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX print_jobs_due ON print_jobs(next_attempt_at, id) WHERE state = 'pending';
      CREATE INDEX print_jobs_order ON print_jobs(order_id, id);
    `,
  },
  {
    version: 14,
    up: `
      -- The shop owner's account (one row): the password as a PHC-style scrypt string that carries its own
      -- salt and parameters, when onboarding finished, and the printer chosen there (JSON; NULL = PRINTER).
      -- src/store/owner-repo.ts owns both tables. Times are epoch milliseconds.
      CREATE TABLE owner_account (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        password_hash TEXT,
        onboarded_at INTEGER,
        printer TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Owner sessions: only the SHA-256 of the cookie's random id is kept, so a copy of the database
      -- (a backup) signs nobody in. expires_at slides forward while the session is used.
      CREATE TABLE owner_sessions (
        id_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX owner_sessions_expires ON owner_sessions(expires_at);

      -- The dashboard lists the day's placed orders.
      CREATE INDEX orders_placed ON orders(placed_at) WHERE placed_at IS NOT NULL;
    `,
  },
  {
    version: 15,
    up: `
      -- How an order reaches the customer (JSON, src/store/orders-repo.ts): {"type":"pickup"}, or
      -- {"type":"delivery","address":{…},"leadMinutes":N} for a local delivery from an ACP checkout.
      -- NULL, as every order written before this step has, is a pickup.
      ALTER TABLE orders ADD COLUMN fulfillment TEXT;
    `,
  },
  {
    version: 16,
    up: `
      -- Idempotency records keep whole answers (a checkout session is kilobytes). In a WITHOUT ROWID
      -- table every one of them sat in the key's b-tree, about one row a page, and each insert split
      -- pages; a rowid table appends them and leaves the key's index small: half the write cost.
      CREATE TABLE idempotency_records (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        response TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO idempotency_records (scope, key, request_hash, state, status, response, created_at, expires_at)
        SELECT scope, key, request_hash, state, status, response, created_at, expires_at
        FROM idempotency_keys ORDER BY created_at;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_records RENAME TO idempotency_keys;
      CREATE UNIQUE INDEX idempotency_keys_key ON idempotency_keys(scope, key);
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys(expires_at);
    `,
  },
  {
    version: 17,
    up: `
      -- How often each kind of cached data changed, whoever changed it (triggers, so the CLI's writes
      -- count too): the server rereads the menu, token revocations and ACP keys when their count moves.
      -- SQLite's data_version moved for any other connection's commit, and the audit writer thread
      -- commits several times a second. src/store/change-counts.ts reads it.
      CREATE TABLE change_counts (
        subject TEXT PRIMARY KEY,
        changes INTEGER NOT NULL DEFAULT 0
      ) STRICT, WITHOUT ROWID;
      INSERT INTO change_counts (subject) VALUES ('catalog'), ('owner_tokens'), ('acp_keys');
      ${countChanges('catalog', [
        'dayparts',
        'categories',
        'modifier_groups',
        'modifier_options',
        'items',
        'item_modifier_groups',
        'search_synonyms',
      ])}
      ${countChanges('owner_tokens', ['owner_tokens'])}
      ${countChanges('acp_keys', ['acp_api_keys'])}
    `,
  },
  {
    version: 18,
    up: `
      -- Grants the authorization server revoked (refresh-token reuse, a revoked refresh token): their
      -- access tokens are stateless JWTs carrying the grant id, refused while a row here says so. A row
      -- is kept until every access token of the grant has expired. src/store/oauth-adapter.ts owns it.
      CREATE TABLE revoked_grants (
        grant_id TEXT PRIMARY KEY,
        revoked_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO change_counts (subject) VALUES ('revoked_grants');
      ${countChanges('revoked_grants', ['revoked_grants'])}
    `,
  },
  {
    version: 19,
    up: `
      -- ACP affiliate attribution claims (affiliate attribution RFC §4.3): at most one first touch (the
      -- create request) and one last touch (the complete request) per checkout session, each written
      -- once (§7.3, §7.6: the first claim wins), and the order the session completed into. Write-only
      -- toward agents (§4.3.4). data is the claim as validated (JSON); the token in it is a secret.
      -- src/store/attribution-repo.ts owns it. Times are epoch milliseconds.
      CREATE TABLE affiliate_attributions (
        checkout_session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
        touchpoint TEXT NOT NULL CHECK (touchpoint IN ('first', 'last')),
        provider TEXT NOT NULL,
        data TEXT NOT NULL,
        order_id TEXT REFERENCES orders(id),
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (checkout_session_id, touchpoint)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX affiliate_attributions_order ON affiliate_attributions(order_id) WHERE order_id IS NOT NULL;
    `,
  },
  {
    version: 20,
    up: `
      -- How a customer asked to hear that their order is ready: Web Push subscriptions of the order page
      -- (the push service's endpoint URL and the browser's P-256 key and auth secret, RFC 8291) and an
      -- email address. Kept only while the order can still become ready: deleted when it is collected,
      -- canceled, expired or refunded, and a subscription when the push service says it is gone.
      -- src/store/notices-repo.ts owns both tables. Times are epoch milliseconds.
      CREATE TABLE push_subscriptions (
        order_id TEXT NOT NULL REFERENCES orders(id),
        endpoint TEXT NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (order_id, endpoint)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE order_emails (
        order_id TEXT PRIMARY KEY REFERENCES orders(id),
        email TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 21,
    up: `
      -- Idempotency records cost an SD card the most bytes of a paid order's writes. Answers are stored
      -- deflated (a checkout session's 5 KB of JSON is about 1.4 KB, and fewer overflow pages), so
      -- response holds a BLOB; rows an older build wrote keep their TEXT until they expire (ANY keeps
      -- each value's type, src/store/idempotency-repo.ts reads both). It is the last column: the hourly
      -- purge reads expires_at without walking an answer's overflow pages. There is no index on
      -- expires_at any more: every insert updated it, and the purge scans a day of rows once an
      -- hour.
      CREATE TABLE idempotency_records (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        response ANY
      ) STRICT;
      INSERT INTO idempotency_records (id, scope, key, request_hash, state, status, created_at, expires_at, response)
        SELECT id, scope, key, request_hash, state, status, created_at, expires_at, response
        FROM idempotency_keys ORDER BY id;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_records RENAME TO idempotency_keys;
      CREATE UNIQUE INDEX idempotency_keys_key ON idempotency_keys(scope, key);
    `,
  },
  {
    version: 22,
    up: `
      -- The day's close (Z report): one row per local day, written once. The report is kept as the
      -- canonical JSON whose SHA-256 the audit row at audit_seq holds, so the chain vouches for it.
      CREATE TABLE day_closes (
        day TEXT PRIMARY KEY,
        closed_at INTEGER NOT NULL,
        closed_by TEXT NOT NULL,
        report TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        audit_seq INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 23,
    up: `
      -- Kitchen stations: each prints its own lines of a paid order on its own printer (printer is the
      -- owner's printer choice as JSON, NULL for a station with no printer); the default station takes
      -- the lines no route names. A route sends a menu category, or one item (which wins), to a station.
      CREATE TABLE stations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        printer TEXT,
        is_default INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE station_routes (
        target_kind TEXT NOT NULL CHECK (target_kind IN ('category', 'item')),
        target_id TEXT NOT NULL,
        station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
        PRIMARY KEY (target_kind, target_id)
      ) STRICT;
      -- A station's job: which station (NULL: the main/expo printer), its name and place ("1 of 3")
      -- and the order's line numbers it prints, frozen when the order is paid so a reprint after a crash
      -- or a routing change prints the same ticket.
      ALTER TABLE print_jobs ADD COLUMN station_id INTEGER;
      ALTER TABLE print_jobs ADD COLUMN station_name TEXT;
      ALTER TABLE print_jobs ADD COLUMN part INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE print_jobs ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE print_jobs ADD COLUMN lines TEXT;
    `,
  },
  {
    version: 24,
    up: `
      -- The owner's offers: meal deals, automatic offers (happy hour, nth unit) and promo-code offers.
      -- rule is the domain rule's JSON (slots, windows, value, scope, minimum, validity, limits, stacking).
      CREATE TABLE offers (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('meal_deal', 'happy_hour', 'nth_unit', 'promo_code')),
        name TEXT NOT NULL,
        rule TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        sort INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      -- A batch of single-use codes of one promo-code offer, kept so its codes can be listed (CSV).
      CREATE TABLE offer_code_batches (
        id TEXT PRIMARY KEY,
        offer_id TEXT NOT NULL REFERENCES offers(id),
        created_at INTEGER NOT NULL
      ) STRICT;
      -- Every code a customer may type: code as written, code_key upper-cased for a case-blind match.
      CREATE TABLE offer_codes (
        id TEXT PRIMARY KEY,
        offer_id TEXT NOT NULL REFERENCES offers(id),
        batch_id TEXT REFERENCES offer_code_batches(id),
        code TEXT NOT NULL,
        code_key TEXT NOT NULL UNIQUE,
        single_use INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX offer_codes_batch ON offer_codes(batch_id);
      -- A code's use by an order: held while the customer confirms, used once the order is paid; a hold
      -- is deleted when the order goes back to a cart, expires or is canceled. Both count toward limits.
      CREATE TABLE offer_code_uses (
        code_id TEXT NOT NULL REFERENCES offer_codes(id),
        order_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('held', 'used')),
        at INTEGER NOT NULL,
        PRIMARY KEY (code_id, order_id)
      ) STRICT;
      CREATE INDEX offer_code_uses_subject ON offer_code_uses(code_id, subject);
      CREATE INDEX offer_code_uses_order ON offer_code_uses(order_id);
      -- The codes the customer typed on an order (a JSON array), priced with it until it is placed.
      ALTER TABLE orders ADD COLUMN promo_codes TEXT;
    `,
  },
  {
    version: 25,
    up: `
      -- The search tables are derived from the menu and now live in memory, rebuilt from the menu tables
      -- (src/store/search-index.ts): in the file they cost the SD card writes at every menu change.
      DROP TABLE menu_fts_vocab;
      DROP TABLE menu_fts;
      DROP TABLE search_terms;
    `,
  },
  {
    version: 26,
    up: `
      -- The owner's stamp card (one row): whether it is on, the minimum order, how many stamps, the reward.
      CREATE TABLE stamp_card (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        enabled INTEGER NOT NULL,
        minimum INTEGER NOT NULL,
        stamps INTEGER NOT NULL,
        reward TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      -- A stamp: one per paid order over the minimum of a signed-in customer (subject = OAuth sub).
      -- reward_order_id: the order the stamp was spent on (held while that order is confirmed).
      CREATE TABLE stamps (
        order_id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        at INTEGER NOT NULL,
        reward_order_id TEXT
      ) STRICT;
      CREATE INDEX stamps_subject ON stamps(subject, reward_order_id);
      CREATE INDEX stamps_reward ON stamps(reward_order_id);
    `,
  },
  {
    version: 27,
    up: `
      -- The kitchen screen's cards: one per paid order and station (station_id 0 when the shop has no
      -- stations), its line numbers frozen when the order is paid, as the station tickets are. bump_seq
      -- orders the bumps, so a recall undoes the last one.
      CREATE TABLE kitchen_cards (
        order_id TEXT NOT NULL,
        station_id INTEGER NOT NULL,
        station_name TEXT NOT NULL,
        lines TEXT NOT NULL,
        paid_at INTEGER NOT NULL,
        bumped_at INTEGER,
        bump_seq INTEGER,
        PRIMARY KEY (order_id, station_id)
      ) STRICT, WITHOUT ROWID;
      -- Only the cards still to cook: an order that leaves the kitchen closes its cards (bumped_at set,
      -- bump_seq left NULL), so the screen never reads through the shop's history.
      CREATE INDEX kitchen_cards_waiting ON kitchen_cards(paid_at) WHERE bumped_at IS NULL;
      -- The bumps, for the next number and a recall's "last one": written at a bump, not when paid.
      CREATE INDEX kitchen_cards_bumps ON kitchen_cards(bump_seq) WHERE bump_seq IS NOT NULL;
      CREATE INDEX kitchen_cards_station_bumps ON kitchen_cards(station_id, bump_seq) WHERE bump_seq IS NOT NULL;
      -- Each bump or recall the screens sent, by the key the screen chose: a retry after a reconnect
      -- finds its key here and changes nothing twice.
      CREATE TABLE kitchen_actions (
        key TEXT PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('bump', 'recall')),
        outcome TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX kitchen_actions_at ON kitchen_actions(at);
      -- Tablets paired with a code: only a hash of each device's token is kept; a revoked one opens nothing.
      CREATE TABLE kitchen_devices (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      -- Single-use pairing codes the owner makes on the Stations page, kept as hashes, valid for minutes.
      CREATE TABLE kitchen_pairing_codes (
        code_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      -- The screen's age timers: a card turns amber, then red, after these many minutes.
      CREATE TABLE kitchen_screen_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        amber_minutes INTEGER NOT NULL,
        red_minutes INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 28,
    up: `
      -- Idempotency answers are deflated with a preset dictionary (src/store/idempotency-dictionary.ts):
      -- a checkout session's answer fits its row's page instead of spilling onto two overflow pages.
      -- dictionary names the one a row was packed with; rows an older build wrote keep NULL (plain
      -- deflate, or TEXT) until they expire. response stays the last column (migration 21).
      CREATE TABLE idempotency_records (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        dictionary INTEGER,
        response ANY
      ) STRICT;
      INSERT INTO idempotency_records (id, scope, key, request_hash, state, status, created_at, expires_at, response)
        SELECT id, scope, key, request_hash, state, status, created_at, expires_at, response
        FROM idempotency_keys ORDER BY id;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_records RENAME TO idempotency_keys;
      CREATE UNIQUE INDEX idempotency_keys_key ON idempotency_keys(scope, key);
    `,
  },
  {
    version: 29,
    up: `
      -- The offers are read on every menu search and pricing: the server keeps them parsed and rereads
      -- them when this count moves (src/store/change-counts.ts), whichever connection changed them.
      INSERT INTO change_counts (subject) VALUES ('offers');
      ${countChanges('offers', ['offers'])}
    `,
  },
  {
    version: 30,
    up: `
      -- An idempotency record is found by a 16-byte digest of its scope and key (idempotency_lookup,
      -- src/store/idempotency-lookup.ts) instead of the two as text: the unique index's entries shrink
      -- from about 85 bytes to 20 and each paid order writes about five pages fewer.
      CREATE TABLE idempotency_records (
        id INTEGER PRIMARY KEY,
        lookup BLOB NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        dictionary INTEGER,
        response ANY
      ) STRICT;
      INSERT INTO idempotency_records (id, lookup, request_hash, state, status, created_at, expires_at, dictionary, response)
        SELECT id, idempotency_lookup(scope, key), request_hash, state, status, created_at, expires_at, dictionary, response
        FROM idempotency_keys ORDER BY id;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_records RENAME TO idempotency_keys;
      CREATE UNIQUE INDEX idempotency_keys_lookup ON idempotency_keys(lookup);
    `,
  },
  {
    version: 31,
    up: `
      -- The pickup slots' index holds every order with a slot, whatever its state: an index whose WHERE
      -- names the state was written by each move of the order (paid, in the kitchen, ready, collected),
      -- a page each on the SD card. Counting a slot's orders reads their rows for the state instead.
      DROP INDEX orders_slot;
      CREATE INDEX orders_slot ON orders(pickup_slot) WHERE pickup_slot IS NOT NULL;
    `,
  },
  {
    version: 32,
    up: `
      -- An order's prices, frozen when it is placed, in a row of their own that the order names: with
      -- them, an order of two lines was over a 1 KB page, and every move in the kitchen (a state of
      -- another length) rewrote its overflow page, the free list and the header besides its own page.
      -- The rows are numbered in the order they are written, so each new one lands on the table's last
      -- page, where the overflow page landed before; no index on order ids to write besides.
      CREATE TABLE order_prices (
        id INTEGER PRIMARY KEY,
        priced TEXT NOT NULL
      ) STRICT;
      ALTER TABLE orders ADD COLUMN priced_id INTEGER REFERENCES order_prices(id);
      INSERT INTO order_prices (id, priced) SELECT rowid, priced FROM orders WHERE priced IS NOT NULL ORDER BY rowid;
      UPDATE orders SET priced_id = rowid WHERE priced IS NOT NULL;
      ALTER TABLE orders DROP COLUMN priced;
    `,
  },
  {
    version: 33,
    up: `
      -- A delegated token's payment id is unique among spent tokens only. As a UNIQUE column it kept an
      -- index entry for every unspent token (a NULL), written when the token was delegated and again
      -- when it was spent: two pages more for each order paid by card.
      CREATE TABLE vault_tokens_33 (
        id TEXT PRIMARY KEY,
        api_key_id TEXT NOT NULL REFERENCES acp_api_keys(id),
        checkout_session_id TEXT NOT NULL,
        merchant_id TEXT NOT NULL,
        max_amount INTEGER NOT NULL CHECK (max_amount > 0),
        currency TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        brand TEXT NOT NULL,
        last4 TEXT NOT NULL,
        exp_month INTEGER CHECK (exp_month BETWEEN 1 AND 12),
        exp_year INTEGER,
        state TEXT NOT NULL CHECK (state IN ('active', 'consumed')),
        consumed_at INTEGER,
        consumed_by TEXT,
        consumed_amount INTEGER,
        payment_id TEXT,
        created_at INTEGER NOT NULL,
        CHECK ((state = 'consumed') = (consumed_at IS NOT NULL AND consumed_by IS NOT NULL AND payment_id IS NOT NULL))
      ) STRICT;
      INSERT INTO vault_tokens_33 SELECT * FROM vault_tokens ORDER BY rowid;
      DROP TABLE vault_tokens;
      ALTER TABLE vault_tokens_33 RENAME TO vault_tokens;
      CREATE INDEX vault_tokens_session ON vault_tokens(checkout_session_id);
      CREATE UNIQUE INDEX vault_tokens_payment ON vault_tokens(payment_id) WHERE payment_id IS NOT NULL;
    `,
  },
  {
    version: 34,
    up: `
      -- An order's events form a chain: the order names its last event, each event the one before it
      -- (src/store/orders-repo.ts ORDER_TRAIL_SQL). The index on (order_id, id) it replaces took an entry
      -- at each move of every order, amid the entries of the orders placed since: a page or more written
      -- per move, for a trail that only webhooks and refunds read.
      ALTER TABLE orders ADD COLUMN last_event_id INTEGER;
      ALTER TABLE order_events ADD COLUMN prev_event_id INTEGER;
      UPDATE order_events SET prev_event_id = (SELECT max(p.id) FROM order_events p
        WHERE p.order_id = order_events.order_id AND p.id < order_events.id);
      UPDATE orders SET last_event_id = (SELECT max(e.id) FROM order_events e WHERE e.order_id = orders.id);
      DROP INDEX order_events_order;
    `,
  },
  {
    version: 35,
    up: `
      -- Two indexes no query reads, each written by every order paid through ACP: checkout sessions by
      -- API key (a key is never deleted, so its foreign key is never checked from that side either) and
      -- delegated tokens by session (a token is found by its id).
      DROP INDEX checkout_sessions_key;
      DROP INDEX vault_tokens_session;
    `,
  },
  {
    version: 36,
    up: `
      -- An order's prices and a checkout session's draft are kept deflated with a dictionary of their
      -- keys (src/store/packed-json.ts): as JSON, each took an overflow page besides its own, both
      -- written again with the row (every ACP call rewrites its session). Both tables are rebuilt with a
      -- BLOB column, their rows in the order they were written.
      CREATE TABLE order_prices_36 (
        id INTEGER PRIMARY KEY,
        priced BLOB NOT NULL
      ) STRICT;
      INSERT INTO order_prices_36 (id, priced)
        SELECT id, packed_json('prices', priced) FROM order_prices ORDER BY id;
      DROP TABLE order_prices;
      ALTER TABLE order_prices_36 RENAME TO order_prices;

      CREATE TABLE checkout_sessions_36 (
        id TEXT PRIMARY KEY,
        api_key_id TEXT NOT NULL REFERENCES acp_api_keys(id),
        state TEXT NOT NULL CHECK (state IN ('open', 'ordered', 'canceled')),
        data BLOB NOT NULL,
        order_id TEXT REFERENCES orders(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      INSERT INTO checkout_sessions_36 (id, api_key_id, state, data, order_id, created_at, updated_at, expires_at, version)
        SELECT id, api_key_id, state, packed_json('checkout_draft', data), order_id, created_at, updated_at,
          expires_at, version
        FROM checkout_sessions ORDER BY rowid;
      DROP TABLE checkout_sessions;
      ALTER TABLE checkout_sessions_36 RENAME TO checkout_sessions;
      CREATE UNIQUE INDEX checkout_sessions_order ON checkout_sessions(order_id) WHERE order_id IS NOT NULL;
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings the database to SCHEMA_VERSION (or to `upTo`, for tests of a later step), one transaction per
 * step; refuses a database from a newer build.
 */
export function runMigrations(db: Database.Database, upTo = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new AppError(
      'store_too_new',
      `The database was written by a newer counterpi (schema ${current}, this one knows ${SCHEMA_VERSION}). Update counterpi.`,
    );
  }
  // SQL functions the steps call: computed in JavaScript, as the running code computes them. The
  // connection keeps them: queries read inside packed JSON with unpacked_json.
  db.function('idempotency_lookup', { deterministic: true }, (scope, key) =>
    idempotencyLookup(String(scope), String(key)),
  );
  definePackedJsonFunctions(db);
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= upTo);
  if (pending.length === 0) return;
  // A step that rebuilds a table others refer to drops it before its new copy takes the name: SQLite's
  // way (ALTER TABLE, "making other kinds of table schema changes") is with foreign keys off, checking
  // them all before the step commits. The pragma does nothing inside a transaction, hence out here.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of pending) {
      db.transaction(() => {
        db.exec(migration.up);
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length > 0) {
          const first = broken[0];
          throw new Error(
            `schema step ${migration.version} broke ${broken.length} foreign key(s), first ${first?.table} → ${first?.parent}`,
          );
        }
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    }
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}

/** The schema version of an open database. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
