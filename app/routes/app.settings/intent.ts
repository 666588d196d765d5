import type { Text } from "../../i18n";

/** What a Settings form gets back: the message (a toast or a banner) and any field errors. */
export type SettingsResult = {
  ok: boolean;
  message: Text;
  fieldErrors?: Record<string, Text>;
  /** A risky change not made yet: the same intent with these fields makes it once the merchant confirms. */
  confirm?: { intent: string; fields: Record<string, string>; label: Text };
};

/** The raw form, for the intents that read fields the schema passes through (the location mapping). */
export type SettingsForm = Record<string, FormDataEntryValue>;
