#pragma once
// Internals of the label store shared by its translation units (not for other layers):
// the Qt Sql connection, cached prepared statements and the transaction / notification
// bookkeeping.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/store/store.h"

namespace avvp::store {

Timestamp nowMs();

// Seconds for messages, with at least one decimal: 25000 -> "25.0 s", 24980 -> "24.98 s".
std::string secondsText(std::int64_t ms);
// "ends at 25.0 s, after the end of the video (10.0 s)".
std::string pastEndText(std::int64_t offsetMs, std::int64_t limitMs);

// Values bound to statement parameters.
inline QVariant sqlValue(std::int64_t v) {
    return QVariant(static_cast<qlonglong>(v));
}
inline QVariant sqlValue(int v) {
    return QVariant(v);
}
inline QVariant sqlValue(double v) {
    return QVariant(v);
}
inline QVariant sqlValue(const std::string& v) {
    return QVariant(QString::fromStdString(v));
}
inline QVariant sqlValue(std::string_view v) {
    return QVariant(QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size())));
}
inline QVariant sqlValue(const char* v) {
    return QVariant(QString::fromUtf8(v));
}
inline QVariant sqlValue(const QByteArray& v) {
    return QVariant(v);
}
inline QVariant sqlValue(const QString& v) {
    return QVariant(v);
}
inline QVariant sqlValue(const QVariant& v) {
    return v;
}
template <class T>
QVariant sqlValue(const std::optional<T>& v) {
    return v ? sqlValue(*v) : QVariant(QMetaType::fromType<qlonglong>());
}

// A statement's result rows; finishes the statement when it goes out of scope, so that
// no read snapshot outlives its use (a stale snapshot would block the next write).
class Rows {
  public:
    explicit Rows(QSqlQuery& q) : q_(q) {}
    ~Rows() { q_.finish(); }
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;
    bool next() { return q_.next(); }
    std::int64_t i64(int col) const { return q_.value(col).toLongLong(); }
    int i32(int col) const { return q_.value(col).toInt(); }
    double f64(int col) const { return q_.value(col).toDouble(); }
    bool isNull(int col) const { return q_.value(col).isNull(); }
    std::string str(int col) const { return q_.value(col).toString().toStdString(); }
    QByteArray bytes(int col) const { return q_.value(col).toByteArray(); }
    std::optional<std::int64_t> optI64(int col) const {
        return isNull(col) ? std::nullopt : std::optional<std::int64_t>(i64(col));
    }

  private:
    QSqlQuery& q_;
};

struct Store::Impl {
    QString connection;
    QSqlDatabase db;
    std::filesystem::path path;
    std::string annotator;
    Store::Access access = Store::Access::ReadWrite;
    int depth = 0;              // write transaction nesting
    bool rollbackOnly = false;  // an inner scope failed: the outermost must roll back
    int readDepth = 0;
    Change pending;
    std::map<int, ChangeListener> listeners;
    int nextListener = 1;
    std::int64_t dataVersion = -1;
    // A PostgreSQL store (postgresql:// URL): statements go through toPostgres
    // (pg_dialect.h), `path` is the URL without its password, and a commit that finds the
    // change counter moved by another connection remembers it for pollExternalChanges.
    bool pg = false;
    bool externalSeen = false;
    std::unordered_map<std::string, std::unique_ptr<QSqlQuery>> cache;

    ~Impl();

    [[noreturn]] void fail(const QSqlQuery& q, std::string_view what) const;
    // A statement prepared once per connection.
    QSqlQuery& prepared(std::string_view sql);
    // Binds and executes a cached statement; the caller reads rows through Rows.
    template <class... Args>
    QSqlQuery& run(std::string_view sql, const Args&... args) {
        auto& q = prepared(sql);
        int i = 0;
        (q.bindValue(i++, sqlValue(args)), ...);
        if (!q.exec()) fail(q, sql);
        return q;
    }
    // One statement that is not worth caching (DDL, pragmas).
    void execute(const QString& sql);
    std::int64_t scalar(std::string_view sql);

    void begin();
    void commit();
    void rollback();
    void readBegin();
    void readEnd();
    // Collects what a write changed; listeners hear it after the outermost commit.
    void changed(const Change& c);
    void notify(const Change& c);
    std::int64_t queryDataVersion();
};

// A read spanning several statements sees one snapshot.
class ReadScope {
  public:
    explicit ReadScope(Store::Impl& impl) : impl_(impl) { impl_.readBegin(); }
    ~ReadScope() { impl_.readEnd(); }
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

  private:
    Store::Impl& impl_;
};

// Column list and decoding of events rows (select kEventColumns ... then readEvent).
inline constexpr const char* kEventColumns =
    "e.id, e.video_id, e.modality, e.class_id, e.onset_ms, e.offset_ms, e.source, e.run_id, "
    "e.annotator, e.origin_id, e.review, e.created_at, e.modified_at";
Event readEvent(const Rows& r, int first = 0);
std::optional<Event> loadEvent(Store::Impl& impl, EventId id);

}  // namespace avvp::store
