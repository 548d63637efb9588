import type { ReportPayment, SalesChannel } from '../../domain/day-report.js';

const PAYMENTS: Readonly<Record<ReportPayment, string>> = {
  demo_card: 'Demo card',
  stripe: 'Card (Stripe)',
  acp_delegated: 'Card (ACP agent)',
  pay_at_pickup: 'Pay at pickup',
  counter_cash: 'Cash at the counter',
  counter_card: 'Card at the counter',
  unknown: 'Unknown',
};

const CHANNELS: Readonly<Record<SalesChannel, string>> = {
  mcp: 'Assistants (MCP)',
  acp: 'Agents (ACP)',
  staff: 'Staff',
};

/** How a payment method reads on a report. */
export function paymentLabel(method: ReportPayment): string {
  return PAYMENTS[method];
}

/** How a channel reads on a report. */
export function channelLabel(channel: SalesChannel): string {
  return CHANNELS[channel];
}
