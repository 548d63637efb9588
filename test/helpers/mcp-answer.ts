/** What a tools/call answered, as the SDK client returns it; `S` types the structured result. */
export interface ToolAnswer<S = Record<string, unknown>> {
  readonly isError?: boolean;
  readonly structuredContent?: S;
  readonly content: { type?: string; text?: string }[];
}

/** What a tool answered, as the model reads it. */
export function answerText(answer: Pick<ToolAnswer<unknown>, 'content'>): string {
  return answer.content.map((c) => c.text ?? '').join('\n');
}
