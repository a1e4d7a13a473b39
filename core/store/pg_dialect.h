#pragma once
// The team store on PostgreSQL: the store's URL (postgresql://user[:password]@host:port/db,
// also postgres://) and the small dialect layer that turns the store's SQLite statements
// (schema migrations and queries) into PostgreSQL ones, so that one schema and one set of
// migrations serve both.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace avvp::store {

// Whether `text` starts with postgresql:// or postgres:// (any case).
bool isPostgresUrl(std::string_view text);

struct PgUrl {
    std::string user;
    std::string password;
    std::string host = "localhost";
    int port = 5432;
    std::string database;
    // postgresql://user@host:port/db: the URL without its password, for messages, the
    // window title and the store's path.
    std::string display() const;
};

// The parts of a PostgreSQL URL (percent-decoded); nullopt with `problem` set when it is
// none (no database, a port that is no number, ...).
std::optional<PgUrl> parsePgUrl(std::string_view text, std::string* problem = nullptr);

// The URL without its password (text that is no PostgreSQL URL comes back unchanged).
std::string redactUrl(std::string_view text);

// The advisory lock key every writer takes first: writers queue as on SQLite's
// BEGIN IMMEDIATE, so that a check (undo's "unchanged since?") and the write after it
// see no other writer in between.
inline constexpr long long kPgWriteLock = 0x41565650;  // "AVVP"

// The PostgreSQL statements for one SQLite statement of the store (empty: nothing to do,
// e.g. PRAGMA journal_mode). DDL: INTEGER -> BIGINT, REAL -> DOUBLE PRECISION, BLOB ->
// BYTEA, `id INTEGER PRIMARY KEY [AUTOINCREMENT]` -> an identity column, WITHOUT ROWID
// dropped; PRAGMA user_version / application_id -> the avvp_schema row; BEGIN IMMEDIATE
// -> BEGIN and the write lock; INSERT OR IGNORE -> ON CONFLICT DO NOTHING; `IS ?` -> IS
// NOT DISTINCT FROM ?; PRAGMA data_version -> the change counter; PRAGMA integrity_check
// -> a few consistency queries that give "ok" when sound.
std::vector<std::string> toPostgres(std::string_view sqliteSql);

// Created with a new PostgreSQL store, before the migrations: the row that stands for
// SQLite's PRAGMA user_version and application_id, and the change counter that stands
// for PRAGMA data_version.
inline constexpr const char* kPgSchemaTable =
    "CREATE TABLE IF NOT EXISTS avvp_schema(application_id BIGINT NOT NULL DEFAULT 0, "
    "user_version BIGINT NOT NULL DEFAULT 0, changes BIGINT NOT NULL DEFAULT 0, "
    "one BIGINT PRIMARY KEY DEFAULT 1 CHECK(one = 1))";

}  // namespace avvp::store
