import { type AuthInfo, createMcpHandler } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app.js';
import { errorBody } from '../http/error-response.js';
import type { CustomerIdentity } from '../services/order-service.js';
import { createCounterpiMcpServer } from './mcp-server.js';
import type { ToolContext } from './tool-context.js';

/** Who is calling: decided by the transport (OAuth once sign-in exists), never by a tool argument. */
export type CustomerResolver = (request: Request) => CustomerIdentity | undefined;

export interface McpRouteDeps {
  readonly tools: Omit<ToolContext, 'customer'>;
  readonly resolveCustomer: CustomerResolver;
  readonly version: string;
  /** Largest JSON-RPC body accepted; a bigger one gets 413 before anything is parsed. */
  readonly maxBodyBytes?: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Host names a request may name: the public one and loopback (DNS-rebinding protection). */
function allowedHost(host: string | undefined, publicUrl: string): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === new URL(publicUrl).hostname || LOCAL_HOSTS.has(name);
}

/** Browsers send Origin: only the shop's own origin, or a loopback page, may call /mcp from a browser. */
function allowedOrigin(origin: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true;
  if (origin === publicUrl) return true;
  try {
    return LOCAL_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Mounts the MCP endpoint (Streamable HTTP: 2025-06-18, 2025-11-25 and stateless 2026-07-28) at /mcp. */
export function mountMcp(app: Hono<AppEnv>, deps: McpRouteDeps): { close(): Promise<void> } {
  const handler = createMcpHandler(
    (ctx) => {
      const subject = ctx.authInfo?.extra?.subject;
      if (typeof subject !== 'string') throw new Error('MCP request without a customer');
      return createCounterpiMcpServer({ ...deps.tools, customer: { subject } }, deps.version);
    },
    {
      legacy: 'stateless',
      // JSON, not SSE: tunnels and proxies in front of a shop's Pi often buffer or cut event streams.
      responseMode: 'json',
      maxRequestBodySize: deps.maxBodyBytes ?? 256 * 1024,
      onerror: (error) => deps.tools.log.warn({ err: error }, 'mcp request rejected'),
    },
  );
  app.all('/mcp', async (c) => {
    const { publicUrl } = deps.tools;
    if (!allowedHost(c.req.header('host'), publicUrl)) {
      return c.json(
        errorBody('invalid_input', 'This host name is not served here.', c.get('requestId')),
        403,
      );
    }
    if (!allowedOrigin(c.req.header('origin'), publicUrl)) {
      return c.json(
        errorBody('invalid_input', 'Requests from this web origin are not allowed.', c.get('requestId')),
        403,
      );
    }
    const customer = deps.resolveCustomer(c.req.raw);
    if (customer === undefined) {
      return c.json(errorBody('invalid_input', 'Sign in to order.', c.get('requestId')), 401);
    }
    const authInfo: AuthInfo = {
      token: '',
      clientId: 'counterpi-transport',
      scopes: [],
      extra: { subject: customer.subject },
    };
    return handler.fetch(c.req.raw, { authInfo });
  });
  return { close: () => handler.close() };
}
