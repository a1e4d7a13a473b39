#include "core/output_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <system_error>

#include "core/error.h"

namespace avvp::core {

OutputFile::OutputFile(const std::filesystem::path& path) : path_(path.string()) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        out_.open(path, std::ios::binary | std::ios::trunc);
        if (!out_) throw InputError(path_, 0, "cannot open file for writing");
        return;
    }
    std::filesystem::path target = path;
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(target, ec)))
        target = std::filesystem::weakly_canonical(target, ec);
    target_ = target.string();
    const auto folder = target.has_parent_path() ? target.parent_path().string() + "/" : "";
    std::string name = folder + "." + target.filename().string() + ".tmp-XXXXXX";
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) throw InputError(path_, 0, "cannot open file for writing");
    temp_ = name;
    // mkstemp makes the file 0600; give it the mode a new file gets (or the target's).
    mode_t mode = 0666;
    if (struct stat st{}; ::stat(target_.c_str(), &st) == 0)
        mode = st.st_mode & 07777;
    else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode &= ~mask;
    }
    ::fchmod(fd_, mode);
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        discard();
        throw InputError(path_, 0, "cannot open file for writing");
    }
}

OutputFile::~OutputFile() {
    discard();
}

void OutputFile::commit() {
    out_.flush();
    const bool written = static_cast<bool>(out_);
    out_.close();
    if (!written || out_.fail()) {
        discard();
        throw InputError(path_, 0, "write error (disk full?); the file was not written");
    }
    if (temp_.empty()) return;  // written directly
    const bool synced = ::fsync(fd_) == 0;
    ::close(fd_);
    fd_ = -1;
    if (!synced || ::rename(temp_.c_str(), target_.c_str()) != 0) {
        discard();
        throw InputError(path_, 0, "write error (disk full?); the file was not written");
    }
    temp_.clear();
}

void OutputFile::discard() {
    if (out_.is_open()) out_.close();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
}

}  // namespace avvp::core
