#pragma once
// The stage names of long work (core::Progress::report: "labels of alice", "12 of 40
// videos", "writing: labels") in the user's language. The work below the application
// layer reports them in English (core, the store and the models have no Qt); the job
// context (jobs.h) shows them through stageText. Translation context
// "avvp::workspace::Stage"; a stage it does not know is shown as given.
#include <QString>
#include <string_view>

namespace avvp::workspace {

// `stage` translated: a known name, a known pattern (the parts that are names or numbers
// kept as they are), or each part of a nested range's "outer: inner" on its own.
QString stageText(std::string_view stage);

}  // namespace avvp::workspace
