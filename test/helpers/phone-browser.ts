/** The customer's phone: opens a confirmation link, keeps its cookie, and taps a button on the page. */
export function phoneBrowser(appUrl: string) {
  let cookie = '';
  const local = (link: string) => appUrl + new URL(link).pathname;
  const browser = {
    async open(link: string): Promise<{ status: number; html: string; csrf: string | undefined }> {
      const res = await fetch(local(link), { headers: cookie === '' ? {} : { cookie } });
      const set = res.headers.get('set-cookie');
      if (set !== null) cookie = set.split(';')[0] ?? '';
      const html = await res.text();
      return { status: res.status, html, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] };
    },
    async choose(
      link: string,
      form: { csrf?: string | undefined; decision: 'approve' | 'deny'; payment?: string },
      options: { withCookie?: boolean } = {},
    ): Promise<{ status: number; html: string }> {
      const body = new URLSearchParams({
        ...(form.csrf === undefined ? {} : { csrf: form.csrf }),
        decision: form.decision,
        ...(form.payment === undefined ? {} : { payment: form.payment }),
      });
      const res = await fetch(local(link), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(options.withCookie === false || cookie === '' ? {} : { cookie }),
        },
        body,
        redirect: 'manual',
      });
      return { status: res.status, html: await res.text() };
    },
    /** Opens the link and approves with the page's own form token: what a customer's two taps do. */
    async approve(link: string, payment = 'pay_at_pickup') {
      const opened = await browser.open(link);
      const chosen = await browser.choose(link, { csrf: opened.csrf, decision: 'approve', payment });
      return { opened, chosen };
    },
  };
  return browser;
}
