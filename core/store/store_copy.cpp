#include "core/store/store_copy.h"

#include <QSqlError>
#include <QSqlField>
#include <QSqlRecord>

#include <algorithm>
#include <set>

#include "core/store/store_impl.h"

namespace avvp::store {

namespace {

// Tables others refer to first; tables the schema gains later (review tables, ...) follow
// in name order. `classes` is created and filled by the migrations of either store.
const char* const kOrder[] = {"meta",          "videos",      "weak_labels", "features",
                              "models",        "runs",        "events",      "edits",
                              "probabilities", "run_outputs", "evaluations"};

std::vector<std::string> rawTables(Store::Impl& d) {
    QSqlQuery q(d.db);
    const QString sql =
        d.pg ? QStringLiteral(
                   "SELECT table_name FROM information_schema.tables WHERE "
                   "table_schema = current_schema() AND table_type = 'BASE TABLE'")
             : QStringLiteral(
                   "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                   "LIKE 'sqlite\\_%' ESCAPE '\\'");
    if (!q.exec(sql)) d.fail(q, sql.toStdString());
    std::vector<std::string> out;
    while (q.next()) {
        auto name = q.value(0).toString().toStdString();
        if (name == "avvp_schema" || name == "classes") continue;
        out.push_back(std::move(name));
    }
    return out;
}

std::vector<QString> columns(Store::Impl& d, const std::string& table) {
    const auto record = d.db.record(QString::fromStdString(table));
    std::vector<QString> out;
    for (int i = 0; i < record.count(); ++i) out.push_back(record.fieldName(i).toLower());
    return out;
}

std::string columnList(const std::vector<QString>& cols) {
    std::string s;
    for (const auto& c : cols) s += (s.empty() ? "" : ", ") + c.toStdString();
    return s;
}

QString canonical(const QVariant& v) {
    if (v.isNull()) return QStringLiteral("\\N");
    switch (v.typeId()) {
        case QMetaType::QByteArray:
            return QStringLiteral("x'") + QString::fromLatin1(v.toByteArray().toHex()) +
                   QStringLiteral("'");
        case QMetaType::Double:
        case QMetaType::Float:
            return QString::number(v.toDouble(), 'g', 17);
        default:
            return v.toString();
    }
}

}  // namespace

std::vector<std::string> storeTables(Store& store) {
    auto tables = rawTables(store.impl());
    std::vector<std::string> out;
    for (const char* name : kOrder)
        if (std::find(tables.begin(), tables.end(), name) != tables.end()) out.push_back(name);
    std::sort(tables.begin(), tables.end());
    for (const auto& t : tables)
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    return out;
}

bool storeHasData(Store& store) {
    auto& d = store.impl();
    for (const char* t : {"videos", "events", "edits", "runs", "models", "evaluations"})
        if (d.scalar(std::string("SELECT count(*) FROM ") + t) > 0) return true;
    return false;
}

CopyReport copyStore(Store& from, Store& to, bool replace, core::Progress* progress) {
    auto& src = from.impl();
    auto& dst = to.impl();
    if (to.readOnly())
        throw ReadOnlyError(dst.path.string() + ": the target store is read-only; nothing copied");
    const auto tables = storeTables(from);
    const auto targetTables = storeTables(to);
    for (const auto& t : tables)
        if (std::find(targetTables.begin(), targetTables.end(), t) == targetTables.end())
            throw StoreError(dst.path.string() + ": has no table " + t +
                             " (an older schema?); nothing copied");
    CopyReport report;
    ReadScope read(src);
    std::int64_t total = 0;
    for (const auto& t : tables) total += src.scalar("SELECT count(*) FROM " + t);
    Store::Transaction tx(to);
    if (storeHasData(to) && !replace)
        throw EditError(dst.path.string() +
                        ": the target store is not empty (it holds videos, events or runs); "
                        "nothing copied (replace its contents with --replace)");
    // A fresh target holds rows of its own (meta's created_at; with replace, everything):
    // they go first, tables that refer to others before those.
    for (auto it = targetTables.rbegin(); it != targetTables.rend(); ++it)
        dst.execute(QString::fromStdString("DELETE FROM " + *it));
    std::int64_t done = 0;
    for (const auto& t : tables) {
        const auto srcCols = columns(src, t);
        const auto dstCols = columns(dst, t);
        std::vector<QString> cols;
        for (const auto& c : srcCols)
            if (std::find(dstCols.begin(), dstCols.end(), c) != dstCols.end()) cols.push_back(c);
        const std::string list = columnList(cols);
        std::string marks;
        for (std::size_t i = 0; i < cols.size(); ++i) marks += i ? ", ?" : "?";
        const std::string select = "SELECT " + list + " FROM " + t + " ORDER BY 1";
        const std::string insert = "INSERT INTO " + t + "(" + list + ") VALUES(" + marks + ")";
        QSqlQuery rows(src.db);
        rows.setForwardOnly(true);
        if (!rows.exec(QString::fromStdString(select))) src.fail(rows, select);
        auto& ins = dst.prepared(insert);
        std::int64_t n = 0;
        while (rows.next()) {
            for (int i = 0; i < static_cast<int>(cols.size()); ++i) ins.bindValue(i, rows.value(i));
            if (!ins.exec()) dst.fail(ins, insert);
            ++n;
            ++done;
            if (progress && done % 500 == 0)
                progress->step(
                    total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                    t + ": " + std::to_string(n) + " rows");
        }
        rows.finish();
        ins.finish();
        // Identity columns continue after the copied ids (SQLite's AUTOINCREMENT follows by
        // itself).
        if (dst.pg && std::find(cols.begin(), cols.end(), QStringLiteral("id")) != cols.end() &&
            n > 0)
            dst.execute(QString::fromStdString(
                "SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT max(id) FROM " +
                t + ")) WHERE pg_get_serial_sequence('" + t + "', 'id') IS NOT NULL"));
        report.perTable.emplace_back(t, n);
        report.rows += n;
        ++report.tables;
        if (progress)
            progress->step(total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                           t + ": " + std::to_string(n) + " rows");
    }
    dst.changed({.videos = true,
                 .events = true,
                 .history = true,
                 .runs = true,
                 .predictions = true,
                 .evaluations = true});
    tx.commit();
    return report;
}

std::vector<std::string> tableRows(Store& store, const std::string& table) {
    auto& d = store.impl();
    auto cols = columns(d, table);
    std::sort(cols.begin(), cols.end());
    const std::string sql = "SELECT " + columnList(cols) + " FROM " + table;
    QSqlQuery q(d.db);
    q.setForwardOnly(true);
    if (!q.exec(QString::fromStdString(sql))) d.fail(q, sql);
    std::vector<std::string> out;
    while (q.next()) {
        QString line;
        for (int i = 0; i < static_cast<int>(cols.size()); ++i)
            line += (i ? QStringLiteral("\t") : QString()) + canonical(q.value(i));
        out.push_back(line.toStdString());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace avvp::store
