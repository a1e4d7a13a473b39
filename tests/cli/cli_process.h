#pragma once
// Running the `avvp` binary from CLI tests: a shell command line with its stdout,
// stderr and exit code captured through files in a scratch folder.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace avvp::test {

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

// Single-quotes a word for /bin/sh.
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

struct ProcessResult {
    int code = -1;
    std::string out, err;
};

// Runs `cmd` with /bin/sh; stdout and stderr go through files in `scratch`.
inline ProcessResult runShell(const std::string& cmd, const std::filesystem::path& scratch) {
    static int n = 0;
    const auto out = scratch / ("out_" + std::to_string(n));
    const auto err = scratch / ("err_" + std::to_string(n++));
    const std::string full = cmd + " >" + quote(out.string()) + " 2>" + quote(err.string());
    const int status = std::system(full.c_str());
    ProcessResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = readAll(out);
    r.err = readAll(err);
    return r;
}

}  // namespace avvp::test
