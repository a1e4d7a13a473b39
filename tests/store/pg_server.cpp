#include "tests/store/pg_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace avvp::store::test {

namespace fs = std::filesystem;

namespace {

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs a shell command; its stdout (and stderr), and the exit status through `rc`.
std::string capture(const std::string& command, int* rc) {
    std::string out;
    FILE* f = ::popen((command + " 2>&1").c_str(), "r");
    if (!f) {
        *rc = -1;
        return out;
    }
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    *rc = ::pclose(f);
    return out;
}

fs::path findBinDir() {
    if (const char* path = std::getenv("PATH")) {
        std::stringstream ss(path);
        for (std::string dir; std::getline(ss, dir, ':');)
            if (!dir.empty() && ::access((fs::path(dir) / "initdb").c_str(), X_OK) == 0 &&
                ::access((fs::path(dir) / "pg_ctl").c_str(), X_OK) == 0) {
                // Links into the server's folder (/usr/local/bin/initdb ->
                // /usr/lib/postgresql/15/bin/initdb): that folder has createdb and psql too.
                std::error_code ec;
                const auto real = fs::canonical(fs::path(dir) / "initdb", ec);
                return ec ? fs::path(dir) : real.parent_path();
            }
    }
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
        if (::access((e.path() / "bin" / "initdb").c_str(), X_OK) == 0)
            found.push_back(e.path() / "bin");
    if (found.empty())
        throw std::runtime_error(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in PATH nor in "
            "/usr/lib/postgresql/*/bin: install the `postgresql` package "
            "(tools/install-deps.sh)");
    // The newest version (numeric folder names: 15, 16, 17).
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
        return std::atoi(a.parent_path().filename().c_str()) <
               std::atoi(b.parent_path().filename().c_str());
    });
    return found.back();
}

int freePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (s >= 0) ::close(s);
        throw std::runtime_error("no free local port for PostgreSQL");
    }
    const int port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

}  // namespace

std::string PgServer::asServerUser(const std::string& command) const {
    if (!root_) return command;
    return "runuser -u postgres -- sh -c " + shellQuote(command);
}

PgServer::PgServer() {
    bin_ = findBinDir();
    root_ = ::geteuid() == 0;
    std::string temp = (fs::temp_directory_path() / "avvp-pg-XXXXXX").string();
    if (!::mkdtemp(temp.data())) throw std::runtime_error("cannot create a temporary folder");
    dir_ = temp;
    int rc = 0;
    if (root_) {
        // initdb refuses root: the server runs as the postgres system user.
        const auto out = capture("chown postgres " + shellQuote(dir_.string()), &rc);
        if (rc != 0) {
            std::error_code ec;
            fs::remove_all(dir_, ec);
            throw std::runtime_error(
                "running as root, the test server needs the `postgres` system user (the "
                "postgresql package creates it): " +
                out);
        }
    }
    const auto data = dir_ / "data";
    auto out = capture(
        asServerUser(shellQuote((bin_ / "initdb").string()) + " -D " + shellQuote(data.string()) +
                     " -U postgres -A trust -E UTF8 --locale=C --no-sync"),
        &rc);
    if (rc != 0) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw std::runtime_error("initdb failed:\n" + out);
    }
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = freePort();
        const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.string() +
                                    " -h 127.0.0.1 -F -c max_connections=100";
        out = capture(asServerUser(shellQuote((bin_ / "pg_ctl").string()) + " -D " +
                                   shellQuote(data.string()) + " -l " +
                                   shellQuote((dir_ / "server.log").string()) + " -o " +
                                   shellQuote(options) + " -w -t 30 start"),
                      &rc);
        if (rc == 0) {
            started_ = true;
            return;
        }
    }
    const auto log = readFile(dir_ / "server.log");
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw std::runtime_error("the PostgreSQL test server did not start:\n" + out + "\n" + log);
}

PgServer::~PgServer() {
    if (started_) {
        int rc = 0;
        capture(asServerUser(shellQuote((bin_ / "pg_ctl").string()) + " -D " +
                             shellQuote((dir_ / "data").string()) + " -m immediate -w stop"),
                &rc);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string PgServer::url(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgServer::createDatabase(const std::string& name) {
    const std::string db = name + "_" + std::to_string(++databases_);
    int rc = 0;
    const auto out = capture(shellQuote((bin_ / "createdb").string()) + " -h 127.0.0.1 -p " +
                                 std::to_string(port_) + " -U postgres " + shellQuote(db),
                             &rc);
    if (rc != 0) throw std::runtime_error("createdb " + db + " failed: " + out);
    return url(db);
}

std::string PgServer::psql(const std::string& database, const std::string& sql) const {
    int rc = 0;
    const auto out =
        capture(shellQuote((bin_ / "psql").string()) + " -X -q -A -t -h 127.0.0.1 -p " +
                    std::to_string(port_) + " -U postgres -d " + shellQuote(database) + " -c " +
                    shellQuote(sql),
                &rc);
    if (rc != 0) throw std::runtime_error("psql failed: " + out);
    return out;
}

}  // namespace avvp::store::test
