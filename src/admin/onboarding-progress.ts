import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isPublicHttps } from './admin-request.js';

/** Onboarding's pages in order; the first one is `/admin/onboarding` itself. */
export const ONBOARDING_STEPS = ['shop', 'menu', 'printer', 'address'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/** Where each step's page is. */
export const STEP_PATHS: Readonly<Record<OnboardingStep, string>> = {
  shop: '/admin/onboarding',
  menu: '/admin/onboarding/menu',
  printer: '/admin/onboarding/printer',
  address: '/admin/onboarding/address',
};

const COOKIE = 'cp_onboarding';

/**
 * The step this browser has reached, so that `/admin` (or a reload) during onboarding goes back to it
 * rather than to step 1. A cookie, not a stored row: it only chooses which page of onboarding to show,
 * each step checks its own form, and nothing is finished until the last step's POST.
 */
export function createOnboardingProgress(deps: { readonly publicUrl: string }) {
  return {
    reached(c: Context): OnboardingStep | undefined {
      const value = getCookie(c, COOKIE);
      return ONBOARDING_STEPS.find((step) => step === value);
    },
    reach(c: Context, step: OnboardingStep): void {
      setCookie(c, COOKIE, step, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isPublicHttps(c, deps.publicUrl),
        path: '/admin',
        maxAge: 7 * 24 * 3600,
      });
    },
    finish(c: Context): void {
      deleteCookie(c, COOKIE, { path: '/admin', secure: isPublicHttps(c, deps.publicUrl) });
    },
  };
}

export type OnboardingProgress = ReturnType<typeof createOnboardingProgress>;
