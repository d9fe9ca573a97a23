// Which form field a backend error is about: the backend types it (`AppError.field`); the view
// never parses it out of the message.

import type { AppError } from "../bindings/AppError";

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

/** The form field an error is about, or null when it is about none of the form's fields. */
export function formFieldOf(error: Pick<AppError, "field"> | null | undefined): FormField | null {
  const field = error?.field;
  return field && (FORM_FIELDS as readonly string[]).includes(field) ? (field as FormField) : null;
}

/** How each field is labelled in the form: what messages call it. */
export const FIELD_LABELS: Record<FormField, string> = {
  name: "Name",
  location: "Location",
  consoleUrl: "Console URL",
  apiKey: "API key",
  apiSecret: "API secret",
};

/**
 * A backend message about `field` (any form's: `consoleUrl`, `caAdmin.enrollSecret`, …) as shown
 * under that field: the backend prefixes what it says of a field with `field '<name>': ` for logs
 * and the CLI; under the field it goes without.
 */
export function fieldMessage(message: string, field: string): string {
  const prefix = `field '${field}': `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
