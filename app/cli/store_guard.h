#pragma once
// The store plugin's commands (import, export, eval --store, agreement, queue, review, ...)
// share one way out: --help prints the usage, a usage error or bad input (a file, a value,
// an edit the store refuses, a read-only store) is one line and exit 2, anything else exit 1.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include <filesystem>
#include <memory>

#include "app/cli/cli_output.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/quote.h"
#include "core/store/pg_dialect.h"
#include "core/store/store.h"

namespace avvp::app {

// An import refused before its commit (ground truth it would delete without --replace).
class ImportRefused : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Opens the store `value` names (a file that must exist, or a postgresql:// team store),
// creating nothing; another URL scheme is a usage error.
inline std::unique_ptr<store::Store> openExistingStore(const std::string& value, bool readOnly,
                                                       const std::string& annotator = {}) {
    if (const auto problem = storeUrlProblem(value); !problem.empty()) throw UsageError(problem);
    if (!store::isPostgresUrl(value) && !std::filesystem::exists(value))
        throw core::InputError(value, 0, "no such store file");
    store::Store::Options so;
    so.create = false;
    so.readOnly = readOnly;
    so.annotator = annotator;
    return store::Store::open(value, so);
}

// Runs `fn` (which returns the exit status) as the command `command` ("agreement").
template <class Fn>
int guarded(const char* command, const std::string& usage, int argc, char** argv, Fn fn) {
    try {
        for (int i = 1; i < argc; ++i)
            if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
                std::fputs(usage.c_str(), stdout);
                return 0;
            }
        return fn();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp %s: %s (see avvp %s --help)\n", command,
                     core::oneLine(e.what()).c_str(), command);
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", command, core::oneLine(e.what()).c_str());
        return 2;
    } catch (const store::EditError& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", command, core::oneLine(e.what()).c_str());
        return 2;
    } catch (const store::ReadOnlyError& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", command, core::oneLine(e.what()).c_str());
        return 2;
    } catch (const ImportRefused& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", command, core::oneLine(e.what()).c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", command, core::oneLine(e.what()).c_str());
        return 1;
    }
}

}  // namespace avvp::app
