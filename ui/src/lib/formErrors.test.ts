import { describe, expect, it } from "vitest";
import { FIELD_INPUT_IDS, FORM_FIELDS, fieldFromMessage } from "./formErrors";

describe("fieldFromMessage", () => {
  it.each([
    ["field 'consoleUrl': must be an https URL", "consoleUrl"],
    ["field 'name': is required", "name"],
    ["field 'location': unknown location 'mars-1'", "location"],
    ["field 'apiKey': must not be empty", "apiKey"],
    ["field 'apiSecret': must not be empty", "apiSecret"],
    ['invalid input: field "name" is too long', "name"],
    ["field `api_key` must not contain spaces", "apiKey"],
    ["Field 'console_url' is not a URL", "consoleUrl"],
    ["field ‘apiSecret’: too short", "apiSecret"],
  ])("%s → %s", (message, field) => {
    expect(fieldFromMessage(message)).toBe(field);
  });

  it.each([
    "console at https://x answered 503",
    "field 'tlsCert': not PEM",
    "the name is taken",
    "",
  ])("names no form field: %s", (message) => {
    expect(fieldFromMessage(message)).toBeNull();
  });

  it("skips a field it does not know and takes the next one it does", () => {
    expect(fieldFromMessage("field 'region': bad; field 'apiKey': bad too")).toBe("apiKey");
  });

  it("handles a missing message", () => {
    expect(fieldFromMessage(null)).toBeNull();
    expect(fieldFromMessage(undefined)).toBeNull();
  });

  it("maps every field to the documented input id", () => {
    expect(FORM_FIELDS.map((f) => FIELD_INPUT_IDS[f])).toEqual([
      "console-name",
      "console-location",
      "console-url",
      "console-api-key",
      "console-api-secret",
    ]);
  });
});
