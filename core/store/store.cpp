#include "core/store/store.h"
#include "core/quote.h"

#include <unistd.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QUrl>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <system_error>
#include <unordered_map>

#include "core/error.h"
#include "core/formats/label_document.h"
#include "core/prediction.h"
#include "core/store/pg_dialect.h"
#include "core/store/schema.h"
#include "core/store/store_impl.h"

namespace avvp::store {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little,
              "probability blobs are stored as little-endian float32");

Timestamp nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string secondsText(std::int64_t ms) {
    auto text = core::formatSeconds(ms);
    if (text.find('.') == std::string::npos) text += ".0";
    return text + " s";
}

std::string pastEndText(std::int64_t offsetMs, std::int64_t limitMs) {
    return "ends at " + secondsText(offsetMs) + ", after the end of the video (" +
           secondsText(limitMs) + ")";
}

std::string_view sourceName(Source s) {
    switch (s) {
        case Source::GroundTruth:
            return "ground_truth";
        case Source::Prediction:
            return "prediction";
        case Source::Correction:
            return "correction";
    }
    return "?";
}

std::optional<Source> sourceFromName(std::string_view name) {
    if (name == "ground_truth" || name == "gt") return Source::GroundTruth;
    if (name == "prediction" || name == "pred") return Source::Prediction;
    if (name == "correction" || name == "corr") return Source::Correction;
    return std::nullopt;
}

std::string_view reviewName(Review r) {
    switch (r) {
        case Review::None:
            return "none";
        case Review::Accepted:
            return "accepted";
        case Review::Rejected:
            return "rejected";
    }
    return "?";
}

// ---- Impl ------------------------------------------------------------------------------

Store::Impl::~Impl() {
    cache.clear();
    if (db.isValid()) {
        if (depth > 0) db.exec("ROLLBACK");
        db.close();
    }
    db = QSqlDatabase();
    if (!connection.isEmpty()) QSqlDatabase::removeDatabase(connection);
}

void Store::Impl::fail(const QSqlQuery& q, std::string_view what) const {
    const auto err = q.lastError();
    std::string sql(what);
    if (sql.size() > 80) sql = sql.substr(0, 77) + "...";
    // SQLITE_FULL (13), or an I/O error (10) where the store's folder has no space left (the
    // journal could not be created): say that the disk is full, the cause the user can act on.
    if (pg) {
        // SQLSTATE 53100: disk_full.
        if (err.nativeErrorCode() == QLatin1String("53100"))
            throw StoreError(path.string() + ": the disk of the PostgreSQL server is full (" +
                             err.databaseText().toStdString() +
                             "); the change was not stored (in: " + sql + ")");
        throw StoreError(path.string() + ": " + err.text().toStdString() + " (in: " + sql + ")");
    }
    const int code = err.nativeErrorCode().toInt() & 0xff;
    bool full = code == 13;
    if (code == 10) {
        std::error_code ec;
        const auto folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
        const auto space = fs::space(folder, ec);
        full = !ec && space.available < 64 * 1024;
    }
    if (full)
        throw StoreError(path.string() +
                         ": the disk is full (SQLite: " + err.databaseText().toStdString() +
                         "); the change was not stored (in: " + sql + ")");
    throw StoreError(path.string() + ": " + err.text().toStdString() + " (in: " + sql + ")");
}

QSqlQuery& Store::Impl::prepared(std::string_view sql) {
    auto it = cache.find(std::string(sql));
    if (it != cache.end()) return *it->second;
    auto q = std::make_unique<QSqlQuery>(db);
    q->setForwardOnly(true);
    std::string text(sql);
    if (pg) {
        const auto statements = toPostgres(sql);
        if (statements.size() != 1)
            throw StoreError("no single PostgreSQL statement for: " + std::string(sql));
        text = statements.front();
    }
    if (!q->prepare(QString::fromStdString(text))) fail(*q, text);
    return *cache.emplace(std::string(sql), std::move(q)).first->second;
}

void Store::Impl::execute(const QString& sql) {
    if (pg) {
        for (const auto& statement : toPostgres(sql.toStdString())) {
            QSqlQuery q(db);
            if (!q.exec(QString::fromStdString(statement))) fail(q, statement);
            q.finish();
        }
        return;
    }
    QSqlQuery q(db);
    if (!q.exec(sql)) fail(q, sql.toStdString());
    q.finish();
}

std::int64_t Store::Impl::scalar(std::string_view sql) {
    auto& q = run(sql);
    Rows r(q);
    return r.next() ? r.i64(0) : 0;
}

void Store::Impl::begin() {
    if (access != Store::Access::ReadWrite)
        throw ReadOnlyError(path.string() + ": the store is read-only (" +
                            (access == Store::Access::ReadOnlyAsked
                                 ? "opened for reading only"
                                 : "the file or its folder is not writable") +
                            "); nothing was changed");
    if (readDepth > 0) throw StoreError("a write inside a read scope");
    if (depth == 0) {
        execute("BEGIN IMMEDIATE");
        rollbackOnly = false;
    }
    ++depth;
}

void Store::Impl::commit() {
    if (depth == 0) throw StoreError("commit without a transaction");
    if (depth > 1) {
        --depth;
        return;
    }
    if (rollbackOnly) {
        rollback();
        throw StoreError("the transaction was rolled back (an inner step failed)");
    }
    try {
        // PostgreSQL: the change counter (SQLite's data_version), one more per write
        // transaction. When it moved by more than ours, another connection wrote since.
        std::optional<std::int64_t> counter;
        if (pg) counter = scalar("UPDATE avvp_schema SET changes = changes + 1 RETURNING changes");
        execute("COMMIT");
        if (counter) {
            if (dataVersion >= 0 && *counter != dataVersion + 1) externalSeen = true;
            dataVersion = *counter;
        }
    } catch (...) {
        rollback();  // leave no transaction open behind a failed commit
        throw;
    }
    depth = 0;
    Change c = std::move(pending);
    pending = Change{};
    const bool any = c.videos || c.events || c.history || c.runs || c.predictions || c.evaluations;
    if (any) notify(c);
}

void Store::Impl::rollback() {
    if (depth == 0) return;
    if (depth > 1) {
        --depth;
        rollbackOnly = true;
        return;
    }
    depth = 0;
    rollbackOnly = false;
    pending = Change{};
    for (auto& [sql, q] : cache) q->finish();  // no statement may hold the transaction open
    QSqlQuery q(db);
    q.exec("ROLLBACK");
}

void Store::Impl::readBegin() {
    if (depth == 0 && readDepth == 0) execute("BEGIN");
    ++readDepth;
}

void Store::Impl::readEnd() {
    if (--readDepth == 0 && depth == 0) {
        QSqlQuery q(db);
        q.exec("COMMIT");
    }
}

void Store::Impl::changed(const Change& c) {
    pending.videos |= c.videos;
    pending.events |= c.events;
    pending.history |= c.history;
    pending.runs |= c.runs;
    pending.predictions |= c.predictions;
    pending.evaluations |= c.evaluations;
    pending.videoIds.insert(pending.videoIds.end(), c.videoIds.begin(), c.videoIds.end());
    pending.eventIds.insert(pending.eventIds.end(), c.eventIds.begin(), c.eventIds.end());
}

void Store::Impl::notify(const Change& c) {
    // Copy: a listener may unsubscribe while we iterate.
    const auto current = listeners;
    for (const auto& [id, fn] : current) fn(c);
}

std::int64_t Store::Impl::queryDataVersion() {
    return scalar("PRAGMA data_version");
}

Event readEvent(const Rows& r, int f) {
    Event e;
    e.id = r.i64(f);
    e.video = r.i64(f + 1);
    e.modality = r.i32(f + 2) == 0 ? core::Modality::Audio : core::Modality::Visual;
    e.cls = r.i32(f + 3);
    e.onsetMs = r.i64(f + 4);
    e.offsetMs = r.i64(f + 5);
    e.source = static_cast<Source>(r.i32(f + 6));
    e.run = r.optI64(f + 7);
    e.annotator = r.str(f + 8);
    e.origin = r.optI64(f + 9);
    e.review = static_cast<Review>(r.i32(f + 10));
    e.createdAt = r.i64(f + 11);
    e.modifiedAt = r.i64(f + 12);
    return e;
}

std::optional<Event> loadEvent(Store::Impl& impl, EventId id) {
    static const std::string sql =
        std::string("SELECT ") + kEventColumns + " FROM events e WHERE e.id = ?";
    Rows r(impl.run(sql, id));
    if (!r.next()) return std::nullopt;
    return readEvent(r);
}

// ---- open ------------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const fs::path& path) {
    return open(path, Options{});
}

namespace {

// Whether this user may write the store file and create its -wal / -shm files beside it.
// A file without any write permission bit counts as not writable even for root, whom
// permissions do not stop: nobody is meant to write it.
bool storeWritable(const fs::path& path) {
    std::error_code ec;
    if (::access(path.c_str(), W_OK) != 0) return false;
    const auto perms = fs::status(path, ec).permissions();
    constexpr auto anyWrite =
        fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
    if (!ec && (perms & anyWrite) == fs::perms::none) return false;
    auto folder = fs::absolute(path, ec).parent_path();
    if (folder.empty()) folder = ".";
    return ::access(folder.c_str(), W_OK) == 0;
}

// A PostgreSQL store (postgresql://user[:password]@host:port/db): the same schema and
// migrations through the dialect layer (pg_dialect.h). The password is used to connect and
// appears nowhere else (path(), messages).
void openPostgres(Store::Impl& d, const std::string& text, const Store::Options& options) {
    std::string problem;
    const auto url = parsePgUrl(text, &problem);
    if (!url) throw core::InputError(redactUrl(text), 0, problem);
    const std::string shown = url->display();
    d.pg = true;
    d.path = shown;
    if (options.readOnly) d.access = Store::Access::ReadOnlyAsked;
    const bool readOnly = options.readOnly;
    d.db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), d.connection);
    if (!d.db.isValid())
        throw StoreError(
            "the Qt PostgreSQL driver (QPSQL) is not available; install libqt6sql6-psql");
    d.db.setHostName(QString::fromStdString(url->host));
    d.db.setPort(url->port);
    d.db.setDatabaseName(QString::fromStdString(url->database));
    if (!url->user.empty()) d.db.setUserName(QString::fromStdString(url->user));
    if (!url->password.empty()) d.db.setPassword(QString::fromStdString(url->password));
    d.db.setConnectOptions(QStringLiteral("connect_timeout=10"));
    if (!d.db.open())
        throw core::InputError(shown, 0,
                               "cannot connect: " + d.db.lastError().text().toStdString());
    // No NOTICE lines on stderr ("relation already exists, skipping"); a writer waits for
    // another one at most the busy timeout, as on SQLite.
    for (const auto& sql : {QStringLiteral("SET client_min_messages = warning"),
                            QStringLiteral("SET lock_timeout = %1").arg(options.busyTimeoutMs)}) {
        QSqlQuery q(d.db);
        if (!q.exec(sql)) d.fail(q, sql.toStdString());
    }
    auto hasSchema = [&] {
        return d.scalar(
                   "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                   "current_schema() AND table_name = 'avvp_schema'") > 0;
    };
    const auto tables = d.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    if (!hasSchema()) {
        if (tables > 0)
            throw core::InputError(shown, 0,
                                   "a PostgreSQL database, but not an AVVP Studio store (it has " +
                                       std::to_string(tables) + " other tables)");
        if (readOnly || !options.create)
            throw core::InputError(shown, 0,
                                   std::string("an empty database, not a store yet") +
                                       (readOnly ? " (opened read-only); open it writable once "
                                                   "to create the store"
                                                 : ""));
        // Two processes creating the store at once: one after the other.
        QSqlQuery q(d.db);
        const auto lock = std::to_string(kPgWriteLock);
        for (const std::string& sql :
             {"SELECT pg_advisory_lock(" + lock + ")", std::string(kPgSchemaTable),
              std::string("INSERT INTO avvp_schema(one) VALUES(1) ON CONFLICT DO NOTHING"),
              "SELECT pg_advisory_unlock(" + lock + ")"})
            if (!q.exec(QString::fromStdString(sql))) d.fail(q, sql);
        q.finish();
    }
    const auto appId = d.scalar("PRAGMA application_id");
    const auto version = d.scalar("PRAGMA user_version");
    if (appId != kApplicationId && version != 0)
        throw core::InputError(shown, 0, "a PostgreSQL database, but not an AVVP Studio store");
    if (version > kSchemaVersion)
        throw core::InputError(shown, 0,
                               "written by a newer AVVP Studio (store schema " +
                                   std::to_string(version) + "; this program knows up to " +
                                   std::to_string(kSchemaVersion) + ")");
    if (readOnly && version < kSchemaVersion)
        throw core::InputError(shown, 0,
                               "written by an older AVVP Studio (store schema " +
                                   std::to_string(version) +
                                   ", opened read-only); open it writable once to upgrade it "
                                   "to schema " +
                                   std::to_string(kSchemaVersion));
    if (readOnly) {
        d.execute(QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
    } else {
        migrate([&](const char* sql) { d.execute(QString::fromUtf8(sql)); },
                [&] { return static_cast<int>(d.scalar("PRAGMA user_version")); });
        d.run("INSERT OR IGNORE INTO meta(key, value) VALUES('created_at', ?)",
              std::to_string(nowMs()));
    }
    d.dataVersion = d.queryDataVersion();
}

}  // namespace

std::unique_ptr<Store> Store::open(const fs::path& path, Options options) {
    std::error_code ec;
    if (isPostgresUrl(path.native())) {
        if (options.annotator.empty()) {
            const char* user = std::getenv("USER");
            options.annotator = user && *user ? user : "annotator";
        }
        auto impl = std::make_unique<Impl>();
        impl->annotator = options.annotator;
        impl->connection =
            QStringLiteral("avvp-store-%1").arg(reinterpret_cast<quintptr>(impl.get()), 0, 16);
        openPostgres(*impl, path.native(), options);
        return std::unique_ptr<Store>(new Store(std::move(impl)));
    }
    const bool exists = fs::exists(path, ec);
    if (exists && fs::is_directory(path, ec))
        throw core::InputError(path.string(), 0, "is a folder, not a store file");
    if (!exists && (!options.create || options.readOnly))
        throw core::InputError(path.string(), 0, "no store at this path");
    if (options.annotator.empty()) {
        const char* user = std::getenv("USER");
        options.annotator = user && *user ? user : "annotator";
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->annotator = options.annotator;
    if (exists && !storeWritable(path))
        impl->access = Access::ReadOnlyNotWritable;
    else if (options.readOnly)
        impl->access = Access::ReadOnlyAsked;
    const bool readOnly = impl->access != Access::ReadWrite;
    // Read-only without a -wal file: no connection has the store open (the last one to
    // close removes the log) or it is a copy of the file alone. Read it as immutable, so
    // that SQLite creates no -wal / -shm file (it could not in a read-only folder) and
    // takes no lock. With a -wal file, a writer may be at work: read through the log.
    const bool immutable = readOnly && !fs::exists(fs::path(path.string() + "-wal"), ec);
    // Unique while this connection lives (the Impl's address).
    impl->connection =
        QStringLiteral("avvp-store-%1").arg(reinterpret_cast<quintptr>(impl.get()), 0, 16);
    impl->db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), impl->connection);
    if (!impl->db.isValid())
        throw StoreError(
            "the Qt SQLite driver (QSQLITE) is not available; install libqt6sql6-sqlite");
    QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs);
    if (readOnly) connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
    if (immutable) {
        connectOptions += QStringLiteral(";QSQLITE_OPEN_URI");
        const auto url =
            QUrl::fromLocalFile(QString::fromStdString(fs::absolute(path, ec).string()));
        impl->db.setDatabaseName(url.toString(QUrl::FullyEncoded) + QStringLiteral("?immutable=1"));
    } else {
        impl->db.setDatabaseName(QString::fromStdString(path.string()));
    }
    impl->db.setConnectOptions(connectOptions);
    if (!impl->db.open())
        throw core::InputError(path.string(), 0,
                               "cannot open: " + impl->db.lastError().text().toStdString());
    auto& d = *impl;
    d.execute(QStringLiteral("PRAGMA busy_timeout = %1").arg(options.busyTimeoutMs));
    {
        // The first statement reads the file header: a file that is not SQLite fails here
        // (SQLITE_NOTADB, SQLITE_CORRUPT); anything else (a lock, a file that cannot be
        // read) is no reason to call the file damaged.
        QSqlQuery q(d.db);
        if (!q.exec(QStringLiteral("PRAGMA schema_version"))) {
            const auto err = q.lastError();
            const int code = err.nativeErrorCode().toInt() & 0xff;
            if (code == 26 || code == 11)
                throw core::InputError(
                    path.string(), 0,
                    "not an SQLite database, or a damaged one (" + err.text().toStdString() + ")");
            throw core::InputError(path.string(), 0,
                                   "cannot read" + std::string(readOnly ? " (read-only)" : "") +
                                       ": " + err.text().toStdString());
        }
    }
    const auto appId = d.scalar("PRAGMA application_id");
    const auto version = d.scalar("PRAGMA user_version");
    const auto tables = d.scalar("SELECT count(*) FROM sqlite_master");
    if (appId != kApplicationId && (tables > 0 || version != 0))
        throw core::InputError(path.string(), 0,
                               "an SQLite database, but not an AVVP Studio store");
    if (version > kSchemaVersion)
        throw core::InputError(path.string(), 0,
                               "written by a newer AVVP Studio (store schema " +
                                   std::to_string(version) + "; this program knows up to " +
                                   std::to_string(kSchemaVersion) + ")");
    if (readOnly && version < kSchemaVersion) {
        const std::string why = impl->access == Access::ReadOnlyAsked
                                    ? "opened read-only"
                                    : "read-only: the file or its folder is not writable";
        if (version == 0)
            throw core::InputError(path.string(), 0,
                                   "an empty file, not a store yet (" + why +
                                       "); open it writable once to create the store");
        throw core::InputError(path.string(), 0,
                               "written by an older AVVP Studio (store schema " +
                                   std::to_string(version) + ", " + why +
                                   "); open it writable once to upgrade it to schema " +
                                   std::to_string(kSchemaVersion));
    }
    d.execute(QStringLiteral("PRAGMA foreign_keys = ON"));
    if (!readOnly) {
        // WAL: readers never block the writer and a commit costs one append to the log;
        // synchronous=NORMAL syncs the log at checkpoints only, which keeps every committed
        // transaction through a process kill (not through a power cut).
        d.execute(QStringLiteral("PRAGMA journal_mode = WAL"));
        d.execute(options.fullSync ? QStringLiteral("PRAGMA synchronous = FULL")
                                   : QStringLiteral("PRAGMA synchronous = NORMAL"));
        migrate([&](const char* sql) { d.execute(QString::fromUtf8(sql)); },
                [&] { return static_cast<int>(d.scalar("PRAGMA user_version")); });
        d.run("INSERT OR IGNORE INTO meta(key, value) VALUES('created_at', ?)",
              std::to_string(nowMs()));
    }
    d.dataVersion = d.queryDataVersion();
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int Store::schemaVersion() {
    return kSchemaVersion;
}
const fs::path& Store::path() const {
    return impl_->path;
}
const std::string& Store::annotator() const {
    return impl_->annotator;
}
Store::Access Store::access() const {
    return impl_->access;
}

StoreInfo Store::info() const {
    auto& d = *impl_;
    ReadScope read(d);
    StoreInfo s;
    s.path = d.path.string();
    s.annotator = d.annotator;
    s.schemaVersion = static_cast<int>(d.scalar("PRAGMA user_version"));
    {
        Rows r(d.run("SELECT split, count(*) FROM videos GROUP BY split"));
        while (r.next()) {
            const auto split = core::splitFromName(r.str(0));
            s.videosPerSplit[split ? static_cast<std::size_t>(*split) : 3] += r.i64(1);
            s.videos += r.i64(1);
        }
    }
    {
        Rows r(d.run("SELECT source, count(*) FROM events GROUP BY source"));
        while (r.next()) s.eventsPerSource.at(static_cast<std::size_t>(r.i32(0))) = r.i64(1);
    }
    s.edits = d.scalar("SELECT count(*) FROM edits");
    s.runs = d.scalar("SELECT count(*) FROM runs");
    s.models = d.scalar("SELECT count(*) FROM models");
    s.evaluations = d.scalar("SELECT count(*) FROM evaluations");
    return s;
}

std::string Store::integrityCheck() const {
    auto& d = *impl_;
    std::string out;
    Rows r(d.run("PRAGMA integrity_check"));
    while (r.next()) out += (out.empty() ? "" : "\n") + r.str(0);
    return out;
}

// ---- transactions and notifications ------------------------------------------------------

Store::Transaction::Transaction(Store& store) : store_(store) {
    store_.impl_->begin();
}

Store::Transaction::~Transaction() {
    if (!done_) store_.impl_->rollback();
}

void Store::Transaction::commit() {
    done_ = true;
    store_.impl_->commit();
}

int Store::subscribe(ChangeListener listener) {
    const int id = impl_->nextListener++;
    impl_->listeners.emplace(id, std::move(listener));
    return id;
}

void Store::unsubscribe(int id) {
    impl_->listeners.erase(id);
}

bool Store::pollExternalChanges() {
    const auto v = impl_->queryDataVersion();
    if (v == impl_->dataVersion && !impl_->externalSeen) return false;
    impl_->dataVersion = v;
    impl_->externalSeen = false;
    Change c;
    c.videos = c.events = c.history = c.runs = c.predictions = c.evaluations = true;
    c.external = true;
    impl_->notify(c);
    return true;
}

// ---- videos ----------------------------------------------------------------------------

namespace {

// A shape as the store keeps it (features, run outputs): "d0,d1,...", "" for none.
std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s;
    for (const auto d : shape) s += (s.empty() ? "" : ",") + std::to_string(d);
    return s;
}

// The dimensions of a stored shape; nullopt when the text is not a list of whole numbers
// of at least 0 (a damaged row).
std::optional<std::vector<std::int64_t>> parseShape(const std::string& text) {
    std::vector<std::int64_t> shape;
    for (std::size_t at = 0; at < text.size();) {
        const auto comma = std::min(text.find(',', at), text.size());
        std::int64_t dim = -1;
        try {
            dim = std::stoll(text.substr(at, comma - at));
        } catch (const std::exception&) {
        }
        if (dim < 0) return std::nullopt;
        shape.push_back(dim);
        at = comma + 1;
    }
    return shape;
}

void requireVideoName(const std::string& name) {
    if (name.empty()) throw EditError("a video needs a name");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7F)
            throw EditError("video name " + core::quote(name) + " holds a control character");
}

std::optional<std::string> splitText(const std::optional<core::Split>& s) {
    if (!s) return std::nullopt;
    return std::string(core::splitName(*s));
}

const char* const kVideoColumns =
    "id, filename, split, duration_ms, media_path, gt_audio, gt_visual, added_at";

Video readVideo(const Rows& r) {
    Video v;
    v.id = r.i64(0);
    v.filename = r.str(1);
    if (!r.isNull(2)) v.split = core::splitFromName(r.str(2));
    v.durationMs = r.isNull(3) ? 0 : r.i64(3);
    v.mediaPath = r.str(4);
    v.groundTruth = {r.i32(5) != 0, r.i32(6) != 0};
    v.addedAt = r.i64(7);
    return v;
}

core::ClassSet weakOf(Store::Impl& d, VideoId id) {
    core::ClassSet set = 0;
    Rows r(d.run("SELECT class_id FROM weak_labels WHERE video_id = ?", id));
    while (r.next()) set |= core::ClassSet{1} << r.i32(0);
    return set;
}

std::optional<Video> oneVideo(Store::Impl& d, const std::string& where, const QVariant& key) {
    ReadScope read(d);
    std::optional<Video> v;
    {
        Rows r(d.run(std::string("SELECT ") + kVideoColumns + " FROM videos WHERE " + where, key));
        if (r.next()) v = readVideo(r);
    }
    if (v) v->weak = weakOf(d, v->id);
    return v;
}

}  // namespace

VideoId Store::ensureVideo(const NewVideo& nv) {
    requireVideoName(nv.filename);
    if (nv.durationMs < 0) throw EditError("a negative duration");
    auto& d = *impl_;
    Transaction tx(*this);
    VideoId id = 0;
    bool update = false;
    {
        Rows r(d.run("SELECT id, split, duration_ms, media_path FROM videos WHERE filename = ?",
                     nv.filename));
        if (r.next()) {
            id = r.i64(0);
            update = (nv.split && r.str(1) != core::splitName(*nv.split)) ||
                     (nv.durationMs > 0 && r.i64(2) != nv.durationMs) ||
                     (!nv.mediaPath.empty() && r.str(3) != nv.mediaPath);
        }
    }
    if (id == 0) {
        auto& q = d.run(
            "INSERT INTO videos(filename, split, duration_ms, media_path, added_at) "
            "VALUES(?, ?, ?, ?, ?)",
            nv.filename, splitText(nv.split),
            nv.durationMs > 0 ? std::optional<std::int64_t>(nv.durationMs) : std::nullopt,
            nv.mediaPath.empty() ? std::optional<std::string>() : nv.mediaPath, nowMs());
        id = q.lastInsertId().toLongLong();
        d.changed({.videos = true, .videoIds = {id}});
    } else if (update) {
        d.run(
            "UPDATE videos SET split = coalesce(?, split), duration_ms = coalesce(?, duration_ms), "
            "media_path = coalesce(?, media_path) WHERE id = ?",
            splitText(nv.split),
            nv.durationMs > 0 ? std::optional<std::int64_t>(nv.durationMs) : std::nullopt,
            nv.mediaPath.empty() ? std::optional<std::string>() : nv.mediaPath, id);
        d.changed({.videos = true, .videoIds = {id}});
    }
    tx.commit();
    return id;
}

std::optional<Video> Store::video(VideoId id) const {
    return oneVideo(*impl_, "id = ?", sqlValue(id));
}

std::optional<Video> Store::videoByName(std::string_view filename) const {
    return oneVideo(*impl_, "filename = ?", sqlValue(filename));
}

std::int64_t Store::videoCount() const {
    return impl_->scalar("SELECT count(*) FROM videos");
}

void Store::setMedia(VideoId id, const std::string& mediaPath, std::int64_t durationMs) {
    auto& d = *impl_;
    Transaction tx(*this);
    d.run("UPDATE videos SET media_path = ?, duration_ms = coalesce(?, duration_ms) WHERE id = ?",
          mediaPath.empty() ? std::optional<std::string>() : mediaPath,
          durationMs > 0 ? std::optional<std::int64_t>(durationMs) : std::nullopt, id);
    d.changed({.videos = true, .videoIds = {id}});
    tx.commit();
}

void Store::setWeakLabels(VideoId id, core::ClassSet classes) {
    auto& d = *impl_;
    Transaction tx(*this);
    if (weakOf(d, id) != classes) {
        d.run("DELETE FROM weak_labels WHERE video_id = ?", id);
        for (int c = 0; c < core::kNumClasses; ++c)
            if (core::hasClass(classes, c))
                d.run("INSERT INTO weak_labels(video_id, class_id) VALUES(?, ?)", id, c);
        d.changed({.videos = true, .videoIds = {id}});
    }
    tx.commit();
}

void Store::setFeature(VideoId id, const Feature& f) {
    const std::string shape = shapeText(f.shape);
    auto& d = *impl_;
    Transaction tx(*this);
    bool same = false;
    {
        Rows r(
            d.run("SELECT path, shape FROM features WHERE video_id = ? AND kind = ?", id, f.kind));
        same = r.next() && r.str(0) == f.path && r.str(1) == shape;
    }
    if (!same) {
        d.run(
            "INSERT INTO features(video_id, kind, path, shape) VALUES(?, ?, ?, ?) "
            "ON CONFLICT(video_id, kind) DO UPDATE SET path = excluded.path, shape = "
            "excluded.shape",
            id, f.kind, f.path, shape);
        d.changed({.videos = true, .videoIds = {id}});
    }
    tx.commit();
}

std::vector<Feature> Store::features(VideoId id) const {
    std::vector<Feature> out;
    Rows r(
        impl_->run("SELECT kind, path, shape FROM features WHERE video_id = ? ORDER BY kind", id));
    while (r.next()) {
        auto shape = parseShape(r.str(2));
        if (!shape)
            throw StoreError(impl_->path.string() + ": damaged shape of the " +
                             core::quote(r.str(0)) + " features of video " + std::to_string(id));
        out.push_back({r.str(0), r.str(1), std::move(*shape)});
    }
    return out;
}

namespace {

// Audio and visual labels disagree for some class (compared as unions of intervals).
bool disagree(std::vector<Event>& ev) {
    std::sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) {
        return std::tuple(a.cls, a.modality, a.onsetMs) < std::tuple(b.cls, b.modality, b.onsetMs);
    });
    using Spans = std::vector<std::pair<std::int64_t, std::int64_t>>;
    std::map<int, std::array<Spans, 2>> byClass;
    for (const auto& e : ev) {
        auto& spans = byClass[e.cls][static_cast<std::size_t>(e.modality)];
        if (!spans.empty() && e.onsetMs <= spans.back().second)
            spans.back().second = std::max(spans.back().second, e.offsetMs);
        else
            spans.emplace_back(e.onsetMs, e.offsetMs);
    }
    for (const auto& [cls, spans] : byClass)
        if (spans[0] != spans[1]) return true;
    return false;
}

}  // namespace

std::vector<VideoSummary> Store::videos(const VideoFilter& f) const {
    auto& d = *impl_;
    ReadScope read(d);
    std::vector<VideoSummary> out;
    std::unordered_map<VideoId, std::size_t> index;
    {
        std::string sql = std::string("SELECT ") + kVideoColumns + " FROM videos";
        QVariant split = sqlValue(splitText(f.split));
        if (f.split)
            sql += " WHERE split = ?";
        else if (f.withoutSplit)
            sql += " WHERE split IS NULL";
        sql += " ORDER BY id";
        Rows r(f.split ? d.run(sql, split) : d.run(sql));
        while (r.next()) {
            VideoSummary s;
            s.video = readVideo(r);
            if (!f.text.empty() && s.video.filename.find(f.text) == std::string::npos) continue;
            if (f.hasGroundTruth &&
                (s.video.groundTruth[0] || s.video.groundTruth[1]) != *f.hasGroundTruth)
                continue;
            index.emplace(s.video.id, out.size());
            out.push_back(std::move(s));
        }
    }
    auto at = [&](VideoId id) -> VideoSummary* {
        const auto it = index.find(id);
        return it == index.end() ? nullptr : &out[it->second];
    };
    {
        Rows r(d.run("SELECT video_id, class_id FROM weak_labels"));
        while (r.next())
            if (auto* s = at(r.i64(0))) s->video.weak |= core::ClassSet{1} << r.i32(1);
    }
    {
        Rows r(
            d.run("SELECT video_id, source, modality, count(*) FROM events "
                  "GROUP BY video_id, source, modality"));
        while (r.next()) {
            auto* s = at(r.i64(0));
            if (!s) continue;
            const auto n = static_cast<int>(r.i64(3));
            switch (static_cast<Source>(r.i32(1))) {
                case Source::GroundTruth:
                    s->gtEvents.at(static_cast<std::size_t>(r.i32(2))) += n;
                    break;
                case Source::Prediction:
                    s->predictionEvents += n;
                    break;
                case Source::Correction:
                    s->correctionEvents += n;
                    break;
            }
        }
    }
    {
        Rows r(f.run ? d.run("SELECT DISTINCT video_id FROM probabilities WHERE run_id = ?", *f.run)
                     : d.run("SELECT DISTINCT video_id FROM probabilities"));
        while (r.next())
            if (auto* s = at(r.i64(0))) s->hasProbabilities = true;
    }
    std::unordered_map<VideoId, int> runEvents;  // prediction events of f.run
    if (f.run) {
        Rows r(
            d.run("SELECT video_id, count(*) FROM events WHERE source = 1 AND run_id = ? GROUP BY "
                  "video_id",
                  *f.run));
        while (r.next()) runEvents[r.i64(0)] = static_cast<int>(r.i64(1));
    }
    {
        Rows r(d.run("SELECT video_id, kind FROM features ORDER BY video_id, kind"));
        while (r.next())
            if (auto* s = at(r.i64(0))) s->features.push_back(r.str(1));
    }
    // The label source's events: non-aligned, class and modality filters.
    std::unordered_map<VideoId, std::array<core::ClassSet, 2>> classes;
    {
        std::unordered_map<VideoId, std::vector<Event>> byVideo;
        const bool runFilter = f.labelSource == Source::Prediction && f.run;
        const std::string sql = std::string("SELECT ") + kEventColumns +
                                " FROM events e WHERE e.source = ?" +
                                (runFilter ? " AND e.run_id = ?" : "");
        Rows r(runFilter ? d.run(sql, static_cast<int>(f.labelSource), *f.run)
                         : d.run(sql, static_cast<int>(f.labelSource)));
        while (r.next()) {
            auto e = readEvent(r);
            if (!at(e.video)) continue;
            classes[e.video][static_cast<std::size_t>(e.modality)] |= core::ClassSet{1} << e.cls;
            byVideo[e.video].push_back(std::move(e));
        }
        for (auto& [id, ev] : byVideo)
            if (auto* s = at(id)) s->nonAligned = disagree(ev);
    }
    std::vector<VideoSummary> kept;
    kept.reserve(out.size());
    for (auto& s : out) {
        const auto it = classes.find(s.video.id);
        const std::array<core::ClassSet, 2> cs =
            it == classes.end() ? std::array<core::ClassSet, 2>{} : it->second;
        if (f.cls) {
            const bool inEvents =
                f.modality ? core::hasClass(cs[static_cast<std::size_t>(*f.modality)], *f.cls)
                           : core::hasClass(cs[0] | cs[1], *f.cls);
            const bool inWeak = !f.modality && core::hasClass(s.video.weak, *f.cls);
            if (!inEvents && !inWeak) continue;
        } else if (f.modality && cs[static_cast<std::size_t>(*f.modality)] == 0) {
            continue;
        }
        if (f.hasPredictions) {
            const bool has = f.run ? (runEvents.contains(s.video.id) || s.hasProbabilities)
                                   : (s.predictionEvents > 0 || s.hasProbabilities);
            if (has != *f.hasPredictions) continue;
        }
        if (f.nonAlignedOnly && !s.nonAligned) continue;
        kept.push_back(std::move(s));
    }
    return kept;
}

// ---- events ----------------------------------------------------------------------------

std::vector<Event> Store::events(const EventFilter& f) const {
    auto& d = *impl_;
    std::string sql = std::string("SELECT ") + kEventColumns + " FROM events e";
    if (f.split) sql += " JOIN videos v ON v.id = e.video_id";
    std::vector<QVariant> args;
    std::string where;
    auto cond = [&](const char* c, QVariant v) {
        where += where.empty() ? " WHERE " : " AND ";
        where += c;
        args.push_back(std::move(v));
    };
    if (f.video) cond("e.video_id = ?", sqlValue(*f.video));
    if (f.split) cond("v.split = ?", sqlValue(splitText(f.split)));
    if (f.source) cond("e.source = ?", sqlValue(static_cast<int>(*f.source)));
    if (f.run) cond("e.run_id = ?", sqlValue(*f.run));
    if (f.annotator) cond("e.annotator = ?", sqlValue(*f.annotator));
    if (f.modality) cond("e.modality = ?", sqlValue(static_cast<int>(*f.modality)));
    sql += where + " ORDER BY e.video_id, e.modality, e.class_id, e.onset_ms, e.offset_ms, e.id";
    auto& q = d.prepared(sql);
    for (std::size_t i = 0; i < args.size(); ++i) q.bindValue(static_cast<int>(i), args[i]);
    if (!q.exec()) d.fail(q, sql);
    std::vector<Event> out;
    Rows r(q);
    while (r.next()) out.push_back(readEvent(r));
    return out;
}

std::vector<Event> Store::events(VideoId video, EventFilter filter) const {
    filter.video = video;
    return events(filter);
}

std::optional<Event> Store::event(EventId id) const {
    return loadEvent(*impl_, id);
}

bool Store::replaceEvents(VideoId video, core::Modality modality, Source source,
                          const std::vector<NewEvent>& events, std::optional<RunId> run,
                          const std::string& annotator) {
    for (const auto& e : events) {
        if (e.cls < 0 || e.cls >= core::kNumClasses) throw EditError("a class out of range");
        if (e.onsetMs < 0 || e.offsetMs <= e.onsetMs)
            throw EditError("an event must have 0 <= onset < offset");
    }
    if (source == Source::Prediction && !run) throw EditError("predictions need their run");
    auto& d = *impl_;
    Transaction tx(*this);
    const int m = static_cast<int>(modality);
    // The stored form of an event of this group: class, bounds and provenance.
    using Row = std::tuple<int, std::int64_t, std::int64_t, std::string, std::optional<RunId>, int>;
    auto stored = [&](const NewEvent& e) {
        return Row{e.cls,
                   e.onsetMs,
                   e.offsetMs,
                   e.annotator.empty() ? annotator : e.annotator,
                   source == Source::Prediction   ? run
                   : source == Source::Correction ? e.run
                                                  : std::nullopt,
                   source == Source::Prediction ? static_cast<int>(e.review) : 0};
    };
    std::vector<EventId> ids;
    std::vector<Row> have, want;
    std::vector<std::tuple<int, std::int64_t, std::int64_t>> verified;
    {
        const bool byAnnotator = source == Source::Correction;
        Rows r(byAnnotator
                   ? d.run("SELECT id, class_id, onset_ms, offset_ms, annotator, run_id, review, "
                           "verified FROM events WHERE video_id = ? AND source = ? AND "
                           "modality = ? AND annotator = ?",
                           video, static_cast<int>(source), m, annotator)
                   : d.run("SELECT id, class_id, onset_ms, offset_ms, annotator, run_id, review, "
                           "verified FROM events WHERE video_id = ? AND source = ? AND "
                           "modality = ? AND run_id IS ?",
                           video, static_cast<int>(source), m,
                           source == Source::Prediction ? run : std::nullopt));
        while (r.next()) {
            // A verified event (core/store/review.h) is never overwritten nor deleted by
            // an import; an incoming event with its class and bounds is that event.
            if (r.i32(7) != 0) {
                verified.emplace_back(r.i32(1), r.i64(2), r.i64(3));
                continue;
            }
            ids.push_back(r.i64(0));
            have.emplace_back(r.i32(1), r.i64(2), r.i64(3), r.str(4), r.optI64(5), r.i32(6));
        }
    }
    for (const auto& e : events)
        if (std::find(verified.begin(), verified.end(),
                      std::tuple<int, std::int64_t, std::int64_t>(e.cls, e.onsetMs, e.offsetMs)) ==
            verified.end())
            want.push_back(stored(e));
    std::sort(have.begin(), have.end());
    std::sort(want.begin(), want.end());
    const bool changed = have != want;
    if (changed) {
        for (auto id : ids) d.run("DELETE FROM events WHERE id = ?", id);
        const auto now = nowMs();
        for (const auto& [cls, on, off, who, rid, review] : want)
            d.run(
                "INSERT INTO events(video_id, modality, class_id, onset_ms, offset_ms, source, "
                "run_id, annotator, review, created_at, modified_at) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                video, m, cls, on, off, static_cast<int>(source), rid, who, review, now, now);
        d.changed({.events = true, .videoIds = {video}});
    }
    if (source == Source::GroundTruth) {
        auto& q = d.run(modality == core::Modality::Audio
                            ? "UPDATE videos SET gt_audio = 1 WHERE id = ? AND gt_audio = 0"
                            : "UPDATE videos SET gt_visual = 1 WHERE id = ? AND gt_visual = 0",
                        video);
        if (q.numRowsAffected() > 0) d.changed({.videos = true, .videoIds = {video}});
    }
    tx.commit();
    return changed;
}

// ---- models, runs, probabilities, evaluations ----------------------------------------------

ModelId Store::addModel(const Model& m) {
    if (m.name.empty()) throw EditError("a model needs a name");
    auto& d = *impl_;
    Transaction tx(*this);
    ModelId id = 0;
    {
        Rows r(d.run("SELECT id FROM models WHERE name = ?", m.name));
        if (r.next()) id = r.i64(0);
    }
    if (id == 0) {
        auto& q = d.run(
            "INSERT INTO models(name, variant, checkpoint, config, created_at) VALUES(?, ?, ?, ?, "
            "?)",
            m.name, m.variant, m.checkpoint, m.config.empty() ? std::string("{}") : m.config,
            nowMs());
        id = q.lastInsertId().toLongLong();
        d.changed({.runs = true});
    }
    tx.commit();
    return id;
}

std::vector<Model> Store::models() const {
    std::vector<Model> out;
    Rows r(impl_->run(
        "SELECT id, name, variant, checkpoint, config, created_at FROM models ORDER BY id"));
    while (r.next()) out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5)});
    return out;
}

namespace {
const char* const kRunColumns =
    "id, name, model_id, params, frame_threshold, global_threshold, created_at";
Run readRun(const Rows& r) {
    return {r.i64(0),
            r.str(1),
            r.optI64(2),
            r.str(3),
            static_cast<float>(r.f64(4)),
            static_cast<float>(r.f64(5)),
            r.i64(6)};
}
}  // namespace

RunId Store::addRun(const Run& run) {
    if (run.name.empty()) throw EditError("a run needs a name");
    auto& d = *impl_;
    Transaction tx(*this);
    RunId id = 0;
    if (auto existing = runByName(run.name)) id = existing->id;
    if (id == 0) {
        auto& q = d.run(
            "INSERT INTO runs(name, model_id, params, frame_threshold, global_threshold, "
            "created_at) VALUES(?, ?, ?, ?, ?, ?)",
            run.name, run.model, run.params.empty() ? std::string("{}") : run.params,
            static_cast<double>(run.frameThreshold), static_cast<double>(run.globalThreshold),
            nowMs());
        id = q.lastInsertId().toLongLong();
        d.changed({.runs = true});
    }
    tx.commit();
    return id;
}

Run Store::requireRun(std::string_view name) const {
    if (auto r = runByName(name)) return *r;
    std::string names;
    for (const auto& r : runs()) names += (names.empty() ? "" : ", ") + core::quote(r.name);
    throw core::InputError(path().string(), 0,
                           "has no run named " + core::quote(name) +
                               (names.empty() ? " (it holds no run)" : " (runs: " + names + ")"));
}

std::optional<Run> Store::runByName(std::string_view name) const {
    Rows r(impl_->run(std::string("SELECT ") + kRunColumns + " FROM runs WHERE name = ?", name));
    if (!r.next()) return std::nullopt;
    return readRun(r);
}

std::vector<Run> Store::runs() const {
    std::vector<Run> out;
    Rows r(impl_->run(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id"));
    while (r.next()) out.push_back(readRun(r));
    return out;
}

void Store::deleteRun(RunId run) {
    auto& d = *impl_;
    Transaction tx(*this);
    d.run("DELETE FROM events WHERE source = 1 AND run_id = ?", run);
    d.run("DELETE FROM runs WHERE id = ?", run);
    d.changed({.events = true, .runs = true, .predictions = true, .evaluations = true});
    tx.commit();
}

namespace {

QByteArray floatBlob(const std::vector<float>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()),
                      static_cast<qsizetype>(v.size() * sizeof(float)));
}

std::vector<float> blobFloats(const QByteArray& b) {
    std::vector<float> v(static_cast<std::size_t>(b.size()) / sizeof(float));
    std::memcpy(v.data(), b.constData(), v.size() * sizeof(float));
    return v;
}

SegmentProbabilities readProbabilities(const Rows& r, const fs::path& path) {
    SegmentProbabilities p;
    p.video = r.i64(0);
    p.segments = r.i32(1);
    p.frame = blobFloats(r.bytes(2));
    p.global = blobFloats(r.bytes(3));
    if (p.frame.size() != static_cast<std::size_t>(p.segments) * 2 * core::kNumClasses ||
        !core::globalSizeFits(p.global.size(), p.segments))
        throw StoreError(path.string() + ": damaged probabilities of video " +
                         std::to_string(p.video));
    return p;
}

}  // namespace

void Store::putProbabilities(RunId run, const std::vector<SegmentProbabilities>& probs,
                             bool events) {
    auto& d = *impl_;
    Transaction tx(*this);
    const auto r = [&] {
        Rows rows(d.run(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?", run));
        if (!rows.next()) throw EditError("run " + std::to_string(run) + " does not exist");
        return readRun(rows);
    }();
    const auto th = core::Thresholds::frame(r.frameThreshold, r.globalThreshold);
    for (const auto& p : probs) {
        if (p.segments <= 0 ||
            p.frame.size() != static_cast<std::size_t>(p.segments) * 2 * core::kNumClasses ||
            !core::globalSizeFits(p.global.size(), p.segments))
            throw EditError("probabilities of video " + std::to_string(p.video) +
                            " must be segments x 2 x 25 frame and 25 (or 25 per 10-segment "
                            "window) global values");
        d.run(
            "INSERT INTO probabilities(run_id, video_id, segments, frame, global) "
            "VALUES(?, ?, ?, ?, ?) ON CONFLICT(run_id, video_id) DO UPDATE SET "
            "segments = excluded.segments, frame = excluded.frame, global = excluded.global",
            run, p.video, p.segments, floatBlob(p.frame), floatBlob(p.global));
        if (!events) continue;
        // The last segment of a video whose length is not whole seconds ends at the video's
        // end, not at the next whole second (a 24.5 s video: the event ends at 24.5 s).
        std::optional<std::int64_t> endMs;
        if (const auto v = video(p.video)) endMs = v->eventLimitMs();
        std::vector<NewEvent> ev[2];
        for (const auto& s : core::thresholdSpans(p.frame, p.global, p.segments, th)) {
            const std::int64_t on = std::int64_t{s.onset} * 1000;
            std::int64_t off = std::int64_t{s.offset} * 1000;
            if (endMs && off > *endMs) off = *endMs;
            if (off <= on) continue;  // a segment wholly past the end
            ev[static_cast<std::size_t>(s.modality)].push_back({s.modality, s.cls, on, off});
        }
        for (auto m : core::kModalities)
            replaceEvents(p.video, m, Source::Prediction, ev[static_cast<std::size_t>(m)], run);
    }
    d.changed({.predictions = true});
    tx.commit();
}

std::optional<SegmentProbabilities> Store::probabilities(RunId run, VideoId video) const {
    Rows r(
        impl_->run("SELECT video_id, segments, frame, global FROM probabilities WHERE run_id = ? "
                   "AND video_id = ?",
                   run, video));
    if (!r.next()) return std::nullopt;
    return readProbabilities(r, impl_->path);
}

std::vector<SegmentProbabilities> Store::probabilities(RunId run,
                                                       std::optional<core::Split> split) const {
    auto& d = *impl_;
    std::vector<SegmentProbabilities> out;
    const std::string sql =
        "SELECT p.video_id, p.segments, p.frame, p.global FROM probabilities p "
        "JOIN videos v ON v.id = p.video_id WHERE p.run_id = ?" +
        std::string(split ? " AND v.split = ?" : "") + " ORDER BY p.video_id";
    Rows r(split ? d.run(sql, run, splitText(split)) : d.run(sql, run));
    while (r.next()) out.push_back(readProbabilities(r, d.path));
    return out;
}

void Store::putRunOutputs(RunId run, VideoId video, const std::vector<OutputArray>& outputs) {
    auto& d = *impl_;
    Transaction tx(*this);
    d.run("DELETE FROM run_outputs WHERE run_id = ? AND video_id = ?", run, video);
    for (const auto& o : outputs) {
        std::int64_t n = 1;
        for (const auto dim : o.shape) {
            if (dim < 0) throw EditError("output " + o.name + " has a negative dimension");
            n *= dim;
        }
        const std::string shape = shapeText(o.shape);
        if (o.name.empty() || o.shape.empty() || static_cast<std::size_t>(n) != o.data.size())
            throw EditError("output " + core::quote(o.name) + " of video " + std::to_string(video) +
                            ": shape (" + shape + ") does not fit its " +
                            std::to_string(o.data.size()) + " values");
        d.run("INSERT INTO run_outputs(run_id, video_id, name, shape, data) VALUES(?, ?, ?, ?, ?)",
              run, video, o.name, shape, floatBlob(o.data));
    }
    d.changed({.predictions = true});
    tx.commit();
}

std::vector<OutputArray> Store::runOutputs(RunId run, VideoId video) const {
    Rows r(impl_->run(
        "SELECT name, shape, data FROM run_outputs WHERE run_id = ? AND video_id = ? ORDER BY name",
        run, video));
    std::vector<OutputArray> out;
    while (r.next()) {
        OutputArray o;
        o.name = r.str(0);
        auto shape = parseShape(r.str(1));
        std::int64_t n = 1;
        if (shape) {
            o.shape = std::move(*shape);
            for (const auto dim : o.shape) n *= dim;
        }
        o.data = blobFloats(r.bytes(2));
        if (!shape || o.shape.empty() || static_cast<std::size_t>(n) != o.data.size())
            throw StoreError(impl_->path.string() + ": damaged output " + o.name + " of video " +
                             std::to_string(video));
        out.push_back(std::move(o));
    }
    return out;
}

EvaluationId Store::addEvaluation(const Evaluation& e) {
    // JSON through Qt: independent of the C locale (a GUI sets it from the environment).
    QJsonArray array;
    for (double v : e.scores) array.append(v);
    const auto scores = QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    auto& d = *impl_;
    Transaction tx(*this);
    auto& q = d.run(
        "INSERT INTO evaluations(run_id, source, annotator, split, protocol, videos, scores, "
        "details, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.run, static_cast<int>(e.source), e.annotator, e.split, e.protocol, e.videos, scores,
        e.details, nowMs());
    const auto id = q.lastInsertId().toLongLong();
    d.changed({.evaluations = true});
    tx.commit();
    return id;
}

std::vector<Evaluation> Store::evaluations(std::optional<RunId> run) const {
    auto& d = *impl_;
    const std::string sql =
        "SELECT id, run_id, source, annotator, split, protocol, videos, scores, details, "
        "created_at FROM evaluations" +
        std::string(run ? " WHERE run_id = ?" : "") + " ORDER BY id";
    Rows r(run ? d.run(sql, *run) : d.run(sql));
    std::vector<Evaluation> out;
    while (r.next()) {
        Evaluation e;
        e.id = r.i64(0);
        e.run = r.optI64(1);
        e.source = static_cast<Source>(r.i32(2));
        e.annotator = r.str(3);
        e.split = r.str(4);
        e.protocol = r.str(5);
        e.videos = r.i32(6);
        const auto array = QJsonDocument::fromJson(r.bytes(7)).array();
        for (qsizetype i = 0; i < array.size() && i < static_cast<qsizetype>(e.scores.size()); ++i)
            e.scores[static_cast<std::size_t>(i)] = array[i].toDouble();
        e.details = r.str(8);
        e.createdAt = r.i64(9);
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace avvp::store
