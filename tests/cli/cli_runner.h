#pragma once
// Running the `avvp` binary from CLI tests: shell quoting, reading files, and a runner
// that captures stdout, stderr and the exit code in a scratch folder.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace avvp::test {

inline const std::filesystem::path kSource = AVVP_SOURCE_DIR;
inline const std::filesystem::path kLlp = kSource / "resources" / "llp";
inline const std::filesystem::path kAvvp = std::filesystem::path(AVVP_BIN_DIR) / "avvp";

inline std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto p = s.find(sep, start);
        out.push_back(s.substr(start, p - start));
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return out;
}

// A single-quoted shell word.
inline std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

struct RunResult {
    int code = -1;
    std::string out, err;
};

// Runs a shell command line with stdout and stderr captured in files under `scratch`.
inline RunResult runShell(const std::string& cmd, const std::filesystem::path& scratch) {
    static int n = 0;
    const auto out = scratch / ("out_" + std::to_string(n));
    const auto err = scratch / ("err_" + std::to_string(n++));
    const std::string full = cmd + " >" + quote(out.string()) + " 2>" + quote(err.string());
    const int status = std::system(full.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = readAll(out);
    r.err = readAll(err);
    return r;
}

}  // namespace avvp::test
