import { z } from "zod";
import { english, text, type Text } from "./i18n";

/**
 * Zod for fields a merchant types. A field's error carries the message to show on it (in the
 * admin's language) in the issue's params, so a route can mark that field instead of answering
 * "not understood". Anything else failing was not sent by our forms.
 */
export function fieldIssue(ctx: z.RefinementCtx, message: Text) {
  ctx.addIssue({ code: "custom", message: english.text(message), params: { text: message } });
}

/** Text typed in a field: at most `max` characters, else a field error saying so. */
export const typedText = (max: number) =>
  z.string().transform((value, ctx) => {
    if (value.length <= max) return value;
    fieldIssue(ctx, text("form.tooLong", { max, length: value.length }));
    return z.NEVER;
  });

/** Inline messages by field name when every issue is a typed field's; null otherwise. */
export function fieldErrorsOf(error: z.ZodError): Record<string, Text> | null {
  if (error.issues.length === 0 || error.issues.some((issue) => issue.code !== "custom" || !(issue as { params?: { text?: Text } }).params?.text)) return null;
  return Object.fromEntries(error.issues.map((issue) => [String(issue.path[0] ?? "form"), (issue as { params?: { text?: Text } }).params!.text!]));
}
