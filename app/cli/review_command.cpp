// `avvp review`: review mode of a label store from the command line (issue 18, item 1):
// a video's review status, the progress of a split, an event's accept / reject with a
// reason and its verified flag. Part of the store plugin (libavvp_store_cli.so); the
// logic is the store's (core/store/review.h).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/cli/cli_output.h"
#include "app/cli/options.h"
#include "app/cli/store_guard.h"
#include "app/common/paths.h"
#include "core/error.h"
#include "core/quote.h"
#include "core/store/review.h"

namespace avvp::app {

namespace {

const std::string kReviewUsage =
    R"(usage: avvp review ACTION --store PATH [options]

Review mode: a video's review status (todo, in_progress, needs_review, done) with who set
it and when, and a reviewer's decision on an event.

  status --video NAME [--set STATUS] [--log]
                 prints the video's status, who set it and when (UTC); --set changes it
                 (logged with the previous status); --log lists every change
  progress [--split S] [--format text|json]
                 videos per status of a split (train | val | test | all) [default: all]
  next [--after NAME] [--split S]
                 the next video (in filename order, wrapping) whose status is
                 needs_review; exit code 3 when none is
  event --id N --accept|--reject|--clear [--reason TEXT]
                 records a decision on event N with an optional reason (at most 2000
                 characters); the reviewer is --annotator
  verify --id N [--off]
                 marks event N verified (or not): an import of predictions never
                 overwrites or deletes a verified event

options:
  --store PATH       the label store (required; status, progress and next only read it)
  --annotator NAME   who sets a status or decides          [default: $USER]

Exit codes: 0 done, 2 bad input or usage (an unknown video, event or status; nothing is
changed), 3 no video needs review (next), 1 a database failure.
)";

std::string timeText(store::Timestamp ms) {
    if (ms <= 0) return "-";
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return b;
}

store::EventId idOption(const Options& o) {
    const auto text = o.require("id");
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v <= 0)
        throw UsageError("--id must be an event id (a positive number), not " + core::quote(text));
    return v;
}

std::optional<core::Split> splitOption(const Options& o) {
    const auto s = o.get("split", "all");
    if (s == "all") return std::nullopt;
    if (const auto split = core::splitFromName(s)) return split;
    throw UsageError("--split must be train, val, test or all, not " + core::quote(s));
}

std::unique_ptr<store::Store> open(const Options& o, bool readOnly) {
    if (!o.has("store")) throw UsageError("missing required option --store");
    return openExistingStore(o.require("store"), readOnly, o.get("annotator", ""));
}

store::Video videoOption(store::Store& s, const std::string& name) {
    if (auto v = s.videoByName(name)) return *v;
    throw core::InputError(s.path().string(), 0, "has no video named " + core::quote(name));
}

std::string statusList() {
    std::string names;
    for (auto st : store::kReviewStatuses)
        names += (names.empty() ? "" : ", ") + std::string(store::reviewStatusName(st));
    return names;
}

int statusAction(const Options& o) {
    std::optional<store::ReviewStatus> set;
    if (const auto text = o.get("set")) {
        set = store::reviewStatusFromName(*text);
        if (!set)
            throw UsageError("--set must be one of " + statusList() + ", not " +
                             core::quote(*text));
    }
    const auto name = o.require("video");
    auto s = open(o, !set);
    const auto v = videoOption(*s, name);
    if (set) {
        const auto before = store::videoStatus(*s, v.id).status;
        if (store::setVideoStatus(*s, v.id, *set))
            std::cerr << "avvp review: " << name << ": " << store::reviewStatusName(before)
                      << " -> " << store::reviewStatusName(*set) << '\n';
        else
            std::cerr << "avvp review: " << name << " is already " << store::reviewStatusName(*set)
                      << '\n';
    }
    const auto st = store::videoStatus(*s, v.id);
    std::cout << name << '\t' << store::reviewStatusName(st.status) << '\t'
              << (st.annotator.empty() ? "-" : st.annotator) << '\t' << timeText(st.at) << '\n';
    if (o.has("log"))
        for (const auto& c : store::videoStatusLog(*s, v.id))
            std::cout << "  " << timeText(c.at) << '\t' << c.annotator << '\t'
                      << (c.previous ? store::reviewStatusName(*c.previous) : "todo") << " -> "
                      << store::reviewStatusName(c.status) << '\n';
    return 0;
}

int progressAction(const Options& o) {
    const std::string format = o.get("format", "text");
    if (format != "text" && format != "json")
        throw UsageError("--format must be text or json, not " + core::quote(format));
    const auto split = splitOption(o);
    auto s = open(o, true);
    const auto p = store::reviewProgress(*s, split);
    const std::string splitText = split ? std::string(core::splitName(*split)) : "all";
    if (format == "json") {
        nlohmann::json j;
        j["split"] = splitText;
        j["videos"] = p.videos;
        for (auto st : store::kReviewStatuses)
            j[std::string(store::reviewStatusName(st))] = p.count(st);
        j["done_percent"] = p.videos ? 100.0 * p.done() / p.videos : 0.0;
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    const int width = 30;
    const int filled = p.videos ? p.done() * width / p.videos : 0;
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.1f%%", p.videos ? 100.0 * p.done() / p.videos : 0.0);
    std::cout << splitText << ": " << p.done() << " of " << p.videos << " videos done (" << pct
              << ") [" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), '.') << "]\n";
    for (auto st : store::kReviewStatuses)
        std::cout << "  " << store::reviewStatusName(st) << '\t' << p.count(st) << '\n';
    return 0;
}

int nextAction(const Options& o) {
    const auto split = splitOption(o);
    auto s = open(o, true);
    std::optional<store::VideoId> after;
    if (const auto name = o.get("after")) after = videoOption(*s, *name).id;
    const auto next = store::nextVideoNeedingReview(*s, after, split);
    if (!next) {
        std::cerr << "avvp review: no video needs review\n";
        return 3;
    }
    std::cout << s->video(*next)->filename << '\n';
    return 0;
}

int eventAction(const Options& o) {
    const int picked = int{o.has("accept")} + int{o.has("reject")} + int{o.has("clear")};
    if (picked != 1) throw UsageError("give one of --accept, --reject or --clear");
    const auto id = idOption(o);
    const auto reason = o.get("reason", "");
    if (o.has("clear") && !reason.empty()) throw UsageError("--clear takes no --reason");
    auto s = open(o, false);
    if (!s->event(id))
        throw core::InputError(s->path().string(), 0,
                               "has no event " + core::quote(std::to_string(id)));
    const auto decision = o.has("accept")   ? store::Review::Accepted
                          : o.has("reject") ? store::Review::Rejected
                                            : store::Review::None;
    store::reviewEvent(*s, id, decision, reason);
    const auto r = store::eventReview(*s, id);
    std::cout << "event " << id << '\t'
              << (decision == store::Review::None ? "none" : store::reviewName(decision)) << '\t'
              << (r->reviewer.empty() ? "-" : r->reviewer) << '\t'
              << (r->reason.empty() ? "-" : core::quote(r->reason)) << '\n';
    return 0;
}

int verifyAction(const Options& o) {
    const auto id = idOption(o);
    auto s = open(o, false);
    if (!s->event(id))
        throw core::InputError(s->path().string(), 0,
                               "has no event " + core::quote(std::to_string(id)));
    const bool on = !o.has("off");
    const bool changed = store::setVerified(*s, id, on);
    std::cout << "event " << id << (on ? " verified" : " not verified")
              << (changed ? "" : " (unchanged)") << '\n';
    return 0;
}

}  // namespace

int reviewCommand(int argc, char** argv) {
    return guarded("review", kReviewUsage, argc, argv, [&] {
        const Options o(
            argc, argv,
            {"store", "annotator", "video", "set", "split", "format", "after", "id", "reason"},
            {"log", "accept", "reject", "clear", "off", "quiet"}, true);
        if (o.positional().size() != 1)
            throw UsageError("give one action: status, progress, next, event or verify");
        const auto& action = o.positional().front();
        if (action == "status") return statusAction(o);
        if (action == "progress") return progressAction(o);
        if (action == "next") return nextAction(o);
        if (action == "event") return eventAction(o);
        if (action == "verify") return verifyAction(o);
        throw UsageError("unknown action " + core::quote(action) +
                         " (status, progress, next, event or verify)");
    });
}

}  // namespace avvp::app
