#pragma once
// Helpers of the store tests: a scratch folder, a raw SQLite connection for looking
// under the store's API, and the paths of the fixtures.
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <QVariant>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace avvp::store::test {

inline const std::filesystem::path kSource = AVVP_SOURCE_DIR;
inline const std::filesystem::path kLlp = kSource / "resources" / "llp";
inline const std::filesystem::path kData = kSource / "tests" / "data";

inline std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeAll(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// A second connection to a store file, straight through QSQLITE.
class RawDb {
  public:
    explicit RawDb(const std::filesystem::path& file) {
        name_ = QStringLiteral("raw-%1").arg(reinterpret_cast<quintptr>(this), 0, 16);
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name_);
        db.setDatabaseName(QString::fromStdString(file.string()));
        if (!db.open()) qFatal("cannot open %s", file.c_str());
    }
    ~RawDb() {
        QSqlDatabase::database(name_).close();
        QSqlDatabase::removeDatabase(name_);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    void exec(const QString& sql) {
        QSqlQuery q(QSqlDatabase::database(name_));
        if (!q.exec(sql)) qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    }
    QVariant value(const QString& sql) {
        QSqlQuery q(QSqlDatabase::database(name_));
        if (!q.exec(sql)) qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return q.next() ? q.value(0) : QVariant();
    }
    // Runs a script of statements each ending with ";" at the end of a line; "--" lines
    // are comments.
    void script(const std::string& text) {
        std::istringstream in(text);
        std::string line, stmt;
        while (std::getline(in, line)) {
            if (line.rfind("--", 0) == 0) continue;
            stmt += line + "\n";
            const auto end = line.find_last_not_of(" \t");
            const auto semi = line.find(';');
            if (end != std::string::npos && semi != std::string::npos &&
                (line[end] == ';' || line.find("--", semi) != std::string::npos)) {
                exec(QString::fromStdString(stmt.substr(0, stmt.rfind(';'))));
                stmt.clear();
            }
        }
    }

  private:
    QString name_;
};

}  // namespace avvp::store::test
