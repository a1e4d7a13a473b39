#pragma once
// Small helpers shared by the tests: a scratch folder, the message of an expected error.
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>

#include "core/error.h"

namespace avvp::test {

// A scratch folder for one test (or suite), unique per process, removed when it goes.
class TempDir {
  public:
    explicit TempDir(const std::string& prefix)
        : path_(std::filesystem::temp_directory_path() /
                (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path path_;
};

// The message of the core::InputError `f` throws; "(no error)" or "other exception: ..."
// otherwise, so that a test can check the message names the file and the reason.
inline std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("other exception: ") + e.what();
    }
    return "(no error)";
}

}  // namespace avvp::test
