// training_wire.h - TrainingHandoff and TrainingProgress (session.h) as bytes, for the messages
// between the page and its training worker.
//
// A message is "SSTW", a format version, a kind byte and the fields in order: integers as
// little-endian int64, reals as IEEE doubles (bit for bit: the follower must take exactly the
// steps the session would), matrices as rows, cols and column-major values (a dataset's points
// as bytes when every value is k / 255, as images' are), the config as the
// session JSON document of serialize.h. Reading checks every size against engine_limits.h before
// allocating, never throws, and names what is wrong.
#pragma once

#include "serialize.h"
#include "session.h"

#include <memory>
#include <string>

namespace splinescope {

constexpr int kTrainingWireVersion = 2;

std::string write_handoff(const TrainingHandoff& handoff);
// The handoff with these points instead of handoff.data (which may then be empty): a session's
// handoff written without copying its data, write_handoff(s.handoff(false), s.data()).
std::string write_handoff(const TrainingHandoff& handoff, const Split& data);
// The same for data shared with a session (Session::shared_data()): the points' bytes of the last
// split written this way are kept while it lives and written again without encoding them again.
std::string write_handoff(const TrainingHandoff& handoff, const std::shared_ptr<const Split>& data);
LoadResult<TrainingHandoff> read_handoff(const std::string& bytes);
std::string write_progress(const TrainingProgress& progress);
LoadResult<TrainingProgress> read_progress(const std::string& bytes);

} // namespace splinescope
