import { test } from "node:test";
import assert from "node:assert/strict";
import { redact } from "../src/log";

test("secrets never reach a log line", () => {
  const out = JSON.stringify(
    redact({ dbUrl: "postgres://gis:TopSecret@db:5432/x", tokenPin: "1234", nested: { password: "p", keyPass: "k" }, ok: "visible" }),
  );
  assert.doesNotMatch(out, /TopSecret|1234|"p"|"k"/);
  assert.match(out, /postgres:\/\/gis:\*\*\*@db:5432\/x/);
  assert.match(out, /visible/);
});
