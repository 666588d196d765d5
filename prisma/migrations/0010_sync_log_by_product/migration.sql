-- The Products page (issue 8) reads the latest problems of one page of products.
CREATE INDEX "SyncLog_primaryProductId_createdAt_idx" ON "SyncLog"("primaryProductId", "createdAt");
