-- PostgreSQL baseline (ADR 0026, stage 1): `prisma migrate diff --from-empty --to-schema
-- prisma/postgres/schema.prisma --script`, the state of prisma/migrations up to 20261202090000_retention.
-- Not yet here (stage 4): the SQLite triggers and the rows the SQLite migrations insert (ADR 0026, stage 1).

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Unit" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "parentId" INTEGER,
    "names" JSONB NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationPeriod" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "names" JSONB NOT NULL,
    "startsOn" TIMESTAMP(3) NOT NULL,
    "endsOn" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "params" JSONB,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvaluationPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "periodId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "titles" JSONB NOT NULL,
    "intros" JSONB,
    "targetMode" TEXT NOT NULL DEFAULT 'all',
    "targetKind" TEXT,
    "opensAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3),
    "repeatWindowHours" INTEGER NOT NULL DEFAULT 24,
    "minSeconds" INTEGER NOT NULL DEFAULT 8,
    "kioskEnabled" BOOLEAN NOT NULL DEFAULT true,
    "burstLimit" INTEGER NOT NULL DEFAULT 5,
    "burstWindowMinutes" INTEGER NOT NULL DEFAULT 2,
    "draft" JSONB,
    "draftSavedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyUnit" (
    "surveyId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,

    CONSTRAINT "SurveyUnit_pkey" PRIMARY KEY ("surveyId","unitId")
);

-- CreateTable
CREATE TABLE "SurveyVersion" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "publishedById" INTEGER,
    "changes" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" SERIAL NOT NULL,
    "surveyVersionId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL,
    "allowNa" BOOLEAN NOT NULL DEFAULT false,
    "texts" JSONB NOT NULL,
    "helps" JSONB,
    "options" JSONB,
    "maxLength" INTEGER,
    "condition" JSONB,
    "step" INTEGER NOT NULL DEFAULT 2,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "surveyVersionId" INTEGER NOT NULL,
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "lang" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deviceId" TEXT,
    "visitId" TEXT,
    "ipHash" TEXT,
    "fingerprint" TEXT,
    "submissionId" TEXT,
    "submissionDigest" TEXT,
    "finishedAt" TIMESTAMP(3),
    "detailAt" TIMESTAMP(3),
    "detailDigest" TEXT,
    "dissatisfied" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResponseFlag" (
    "responseId" INTEGER NOT NULL,
    "flag" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResponseFlag_pkey" PRIMARY KEY ("responseId","flag")
);

-- CreateTable
CREATE TABLE "Answer" (
    "id" SERIAL NOT NULL,
    "responseId" INTEGER NOT NULL,
    "questionId" INTEGER NOT NULL,
    "grade" INTEGER,
    "notApplicable" BOOLEAN NOT NULL DEFAULT false,
    "choice" TEXT,
    "text" TEXT,
    "hiddenAt" TIMESTAMP(3),
    "hiddenReason" TEXT,

    CONSTRAINT "Answer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Complaint" (
    "id" SERIAL NOT NULL,
    "reference" TEXT NOT NULL,
    "accessCodeHash" TEXT NOT NULL,
    "unitId" INTEGER NOT NULL,
    "subjectUnitId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "description" TEXT NOT NULL,
    "occurredWhen" TEXT,
    "occurredWhere" TEXT,
    "lang" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "contactEmail" TEXT,
    "contactEmailKey" TEXT,
    "contactPhoneKey" TEXT,
    "contactRemovedAt" TIMESTAMP(3),
    "contactRemovedBy" TEXT,
    "photosRemovedAt" TIMESTAMP(3),
    "consentAt" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptDueAt" TIMESTAMP(3) NOT NULL,
    "replyDueAt" TIMESTAMP(3) NOT NULL,
    "extensionDays" INTEGER NOT NULL DEFAULT 0,
    "nextDueAt" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "repliedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "publicReply" TEXT,
    "rejectReason" TEXT,
    "supervised" BOOLEAN NOT NULL DEFAULT false,
    "handlingGrade" INTEGER,
    "ratedAt" TIMESTAMP(3),
    "ratingExcludedAt" TIMESTAMP(3),
    "ratingExcludedReason" TEXT,
    "deviceId" TEXT,
    "ipHash" TEXT,
    "responseId" INTEGER,
    "followUpDueAt" TIMESTAMP(3),
    "followUpDoneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintEvent" (
    "id" SERIAL NOT NULL,
    "complaintId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorKind" TEXT NOT NULL,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "fromUnitId" INTEGER,
    "toUnitId" INTEGER,
    "note" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'internal',

    CONSTRAINT "ComplaintEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUpCall" (
    "id" SERIAL NOT NULL,
    "complaintId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "calledAt" TIMESTAMP(3) NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "FollowUpCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferenceCounter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReferenceCounter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "names" JSONB,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "DeadlineRule" (
    "type" TEXT NOT NULL,
    "acceptDays" INTEGER NOT NULL,
    "replyDays" INTEGER NOT NULL,
    "maxExtensionDays" INTEGER NOT NULL,

    CONSTRAINT "DeadlineRule_pkey" PRIMARY KEY ("type")
);

-- CreateTable
CREATE TABLE "StaffUser" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "email" TEXT,
    "phone" TEXT,
    "lang" TEXT NOT NULL DEFAULT 'zh-Hans',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "unitId" INTEGER,
    "includeSubunits" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "idHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("idHash")
);

-- CreateTable
CREATE TABLE "ComplaintPhoto" (
    "id" SERIAL NOT NULL,
    "complaintId" INTEGER NOT NULL,
    "storedName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplaintPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" SERIAL NOT NULL,
    "complaintId" INTEGER NOT NULL,
    "days" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedBy" INTEGER NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedBy" INTEGER,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,

    CONSTRAINT "ExtensionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "note" TEXT,
    "data" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreTally" (
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "flags" TEXT NOT NULL,
    "k" INTEGER NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "g1" INTEGER NOT NULL DEFAULT 0,
    "g2" INTEGER NOT NULL DEFAULT 0,
    "g3" INTEGER NOT NULL DEFAULT 0,
    "g4" INTEGER NOT NULL DEFAULT 0,
    "g5" INTEGER NOT NULL DEFAULT 0,
    "g11" INTEGER NOT NULL DEFAULT 0,
    "g12" INTEGER NOT NULL DEFAULT 0,
    "g13" INTEGER NOT NULL DEFAULT 0,
    "g14" INTEGER NOT NULL DEFAULT 0,
    "g15" INTEGER NOT NULL DEFAULT 0,
    "g22" INTEGER NOT NULL DEFAULT 0,
    "g23" INTEGER NOT NULL DEFAULT 0,
    "g24" INTEGER NOT NULL DEFAULT 0,
    "g25" INTEGER NOT NULL DEFAULT 0,
    "g33" INTEGER NOT NULL DEFAULT 0,
    "g34" INTEGER NOT NULL DEFAULT 0,
    "g35" INTEGER NOT NULL DEFAULT 0,
    "g44" INTEGER NOT NULL DEFAULT 0,
    "g45" INTEGER NOT NULL DEFAULT 0,
    "g55" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScoreTally_pkey" PRIMARY KEY ("periodId","unitId","month","flags","k")
);

-- CreateTable
CREATE TABLE "ItemTally" (
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "flags" TEXT NOT NULL,
    "counts" JSONB NOT NULL,

    CONSTRAINT "ItemTally_pkey" PRIMARY KEY ("periodId","unitId","flags")
);

-- CreateTable
CREATE TABLE "ScoreSnapshot" (
    "id" SERIAL NOT NULL,
    "periodId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "reason" TEXT,
    "methodVersion" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "exclusions" JSONB NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoreSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreSnapshotRow" (
    "snapshotId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,

    CONSTRAINT "ScoreSnapshotRow_pkey" PRIMARY KEY ("snapshotId","unitId")
);

-- CreateTable
CREATE TABLE "PeriodPublication" (
    "id" SERIAL NOT NULL,
    "periodId" INTEGER NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" INTEGER,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnById" INTEGER,
    "withdrawReason" TEXT,

    CONSTRAINT "PeriodPublication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" INTEGER,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiCall" (
    "id" SERIAL NOT NULL,
    "tokenId" INTEGER,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "ipHash" TEXT,

    CONSTRAINT "ApiCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreVersion" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScoreVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KioskLink" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "kioskId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" INTEGER,

    CONSTRAINT "KioskLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatingCodeBatch" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT,
    "size" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" INTEGER,
    "revokeReason" TEXT,

    CONSTRAINT "RatingCodeBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatingCode" (
    "id" SERIAL NOT NULL,
    "batchId" INTEGER NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3),
    "responseId" INTEGER,

    CONSTRAINT "RatingCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecentDevice" (
    "id" SERIAL NOT NULL,
    "hopKey" TEXT NOT NULL,
    "unitId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecentDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataTask" (
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataTask_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "complaintId" INTEGER,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "template" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "lastError" TEXT,
    "providerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationOptOut" (
    "contactHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationOptOut_pkey" PRIMARY KEY ("contactHash")
);

-- CreateTable
CREATE TABLE "StaffNotice" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "complaintId" INTEGER,
    "params" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),
    "digestedAt" TIMESTAMP(3),

    CONSTRAINT "StaffNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffNoticePref" (
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,

    CONSTRAINT "StaffNoticePref_pkey" PRIMARY KEY ("userId","kind")
);

-- CreateTable
CREATE TABLE "CaseAlert" (
    "complaintId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseAlert_pkey" PRIMARY KEY ("complaintId","kind","dueAt")
);

-- CreateTable
CREATE TABLE "Rectification" (
    "id" SERIAL NOT NULL,
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "itemKey" TEXT,
    "complaintId" INTEGER,
    "evidence" JSONB,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedById" INTEGER,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "cause" TEXT,
    "measures" TEXT,
    "submittedAt" TIMESTAMP(3),
    "submittedById" INTEGER,
    "submissions" INTEGER NOT NULL DEFAULT 0,
    "decidedAt" TIMESTAMP(3),
    "decidedById" INTEGER,
    "decisionNote" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "publishedById" INTEGER,

    CONSTRAINT "Rectification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Appeal" (
    "id" SERIAL NOT NULL,
    "unitId" INTEGER NOT NULL,
    "periodId" INTEGER,
    "kind" TEXT NOT NULL,
    "responseId" INTEGER,
    "complaintId" INTEGER,
    "grounds" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "filedById" INTEGER NOT NULL,
    "filedAt" TIMESTAMP(3) NOT NULL,
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,

    CONSTRAINT "Appeal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Unit_code_key" ON "Unit"("code");

-- CreateIndex
CREATE INDEX "Unit_parentId_idx" ON "Unit"("parentId");

-- CreateIndex
CREATE INDEX "Unit_kind_idx" ON "Unit"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationPeriod_code_key" ON "EvaluationPeriod"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_slug_key" ON "Survey"("slug");

-- CreateIndex
CREATE INDEX "Survey_periodId_idx" ON "Survey"("periodId");

-- CreateIndex
CREATE INDEX "SurveyUnit_unitId_idx" ON "SurveyUnit"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyVersion_surveyId_version_key" ON "SurveyVersion"("surveyId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Question_surveyVersionId_key_key" ON "Question"("surveyVersionId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Response_visitId_key" ON "Response"("visitId");

-- CreateIndex
CREATE INDEX "Response_surveyId_unitId_deviceId_submittedAt_idx" ON "Response"("surveyId", "unitId", "deviceId", "submittedAt");

-- CreateIndex
CREATE INDEX "Response_surveyId_unitId_ipHash_submittedAt_idx" ON "Response"("surveyId", "unitId", "ipHash", "submittedAt");

-- CreateIndex
CREATE INDEX "Response_surveyId_unitId_fingerprint_idx" ON "Response"("surveyId", "unitId", "fingerprint");

-- CreateIndex
CREATE INDEX "Response_surveyVersionId_idx" ON "Response"("surveyVersionId");

-- CreateIndex
CREATE INDEX "Response_periodId_unitId_submittedAt_idx" ON "Response"("periodId", "unitId", "submittedAt");

-- CreateIndex
CREATE INDEX "Response_submittedAt_idx" ON "Response"("submittedAt");

-- CreateIndex
CREATE INDEX "Response_periodId_dissatisfied_unitId_idx" ON "Response"("periodId", "dissatisfied", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Response_surveyId_submissionId_key" ON "Response"("surveyId", "submissionId");

-- CreateIndex
CREATE INDEX "ResponseFlag_flag_idx" ON "ResponseFlag"("flag");

-- CreateIndex
CREATE INDEX "Answer_questionId_idx" ON "Answer"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "Answer_responseId_questionId_key" ON "Answer"("responseId", "questionId");

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_reference_key" ON "Complaint"("reference");

-- CreateIndex
CREATE INDEX "Complaint_unitId_status_submittedAt_idx" ON "Complaint"("unitId", "status", "submittedAt");

-- CreateIndex
CREATE INDEX "Complaint_unitId_replyDueAt_idx" ON "Complaint"("unitId", "replyDueAt");

-- CreateIndex
CREATE INDEX "Complaint_unitId_submittedAt_idx" ON "Complaint"("unitId", "submittedAt");

-- CreateIndex
CREATE INDEX "Complaint_subjectUnitId_submittedAt_idx" ON "Complaint"("subjectUnitId", "submittedAt");

-- CreateIndex
CREATE INDEX "Complaint_submittedAt_idx" ON "Complaint"("submittedAt");

-- CreateIndex
CREATE INDEX "Complaint_replyDueAt_idx" ON "Complaint"("replyDueAt");

-- CreateIndex
CREATE INDEX "Complaint_unitId_nextDueAt_idx" ON "Complaint"("unitId", "nextDueAt");

-- CreateIndex
CREATE INDEX "Complaint_nextDueAt_idx" ON "Complaint"("nextDueAt");

-- CreateIndex
CREATE INDEX "Complaint_status_nextDueAt_idx" ON "Complaint"("status", "nextDueAt");

-- CreateIndex
CREATE INDEX "Complaint_unitId_status_type_idx" ON "Complaint"("unitId", "status", "type");

-- CreateIndex
CREATE INDEX "Complaint_responseId_idx" ON "Complaint"("responseId");

-- CreateIndex
CREATE INDEX "Complaint_contactEmailKey_idx" ON "Complaint"("contactEmailKey");

-- CreateIndex
CREATE INDEX "Complaint_contactPhoneKey_idx" ON "Complaint"("contactPhoneKey");

-- CreateIndex
CREATE INDEX "Complaint_followUpDueAt_idx" ON "Complaint"("followUpDueAt");

-- CreateIndex
CREATE INDEX "Complaint_status_repliedAt_idx" ON "Complaint"("status", "repliedAt");

-- CreateIndex
CREATE INDEX "ComplaintEvent_complaintId_at_idx" ON "ComplaintEvent"("complaintId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "FollowUpCall_eventId_key" ON "FollowUpCall"("eventId");

-- CreateIndex
CREATE INDEX "FollowUpCall_complaintId_calledAt_idx" ON "FollowUpCall"("complaintId", "calledAt");

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_username_key" ON "StaffUser"("username");

-- CreateIndex
CREATE INDEX "RoleGrant_userId_idx" ON "RoleGrant"("userId");

-- CreateIndex
CREATE INDEX "RoleGrant_unitId_idx" ON "RoleGrant"("unitId");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ComplaintPhoto_storedName_key" ON "ComplaintPhoto"("storedName");

-- CreateIndex
CREATE INDEX "ComplaintPhoto_complaintId_idx" ON "ComplaintPhoto"("complaintId");

-- CreateIndex
CREATE INDEX "ExtensionRequest_complaintId_idx" ON "ExtensionRequest"("complaintId");

-- CreateIndex
CREATE INDEX "ExtensionRequest_status_idx" ON "ExtensionRequest"("status");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "ScoreSnapshot_periodId_createdAt_idx" ON "ScoreSnapshot"("periodId", "createdAt");

-- CreateIndex
CREATE INDEX "PeriodPublication_periodId_id_idx" ON "PeriodPublication"("periodId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiCall_tokenId_at_idx" ON "ApiCall"("tokenId", "at");

-- CreateIndex
CREATE INDEX "ApiCall_at_idx" ON "ApiCall"("at");

-- CreateIndex
CREATE UNIQUE INDEX "KioskLink_kioskId_key" ON "KioskLink"("kioskId");

-- CreateIndex
CREATE INDEX "KioskLink_surveyId_unitId_idx" ON "KioskLink"("surveyId", "unitId");

-- CreateIndex
CREATE INDEX "RatingCodeBatch_surveyId_unitId_createdAt_idx" ON "RatingCodeBatch"("surveyId", "unitId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RatingCode_codeHash_key" ON "RatingCode"("codeHash");

-- CreateIndex
CREATE UNIQUE INDEX "RatingCode_responseId_key" ON "RatingCode"("responseId");

-- CreateIndex
CREATE INDEX "RatingCode_batchId_idx" ON "RatingCode"("batchId");

-- CreateIndex
CREATE INDEX "RecentDevice_hopKey_at_idx" ON "RecentDevice"("hopKey", "at");

-- CreateIndex
CREATE INDEX "RecentDevice_at_idx" ON "RecentDevice"("at");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_messageId_key" ON "Notification"("messageId");

-- CreateIndex
CREATE INDEX "Notification_status_dueAt_idx" ON "Notification"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Notification_complaintId_idx" ON "Notification"("complaintId");

-- CreateIndex
CREATE INDEX "Notification_recipient_sentAt_idx" ON "Notification"("recipient", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "StaffNotice_dedupeKey_key" ON "StaffNotice"("dedupeKey");

-- CreateIndex
CREATE INDEX "StaffNotice_userId_readAt_idx" ON "StaffNotice"("userId", "readAt");

-- CreateIndex
CREATE INDEX "StaffNotice_userId_id_idx" ON "StaffNotice"("userId", "id");

-- CreateIndex
CREATE INDEX "StaffNotice_delivery_digestedAt_idx" ON "StaffNotice"("delivery", "digestedAt");

-- CreateIndex
CREATE INDEX "StaffNotice_complaintId_idx" ON "StaffNotice"("complaintId");

-- CreateIndex
CREATE INDEX "Rectification_unitId_periodId_idx" ON "Rectification"("unitId", "periodId");

-- CreateIndex
CREATE INDEX "Rectification_status_dueAt_idx" ON "Rectification"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Rectification_unitId_publishedAt_idx" ON "Rectification"("unitId", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Rectification_periodId_unitId_subjectKey_key" ON "Rectification"("periodId", "unitId", "subjectKey");

-- CreateIndex
CREATE INDEX "Appeal_unitId_filedAt_idx" ON "Appeal"("unitId", "filedAt");

-- CreateIndex
CREATE INDEX "Appeal_status_filedAt_idx" ON "Appeal"("status", "filedAt");

-- CreateIndex
CREATE INDEX "Appeal_responseId_idx" ON "Appeal"("responseId");

-- CreateIndex
CREATE INDEX "Appeal_complaintId_idx" ON "Appeal"("complaintId");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "EvaluationPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyUnit" ADD CONSTRAINT "SurveyUnit_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyUnit" ADD CONSTRAINT "SurveyUnit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyVersion" ADD CONSTRAINT "SurveyVersion_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_surveyVersionId_fkey" FOREIGN KEY ("surveyVersionId") REFERENCES "SurveyVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_surveyVersionId_fkey" FOREIGN KEY ("surveyVersionId") REFERENCES "SurveyVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "EvaluationPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseFlag" ADD CONSTRAINT "ResponseFlag_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_subjectUnitId_fkey" FOREIGN KEY ("subjectUnitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplaintEvent" ADD CONSTRAINT "ComplaintEvent_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUpCall" ADD CONSTRAINT "FollowUpCall_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUpCall" ADD CONSTRAINT "FollowUpCall_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "ComplaintEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplaintPhoto" ADD CONSTRAINT "ComplaintPhoto_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSnapshot" ADD CONSTRAINT "ScoreSnapshot_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "EvaluationPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSnapshotRow" ADD CONSTRAINT "ScoreSnapshotRow_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "ScoreSnapshot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiCall" ADD CONSTRAINT "ApiCall_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KioskLink" ADD CONSTRAINT "KioskLink_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KioskLink" ADD CONSTRAINT "KioskLink_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingCodeBatch" ADD CONSTRAINT "RatingCodeBatch_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingCodeBatch" ADD CONSTRAINT "RatingCodeBatch_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingCode" ADD CONSTRAINT "RatingCode_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "RatingCodeBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingCode" ADD CONSTRAINT "RatingCode_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffNotice" ADD CONSTRAINT "StaffNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffNoticePref" ADD CONSTRAINT "StaffNoticePref_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


