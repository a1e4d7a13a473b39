#pragma once
// Output helpers shared by the CLI commands: the notes on tolerated anomalies printed
// after a result, and writing a side file (per-video scores, a report).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/llp_files.h"
#include "core/output_file.h"

namespace avvp::app {

// Per file, how many anomalies of each kind the readers tolerated, each with the first
// line where it occurs. Prints nothing when no file has an anomaly; `orphanName` names
// AnomalyKind::Orphan.
void printAnomalyNotes(std::ostream& out,
                       const std::map<std::string, std::vector<core::Anomaly>>& byFile,
                       std::string_view heading, std::string_view orphanName);

// Output files written in full or not at all (a temporary beside the target, flushed,
// synced and renamed; see core/output_file.h): every side file of the CLI goes through them.
using core::OutputFile;
using core::writeFileWith;

// Why a --store value is no store, or "" when it is one: a store file's path, or a team
// store's PostgreSQL URL (postgresql://user@host:port/db, also postgres://). A value with
// another URL scheme ("file://...") names no file, and taken as a path it would create
// folders such as "file:", so it is refused.
inline std::string storeUrlProblem(const std::string& value) {
    std::size_t i = 0;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (value.empty() || !alpha(value[0])) return {};
    while (i < value.size() && (alpha(value[i]) || (value[i] >= '0' && value[i] <= '9') ||
                                value[i] == '+' || value[i] == '.' || value[i] == '-'))
        ++i;
    if (value.compare(i, 3, "://") != 0) return {};
    std::string scheme = value.substr(0, i);
    for (auto& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (scheme.size() > 20) scheme = scheme.substr(0, 20) + "...";
    const std::string what = "a " + scheme + ":// URL is not a store path";
    if (scheme == "postgresql" || scheme == "postgres") return {};
    return what +
           " (give the path of a store file or a postgresql://user@host:port/db URL); nothing "
           "was created";
}

}  // namespace avvp::app
