import type { Context } from 'hono';
import { PREFIX_PATTERN } from '../services/offers/code-batch.js';
import type { AdminEnv, AdminRouter, AdminShell } from './admin-shell.js';
import type { FieldErrors } from './form-fields.js';
import { readForm, wholeNumber } from './form-read.js';
import { offerCodesBody } from './offers-codes-view.js';
import { notFound, type OffersPageDeps } from './offers-page.js';

const CODE = /^[A-Za-z0-9-]{3,32}$/;
const MAX_BATCH = 1000;

/** What is wrong with a code the owner typed, if anything. */
export function codeError(code: string, deps: OffersPageDeps): string | undefined {
  if (!CODE.test(code)) return 'A code has 3 to 32 letters, digits or dashes.';
  return deps.admin.codeTaken(code)
    ? `The code ${code.toUpperCase()} exists already; choose another.`
    : undefined;
}

export function mountCodes(router: AdminRouter, shell: AdminShell, deps: OffersPageDeps): void {
  const promo = (id: string) => {
    const found = deps.admin.get(id);
    return found?.stored.kind === 'promo_code' ? found : undefined;
  };
  const refused = (
    c: Context<AdminEnv>,
    id: string,
    errors: FieldErrors,
    values: { count: string; prefix: string; code: string },
  ) => {
    const found = promo(id);
    shell.flash(c, 'error', Object.values(errors).join(' '));
    return shell.render(c, {
      title: found?.stored.offer.name ?? id,
      nav: 'offers',
      body: offerCodesBody({
        offerId: id,
        codes: deps.admin.codesOf(id),
        batches: deps.admin.batchesOf(id),
        formatTime: deps.formatTime,
        batchValues: values,
        codeValue: values.code,
        errors,
        csrf: c.get('csrf'),
      }),
      status: 422,
    });
  };
  router.post('/offers/:id/codes', async (c) => {
    const id = c.req.param('id');
    if (promo(id) === undefined) return notFound(shell, c);
    const code = (await readForm(c)).text('code');
    const problem = codeError(code, deps);
    if (problem !== undefined) return refused(c, id, { code: problem }, { count: '', prefix: '', code });
    deps.admin.addCode(id, code);
    shell.ownerAction('offers.code.add', id, { input: { code } });
    shell.flash(c, 'ok', `Customers can now type ${code}.`);
    return c.redirect(`/admin/offers/${id}#codes`, 303);
  });
  router.post('/offers/:id/batches', async (c) => {
    const id = c.req.param('id');
    if (promo(id) === undefined) return notFound(shell, c);
    const form = await readForm(c);
    const values = { count: form.text('count'), prefix: form.text('prefix').toUpperCase(), code: '' };
    const count = wholeNumber(values.count);
    const errors: Record<string, string> = {};
    if (!(count >= 1 && count <= MAX_BATCH))
      errors.count = `Write how many codes to make, from 1 to ${MAX_BATCH}.`;
    if (!PREFIX_PATTERN.test(values.prefix)) errors.prefix = 'A prefix has up to 12 letters or digits.';
    if (Object.keys(errors).length > 0) return refused(c, id, errors, values);
    const batchId = deps.admin.createBatch(id, count, values.prefix);
    shell.ownerAction('offers.codes.batch', id, { input: { batch: batchId, count, prefix: values.prefix } });
    shell.flash(c, 'ok', `${count} single-use codes are made: download them as CSV below.`);
    return c.redirect(`/admin/offers/${id}#batches`, 303);
  });
}

export function mountBatchCsv(router: AdminRouter, shell: AdminShell, deps: OffersPageDeps): void {
  router.get('/offers/batches/:file', async (c) => {
    const batchId = c.req.param('file').replace(/\.csv$/, '');
    const found = deps.admin.batchCsv(batchId);
    if (found === undefined) return notFound(shell, c);
    shell.ownerAction('offers.codes.download', found.batch.offerId, { input: { batch: batchId } });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="codes-${found.batch.offerId}-${batchId}.csv"`);
    return c.body(found.csv);
  });
}
