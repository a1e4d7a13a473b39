#pragma once
// Output helpers shared by the CLI commands: the notes on tolerated anomalies printed
// after a result, and writing a side file (per-video scores, a report).
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/llp_files.h"

namespace avvp::app {

// Per file, how many anomalies of each kind the readers tolerated, each with the first
// line where it occurs. Prints nothing when no file has an anomaly; `orphanName` names
// AnomalyKind::Orphan.
void printAnomalyNotes(std::ostream& out,
                       const std::map<std::string, std::vector<core::Anomaly>>& byFile,
                       std::string_view heading, std::string_view orphanName);

// Writes a file with `writer(std::ostream&)`; throws core::InputError when it cannot.
template <class Writer>
void writeFileWith(const std::string& path, const Writer& writer) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw core::InputError(path, 0, "cannot open file for writing");
    writer(out);
    out.flush();
    if (!out) throw core::InputError(path, 0, "write error");
}

}  // namespace avvp::app
