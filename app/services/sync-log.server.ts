// The sync log as the admin's pages read it (seed 003: what happened, why, and how to fix it):
// every query is scoped to the asking store in app/models/syncLog.server.ts.
export { querySyncLog, syncActivityOf, syncLogCsv, syncLogEntryOf, syncLogFiltersSchema } from "../models/syncLog.server";
