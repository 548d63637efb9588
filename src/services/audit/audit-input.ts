import { AppError } from '../../domain/app-error.js';
import {
  MAX_REDACTED_DEPTH,
  MAX_SUMMARY_LENGTH,
  oneLine,
  redactText,
  summarizeInput,
} from './audit-redaction.js';

const MAX_REASON_LENGTH = 120;

/** Why `error` was thrown, in a few words that are safe to keep in the log. */
function reasonOf(error: unknown): string {
  try {
    const message =
      error instanceof Error ? `${error.name}: ${error.message}` : 'a value that is not an error';
    return oneLine(redactText(message), MAX_REASON_LENGTH);
  } catch {
    return 'an error that cannot be described';
  }
}

/**
 * An input as the audit log keeps it, summarised before the call it records runs: the summary is made
 * once, on the request's path, and is what gets written after the answer. A call whose input cannot
 * be recorded whole is refused before it has any effect (`refusal`).
 */
export class AuditInput {
  private constructor(
    /** Redacted canonical JSON, clipped; or what says why there is none. */
    readonly summary: string,
    /** SHA-256 of the whole redacted JSON; null when there is none. */
    readonly hash: string | null,
    /** Why the input could not be recorded whole (too deep, no JSON value): the call must not run then. */
    readonly refusal: string | undefined,
  ) {}

  /** Summarises an input; never throws: one that cannot be summarised gets a summary saying why. */
  static of(input: unknown): AuditInput | undefined {
    try {
      const summarized = summarizeInput(input);
      if (summarized === undefined) return undefined;
      return new AuditInput(summarized.summary, summarized.hash, summarized.cut);
    } catch (error) {
      const reason = reasonOf(error);
      return new AuditInput(
        oneLine(`[could not be summarised: ${reason}]`, MAX_SUMMARY_LENGTH),
        null,
        reason,
      );
    }
  }

  /** The error a surface answers a refused call with (each in its own form), or undefined. */
  refusalError(): AppError | undefined {
    if (this.refusal === undefined) return undefined;
    return new AppError(
      'invalid_input',
      `This call was not run: its input could not be recorded in the shop's audit log (${this.refusal}). ` +
        `Send plain JSON values nested at most ${MAX_REDACTED_DEPTH} levels deep.`,
    );
  }
}
