#pragma once
// Small helpers shared by the tests: a scratch folder, the message of an expected error, a
// small tmpfs for disk-full tests.
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <utility>

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

// A small tmpfs mounted at `dir` (created) for the disk-full tests, unmounted when it goes.
// mount(2) needs root (a VM, the CI machine); where it fails, mounted() is false and
// skipReason() says why, for GTEST_SKIP().
class SmallTmpfs {
  public:
    SmallTmpfs(std::filesystem::path dir, const std::string& size) : dir_(std::move(dir)) {
        std::filesystem::create_directories(dir_);
        if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0)
            mounted_ = true;
        else
            why_ = std::string("cannot mount a tmpfs here (") + std::strerror(errno) +
                   "): the disk-full test needs root";
    }
    ~SmallTmpfs() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    SmallTmpfs(const SmallTmpfs&) = delete;
    SmallTmpfs& operator=(const SmallTmpfs&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& skipReason() const { return why_; }

  private:
    std::filesystem::path dir_;
    bool mounted_ = false;
    std::string why_;
};

}  // namespace avvp::test
