-- The level a dependent last reported that Tandem did not write, and its time: a push's base without a read.
ALTER TABLE "WrittenLevel" ADD COLUMN "observedQuantity" INTEGER;
ALTER TABLE "WrittenLevel" ADD COLUMN "observedAt" TIMESTAMP(3);
