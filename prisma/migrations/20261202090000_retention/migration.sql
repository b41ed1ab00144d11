-- Issue 15, personal data kept only as long as needed (docs/decisions/0024): when a complaint's
-- contact details were erased (at the citizen's request or by retention) and when retention deleted
-- its photos. Columns are added in place (no table rebuild), so the triggers on Complaint stay.
ALTER TABLE "Complaint" ADD COLUMN "contactRemovedAt" DATETIME;
ALTER TABLE "Complaint" ADD COLUMN "contactRemovedBy" TEXT;
ALTER TABLE "Complaint" ADD COLUMN "photosRemovedAt" DATETIME;
