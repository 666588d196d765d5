-- What a dependent takes of each product field (issue 36, item 1): JSON, field → "always", "first"
-- (on first import only) or "never"; a field not named keeps seed 000's default (app/sync/fields.ts).
ALTER TABLE "SyncPreferences" ADD COLUMN "fieldRules" TEXT NOT NULL DEFAULT '{}';
