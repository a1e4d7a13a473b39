#pragma once
// The store's schema and its migrations. PRAGMA user_version holds the version;
// PRAGMA application_id marks the file as an AVVP store. Each migration runs in one
// transaction, so a store is always at a whole version.
//
//   1  videos, classes, weak labels, features, events (ground truth, corrections) and
//      the edit log
//   2  models, runs, per-segment probabilities, evaluations; events get their run, the
//      prediction they were accepted from and a review state
//   3  run outputs: the named arrays a model run computed per video (attention, TSAM,
//      CMIM, S-LOSS), what the research views show
//   4  review mode: a video's review status and its log; an event's review reason,
//      reviewer and time, and its verified flag (core/store/review.h)
#include <functional>

class QSqlDatabase;

namespace avvp::store {

inline constexpr int kSchemaVersion = 4;
inline constexpr int kApplicationId = 0x41565650;  // "AVVP"

// Brings the database to `target` (default: the latest), one version per transaction.
// `exec` runs one SQL statement and throws on failure; `version` reads PRAGMA
// user_version (inside each transaction, so two processes opening a new store at once
// do not both create it). Throws StoreError when the store is newer than `target`.
void migrate(const std::function<void(const char* sql)>& exec, const std::function<int()>& version,
             int target = kSchemaVersion);

}  // namespace avvp::store
