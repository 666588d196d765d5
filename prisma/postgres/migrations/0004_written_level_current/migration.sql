-- Whether the dependent's level is still the one Tandem wrote, as far as its webhooks tell.
ALTER TABLE "WrittenLevel" ADD COLUMN "current" BOOLEAN NOT NULL DEFAULT true;
