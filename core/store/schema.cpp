#include "core/store/schema.h"

#include <string>

#include "core/store/store.h"
#include "core/taxonomy.h"

namespace avvp::store {

namespace {

// Version 1. Frozen: a store written by this version must keep opening, so change the
// schema only by adding a migration below (tests/data/store/v1.sql is such a store).
const char* const kVersion1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE classes(id INTEGER PRIMARY KEY CHECK(id BETWEEN 0 AND 24), "
    "name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE videos("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "filename TEXT NOT NULL UNIQUE, "
    "split TEXT CHECK(split IN ('train', 'val', 'test')), "
    "duration_ms INTEGER CHECK(duration_ms IS NULL OR duration_ms > 0), "
    "media_path TEXT, "
    "gt_audio INTEGER NOT NULL DEFAULT 0 CHECK(gt_audio IN (0, 1)), "
    "gt_visual INTEGER NOT NULL DEFAULT 0 CHECK(gt_visual IN (0, 1)), "
    "added_at INTEGER NOT NULL)",
    "CREATE INDEX videos_split ON videos(split)",
    "CREATE TABLE weak_labels("
    "video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, "
    "class_id INTEGER NOT NULL REFERENCES classes(id), "
    "PRIMARY KEY(video_id, class_id)) WITHOUT ROWID",
    "CREATE TABLE features("
    "video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, "
    "kind TEXT NOT NULL, path TEXT NOT NULL, shape TEXT NOT NULL DEFAULT '', "
    "PRIMARY KEY(video_id, kind)) WITHOUT ROWID",
    "CREATE TABLE events("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, "
    "modality INTEGER NOT NULL CHECK(modality IN (0, 1)), "
    "class_id INTEGER NOT NULL REFERENCES classes(id), "
    "onset_ms INTEGER NOT NULL CHECK(onset_ms >= 0), "
    "offset_ms INTEGER NOT NULL, "
    "source INTEGER NOT NULL CHECK(source IN (0, 1, 2)), "
    "annotator TEXT NOT NULL DEFAULT '', "
    "created_at INTEGER NOT NULL, "
    "modified_at INTEGER NOT NULL, "
    "CHECK(offset_ms > onset_ms))",
    "CREATE INDEX events_video ON events(video_id, source, modality)",
    // One row per history entry: `changes` is a JSON array of {id, before, after} event
    // snapshots (null before = created, null after = deleted); state 0 done, 1 undone,
    // 2 dropped (undone, then superseded by a new edit).
    "CREATE TABLE edits("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "annotator TEXT NOT NULL, "
    "at INTEGER NOT NULL, "
    "kind TEXT NOT NULL, "
    "description TEXT NOT NULL, "
    "changes TEXT NOT NULL, "
    "state INTEGER NOT NULL DEFAULT 0 CHECK(state IN (0, 1, 2)), "
    "state_at INTEGER)",
    "CREATE INDEX edits_cursor ON edits(annotator, state, id)",
};

const char* const kVersion2[] = {
    "CREATE TABLE models("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "name TEXT NOT NULL UNIQUE, "
    "variant TEXT NOT NULL DEFAULT '', "
    "checkpoint TEXT NOT NULL DEFAULT '', "
    "config TEXT NOT NULL DEFAULT '{}', "
    "created_at INTEGER NOT NULL)",
    "CREATE TABLE runs("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "name TEXT NOT NULL UNIQUE, "
    "model_id INTEGER REFERENCES models(id) ON DELETE SET NULL, "
    "params TEXT NOT NULL DEFAULT '{}', "
    "frame_threshold REAL NOT NULL DEFAULT 0.5, "
    "global_threshold REAL NOT NULL DEFAULT 0.5, "
    "created_at INTEGER NOT NULL)",
    // frame: segments x 2 x 25 float32 little endian; global: 25 float32.
    "CREATE TABLE probabilities("
    "id INTEGER PRIMARY KEY, "
    "run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
    "video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, "
    "segments INTEGER NOT NULL CHECK(segments > 0), "
    "frame BLOB NOT NULL, "
    "global BLOB NOT NULL, "
    "UNIQUE(run_id, video_id))",
    "CREATE TABLE evaluations("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE, "
    "source INTEGER NOT NULL CHECK(source IN (0, 1, 2)), "
    "annotator TEXT NOT NULL DEFAULT '', "
    "split TEXT NOT NULL DEFAULT '', "
    "protocol TEXT NOT NULL, "
    "videos INTEGER NOT NULL, "
    "scores TEXT NOT NULL, "
    "details TEXT NOT NULL DEFAULT '', "
    "created_at INTEGER NOT NULL)",
    "ALTER TABLE events ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL",
    "ALTER TABLE events ADD COLUMN origin_id INTEGER",
    "ALTER TABLE events ADD COLUMN review INTEGER NOT NULL DEFAULT 0 CHECK(review IN (0, 1, 2))",
    "CREATE INDEX events_run ON events(run_id) WHERE run_id IS NOT NULL",
};

// The named outputs a model run computed per video besides its probabilities (what the
// research views draw): shape "d0,d1,...", data float32 little endian in C order.
const char* const kVersion3[] = {
    "CREATE TABLE run_outputs("
    "id INTEGER PRIMARY KEY, "
    "run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
    "video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, "
    "name TEXT NOT NULL, "
    "shape TEXT NOT NULL, "
    "data BLOB NOT NULL, "
    "UNIQUE(run_id, video_id, name))",
};

// Review mode (portable SQL: the same statements run on PostgreSQL). A video's review
// status (0 to do, 1 in progress, 2 needs review, 3 done) with who set it and when, and
// the log of every change; an event's review decision (the `review` column of version 2:
// 0 none, 1 accepted, 2 rejected) gets its reason, reviewer and time, and events get the
// `verified` flag no prediction import overwrites or deletes.
const char* const kVersion4[] = {
    "CREATE TABLE video_review("
    "video_id INTEGER PRIMARY KEY REFERENCES videos(id) ON DELETE CASCADE, "
    "status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1, 2, 3)), "
    "annotator TEXT NOT NULL DEFAULT '', "
    "set_at INTEGER NOT NULL)",
    "CREATE TABLE video_review_log("
    "id INTEGER PRIMARY KEY, "
    "video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, "
    "status INTEGER NOT NULL CHECK(status IN (0, 1, 2, 3)), "
    "previous INTEGER CHECK(previous IS NULL OR previous IN (0, 1, 2, 3)), "
    "annotator TEXT NOT NULL DEFAULT '', "
    "at INTEGER NOT NULL)",
    "CREATE INDEX video_review_log_video ON video_review_log(video_id, at)",
    "ALTER TABLE events ADD COLUMN review_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE events ADD COLUMN reviewer TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE events ADD COLUMN reviewed_at INTEGER",
    "ALTER TABLE events ADD COLUMN verified INTEGER NOT NULL DEFAULT 0 CHECK(verified IN (0, 1))",
};

}  // namespace

void migrate(const std::function<void(const char*)>& exec, const std::function<int()>& version,
             int target) {
    for (;;) {
        exec("BEGIN IMMEDIATE");
        const int current = version();
        if (current >= target) {
            exec("COMMIT");
            if (current > target)
                throw StoreError("schema version " + std::to_string(current) +
                                 " is newer than this program knows (" + std::to_string(target) +
                                 ")");
            return;
        }
        const int v = current + 1;
        try {
            if (v == 1) {
                exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
                for (const char* sql : kVersion1) exec(sql);
                for (int c = 0; c < core::kNumClasses; ++c) {
                    const std::string sql =
                        "INSERT INTO classes(id, name) VALUES(" + std::to_string(c) + ", '" +
                        std::string(core::kClassNames[static_cast<std::size_t>(c)]) + "')";
                    exec(sql.c_str());
                }
            } else if (v == 2) {
                for (const char* sql : kVersion2) exec(sql);
            } else if (v == 3) {
                for (const char* sql : kVersion3) exec(sql);
            } else if (v == 4) {
                for (const char* sql : kVersion4) exec(sql);
            }
            exec(("PRAGMA user_version = " + std::to_string(v)).c_str());
            exec("COMMIT");
        } catch (...) {
            // A statement that fails because the disk is full may have made SQLite roll the
            // transaction back itself: then ROLLBACK fails ("no transaction is active"), and
            // the first error is the one to report.
            try {
                exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
    }
}

}  // namespace avvp::store
