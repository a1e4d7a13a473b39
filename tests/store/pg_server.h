#pragma once
// A real PostgreSQL server for tests: initdb + pg_ctl (from PATH or
// /usr/lib/postgresql/*/bin) in a temporary folder, on a free local port, trust
// authentication, no fsync. Stopped and removed in the destructor. Run as root (here and
// in CI) the server runs as the `postgres` system user (initdb refuses root). Missing
// binaries fail loudly: CI installs them (tools/install-deps.sh).
//
// One server per test binary (PgEnvironment, a GoogleTest Environment); one database per
// test: PgEnvironment::server().createDatabase() returns its URL.
#include <filesystem>
#include <string>

namespace avvp::store::test {

class PgServer {
  public:
    // Throws std::runtime_error (with initdb's or the server's log) when it cannot start.
    PgServer();
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    int port() const { return port_; }
    const std::filesystem::path& binDir() const { return bin_; }
    // A new empty database; returns postgresql://postgres@127.0.0.1:PORT/NAME. Names are
    // made unique ("NAME_1", "NAME_2", ...) so that a test may ask for the same name twice.
    std::string createDatabase(const std::string& name);
    std::string url(const std::string& database) const;
    // Runs psql -c SQL on a database as the superuser; its output.
    std::string psql(const std::string& database, const std::string& sql) const;

  private:
    std::string asServerUser(const std::string& command) const;
    std::filesystem::path bin_, dir_;
    int port_ = 0;
    int databases_ = 0;
    bool root_ = false;
    bool started_ = false;
};

}  // namespace avvp::store::test

#ifdef AVVP_PG_GTEST
#include <gtest/gtest.h>

#include <memory>

namespace avvp::store::test {

// Registered once in main (or through AVVP_PG_ENVIRONMENT below); server() starts it on
// first use, TearDown stops it (also after failed tests).
class PgEnvironment : public ::testing::Environment {
  public:
    static PgServer& server() {
        if (!instance()) instance() = std::make_unique<PgServer>();
        return *instance();
    }
    void TearDown() override { instance().reset(); }

  private:
    static std::unique_ptr<PgServer>& instance() {
        static std::unique_ptr<PgServer> s;
        return s;
    }
};

}  // namespace avvp::store::test

// In one translation unit of the test binary: the server goes when the tests end.
#define AVVP_PG_ENVIRONMENT                                                   \
    [[maybe_unused]] static ::testing::Environment* const avvpPgEnvironment = \
        ::testing::AddGlobalTestEnvironment(new ::avvp::store::test::PgEnvironment)
#endif
