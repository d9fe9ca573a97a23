import { describe, expect, it } from "vitest";
import { FIELD_INPUT_IDS, FORM_FIELDS, fieldMessage, formFieldOf } from "./formErrors";

describe("formFieldOf", () => {
  it.each(FORM_FIELDS)("takes the backend's typed field %s", (field) => {
    expect(formFieldOf({ field })).toBe(field);
  });

  it("ignores a field that is not on the form, and the message's wording", () => {
    expect(formFieldOf({ field: "tlsCert" })).toBeNull();
    expect(formFieldOf({ code: "invalid_input", message: "field 'apiKey': bad" } as never)).toBeNull();
  });

  it("handles a missing error or field", () => {
    expect(formFieldOf(null)).toBeNull();
    expect(formFieldOf(undefined)).toBeNull();
    expect(formFieldOf({})).toBeNull();
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

describe("fieldMessage", () => {
  it("drops the field prefix the backend writes for logs", () => {
    expect(fieldMessage("field 'consoleUrl': must be an https URL", "consoleUrl")).toBe("Must be an https URL");
    expect(fieldMessage("nothing listens at 127.0.0.1:1", "consoleUrl")).toBe("Nothing listens at 127.0.0.1:1");
    expect(fieldMessage("field 'tlscaAdmin.enrollSecret': The TLS CA admin 'admin' was refused", "tlscaAdmin.enrollSecret")).toBe(
      "The TLS CA admin 'admin' was refused",
    );
    expect(fieldMessage("field 'enrollId': required", "attrs")).toBe("Field 'enrollId': required");
  });
});
