#pragma once

namespace contactd::store::sqlite {

class Connection;

// Brings the database to the newest schema version (or to `target`, for tests of a migration),
// applying each missing migration in its own transaction and recording it in PRAGMA
// user_version. Switches the file to WAL mode.
// Throws SqliteError on failure, or if the file was written by a newer contactd.
void Migrate(Connection& connection, int target = -1);

// The schema version this build writes.
int LatestSchemaVersion();

}  // namespace contactd::store::sqlite
