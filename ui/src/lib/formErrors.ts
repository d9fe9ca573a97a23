// Which form field a backend message is about. The backend names fields in its messages,
// e.g. "field 'consoleUrl': must be an https URL".

export type FormField = "name" | "location" | "consoleUrl" | "apiKey" | "apiSecret";

export const FORM_FIELDS: readonly FormField[] = ["name", "location", "consoleUrl", "apiKey", "apiSecret"];

/** The id of the input element for each field. */
export const FIELD_INPUT_IDS: Record<FormField, string> = {
  name: "console-name",
  location: "console-location",
  consoleUrl: "console-url",
  apiKey: "console-api-key",
  apiSecret: "console-api-secret",
};

const ALIASES: Record<string, FormField> = {
  name: "name",
  location: "location",
  consoleurl: "consoleUrl",
  console_url: "consoleUrl",
  apikey: "apiKey",
  api_key: "apiKey",
  apisecret: "apiSecret",
  api_secret: "apiSecret",
};

/**
 * Extracts the field a message names ("field 'consoleUrl': …", "field `api_key` …",
 * "field \"name\" …"), or null when it names none of the form's fields.
 */
export function fieldFromMessage(message: string | null | undefined): FormField | null {
  if (!message) return null;
  const re = /\bfield\s+['"`‘“]?([A-Za-z_]+)['"`’”]?/gi;
  for (const match of message.matchAll(re)) {
    const raw = match[1];
    if (raw === undefined) continue;
    const field = ALIASES[raw.toLowerCase()];
    if (field) return field;
  }
  return null;
}
