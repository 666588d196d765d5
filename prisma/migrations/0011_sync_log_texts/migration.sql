-- Sync log entries keep their message and fix as message keys with parameters (JSON), so the admin
-- shows them in the merchant's language; `message` and `fix` keep the English for the CSV and older rows.
ALTER TABLE "SyncLog" ADD COLUMN "texts" TEXT;
