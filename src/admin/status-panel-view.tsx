import type { FC } from 'hono/jsx';
import { ActionButton } from './form-fields.js';
import { guideLink } from './guide-link.js';
import { type OrderingState, type OwnerStatusLine, TONE_BADGES } from './owner-status.js';

const OrderingLine: FC<{ ordering: OrderingState; csrf: string }> = ({ ordering, csrf }) => (
  <li class={`ordering ${ordering.tone}`}>
    <span class="name">Ordering</span> <span class="badge">{TONE_BADGES[ordering.tone]}</span>{' '}
    <span>{ordering.text}</span>
    {/* While paused, the banner above the orders has the Resume button. */}
    {ordering.paused ? null : (
      <ActionButton
        action="/admin/settings/pause"
        csrf={csrf}
        label="Pause ordering"
        kind="danger"
        fields={{ paused: 'yes', back: 'dashboard' }}
      />
    )}
  </li>
);

/** The status panel: ordering with its Pause button, then each part of the appliance in plain words. */
export const StatusPanel: FC<{ lines: readonly OwnerStatusLine[]; ordering: OrderingState; csrf: string }> = (
  p,
) => (
  <section class="status card" id="status">
    <h2>Status {guideLink('statuses')}</h2>
    <ul>
      <OrderingLine ordering={p.ordering} csrf={p.csrf} />
      {p.lines.map((line) => (
        <li class={`${line.id} ${line.tone}`}>
          <span class="name">{line.name}</span>
          {line.guide === undefined ? null : guideLink(line.guide)}{' '}
          <span class="badge">{TONE_BADGES[line.tone]}</span> <span>{line.text}</span>
        </li>
      ))}
    </ul>
  </section>
);

/** Above the orders while ordering is paused: the reason no order comes in, and the way to resume. */
export const PausedBanner: FC<{ ordering: OrderingState; csrf: string }> = (p) =>
  p.ordering.paused ? (
    <div class="flash error paused" role="status">
      <p>Ordering is paused: assistants tell customers the shop is not taking orders.</p>
      <ActionButton
        action="/admin/settings/pause"
        csrf={p.csrf}
        label="Resume ordering"
        kind="primary"
        fields={{ paused: 'no', back: 'dashboard' }}
      />
    </div>
  ) : null;
