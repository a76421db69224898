// Training elsewhere: a follower built from a session's handoff, carried as bytes, takes exactly the
// steps the session would have taken, and the session that adopts its progress is the session that
// trained itself (the oracle: a twin session trained in place, compared bit for bit).
#include "engine_limits.h"
#include "session.h"
#include "training_wire.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace splinescope;

namespace {
SessionConfig spiral_config(bool batch_norm) {
  SessionConfig c;
  c.data.name = "spiral";
  c.data.n = 240;
  c.network.hidden = {12, 12};
  c.network.batch_norm = batch_norm;
  c.seed = 7;
  return c;
}

bool same_layers(const std::vector<Layer>& a, const std::vector<Layer>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t l = 0; l < a.size(); ++l) {
    if (a[l].W != b[l].W || a[l].b != b[l].b || a[l].batch_norm != b[l].batch_norm) return false;
    if (a[l].batch_norm && (a[l].bn.gamma != b[l].bn.gamma || a[l].bn.beta != b[l].bn.beta ||
                            a[l].bn.running_mean != b[l].bn.running_mean ||
                            a[l].bn.running_var != b[l].bn.running_var))
      return false;
  }
  return true;
}

// Byte round trips, as the page and the worker exchange them.
Session follower_of(const Session& s) {
  const LoadResult<TrainingHandoff> h = read_handoff(write_handoff(s.handoff()));
  REQUIRE(h.ok());
  return Session(h.value);
}
std::string adopt_bytes(Session& into, Session& follower) {
  const LoadResult<TrainingProgress> p = read_progress(write_progress(follower.progress()));
  REQUIRE(p.ok());
  return into.adopt(p.value);
}

// Equal, or both NaN (the accuracy of a regression).
bool same_value(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

void check_same_session(const Session& a, const Session& b) {
  CHECK(a.steps() == b.steps());
  CHECK(a.epochs() == b.epochs());
  CHECK(same_layers(a.network().layers, b.network().layers));
  CHECK(a.history().steps() == b.history().steps());
  CHECK(a.history().interval() == b.history().interval());
  REQUIRE(a.history().items().size() == b.history().items().size());
  for (std::size_t i = 0; i < a.history().items().size(); ++i) {
    CHECK(a.history().items()[i].train_loss == b.history().items()[i].train_loss);
    CHECK(same_value(a.history().items()[i].test_accuracy, b.history().items()[i].test_accuracy));
  }
  CHECK(a.timeline().steps() == b.timeline().steps());
  REQUIRE(a.timeline().items().size() == b.timeline().items().size());
  for (std::size_t i = 0; i < a.timeline().items().size(); ++i)
    CHECK(same_layers(a.timeline().items()[i].network.layers, b.timeline().items()[i].network.layers));
}
} // namespace

TEST_CASE("a follower takes exactly the steps the session would have taken, across thinning") {
  for (bool batch_norm : {false, true}) {
    CAPTURE(batch_norm);
    Session session(spiral_config(batch_norm)), twin(spiral_config(batch_norm));
    // Hand edits make the data differ from what the config generates: the follower must use the
    // session's data, not its own.
    for (Session* s : {&session, &twin}) {
      REQUIRE(s->add_point(0.3, -0.2, 1));
      REQUIRE(s->remove_point(s->data().train.X(0, 5), s->data().train.X(1, 5), 1e-9));
      s->train(37);
    }
    Session follower = follower_of(session);
    // Progress in uneven chunks; the timeline (at most 120 snapshots, one every 10 steps at first)
    // thins twice inside the 2,400-step chunk.
    for (int chunk : {1, 700, 2400, 63}) {
      REQUIRE(follower.train(chunk).ok);
      CHECK(adopt_bytes(session, follower) == "");
      twin.train(chunk);
      check_same_session(session, twin);
    }
    // The session goes on by itself from the adopted state, still in step with its twin.
    session.train(50);
    twin.train(50);
    check_same_session(session, twin);
  }
}

TEST_CASE("a follower restarted from a handoff after a settings change stays in step") {
  Session session(spiral_config(false)), twin(spiral_config(false));
  Session follower = follower_of(session);
  follower.train(300);
  CHECK(adopt_bytes(session, follower) == "");
  twin.train(300);
  SessionConfig slower = session.config();
  slower.train.learning_rate = 0.002;
  slower.train.optimizer = Optimizer::momentum;
  const std::uint64_t before = session.revision();
  REQUIRE(session.apply(slower) == "");
  REQUIRE(twin.apply(slower) == "");
  CHECK(session.revision() != before);
  Session next = follower_of(session);
  next.train(400);
  CHECK(adopt_bytes(session, next) == "");
  twin.train(400);
  check_same_session(session, twin);
}

TEST_CASE("adopted history points carry the session's latest measured figures") {
  Session session(spiral_config(false));
  session.report(Session::Figures{41, 1.5, 1.25, 2.5});
  Session follower = follower_of(session);
  session.report(Session::Figures{57, 1.75, 1.5, 3.0}); // measured while the follower trains
  follower.train(20);
  const std::uint64_t before = session.revision();
  CHECK(adopt_bytes(session, follower) == "");
  CHECK(session.revision() != before);
  const HistoryPoint& last = session.history().items().back();
  CHECK(last.step == 20);
  CHECK(last.tiles == 57);
  CHECK(last.lc_boundary == 3.0);
  CHECK(session.train_metrics().n == session.data().train.size());
}

TEST_CASE("a diverging follower hands back the last good state and the session diverges at the same step") {
  SessionConfig c = spiral_config(false);
  c.data.name = "ripple";
  c.train.optimizer = Optimizer::sgd;
  c.train.learning_rate = 10.0;
  c.network.hidden = {32, 32, 32};
  Session session(c), twin(c);
  Session follower = follower_of(session);
  StepResult r;
  for (int i = 0; i < 20 && r.ok; ++i) r = follower.train(100);
  REQUIRE_FALSE(r.ok);
  const LoadResult<TrainingProgress> p = read_progress(write_progress(follower.progress()));
  REQUIRE(p.ok());
  CHECK(p.value.diverged);
  CHECK(session.adopt(p.value) == "");
  CHECK_FALSE(session.diverged());
  const StepResult again = session.train(1);
  CHECK_FALSE(again.ok);
  CHECK(again.step == r.step);
  StepResult in_place;
  for (int i = 0; i < 20 && in_place.ok; ++i) in_place = twin.train(100);
  CHECK(in_place.step == r.step);
  CHECK(same_layers(session.network().layers, twin.network().layers));
}

TEST_CASE("progress that does not fit the session is refused and changes nothing") {
  Session session(spiral_config(false));
  SessionConfig wide = spiral_config(false);
  wide.network.hidden = {20, 12};
  Session other(wide);
  Session follower = follower_of(other);
  follower.train(10);
  const Network before = session.network();
  const std::uint64_t revision = session.revision();
  const std::string refused = session.adopt(follower.progress());
  CHECK(refused.find("layer 1") != std::string::npos);
  CHECK(session.revision() == revision);
  CHECK(same_layers(session.network().layers, before.layers));
}

TEST_CASE("malformed training messages are refused with a reason, never read past their end") {
  Session session(spiral_config(false));
  const std::string handoff = write_handoff(session.handoff());
  const std::string progress = write_progress(session.progress());
  REQUIRE(read_handoff(handoff).ok());
  REQUIRE(read_progress(progress).ok());
  // Every truncation of both messages is refused.
  for (std::size_t n = 0; n < handoff.size(); n += 1 + n / 8)
    CHECK_FALSE(read_handoff(handoff.substr(0, n)).ok());
  for (std::size_t n = 0; n < progress.size(); ++n) CHECK_FALSE(read_progress(progress.substr(0, n)).ok());
  CHECK(read_handoff(handoff.substr(0, 10)).error.find("ends inside") != std::string::npos);
  CHECK(read_progress(handoff).error == "not a progress message");
  CHECK(read_handoff(progress).error == "not a handoff");
  CHECK(read_progress("JUNKJUNKJUNK").error == "not a training message");
  CHECK(read_progress(progress + "x").error == "1 bytes after the message");
  std::string wrong_version = progress;
  wrong_version[4] = 9;
  CHECK(read_progress(wrong_version).error.find("version 9") != std::string::npos);
  // A size beyond the engine's limits is refused before anything is allocated for it.
  std::string huge = progress;
  const std::int64_t layers = 1000;
  std::memcpy(&huge[13], &layers, sizeof layers);
  CHECK(read_progress(huge).error.find("layer count is 1000") != std::string::npos);
}

TEST_CASE("a follower on a dataset of the line carries its 1-row points and takes the session's "
          "steps") {
  SessionConfig c;
  c.data.name = "sine";
  c.data.n = 240;
  c.network.hidden = {12, 12};
  c.seed = 5;
  Session session(c), twin(c);
  for (Session* s : {&session, &twin}) {
    REQUIRE(s->add_point(0.3, 0, -0.4));
    REQUIRE(s->remove_point(s->data().train.X(0, 5), 0, 1e-12));
    s->train(37);
  }
  const LoadResult<TrainingHandoff> h = read_handoff(write_handoff(session.handoff()));
  REQUIRE(h.ok());
  CHECK(h.value.config.data.name == "sine");
  CHECK(h.value.data.train.dim() == 1);
  CHECK(h.value.data.test.dim() == 1);
  CHECK(h.value.data.train.X == session.data().train.X);
  CHECK(h.value.data.train.targets == session.data().train.targets);
  CHECK(h.value.data.test.X == session.data().test.X);
  Session follower(h.value);
  CHECK(follower.network().input_dim == 1);
  for (int chunk : {1, 400, 63}) {
    REQUIRE(follower.train(chunk).ok);
    CHECK(adopt_bytes(session, follower) == "");
    twin.train(chunk);
    check_same_session(session, twin);
  }
}

TEST_CASE("a handoff whose points are not of its dataset's dimension is refused") {
  SessionConfig c;
  c.data.name = "circles";
  c.network.hidden = {4};
  Session plane(c);
  TrainingHandoff h = plane.handoff();
  h.config.data.name = "sine"; // the data stay 2-D
  CHECK_THROWS_WITH_AS(Session{h},
                       "the handoff's points have 2 coordinates, but its dataset sine lies on a "
                       "line (1 input)",
                       std::invalid_argument);
  // Points of 3 coordinates travel (an image dataset has 784), but do not make a follower of
  // a dataset of the plane; more than kMaxInputDim are refused when read.
  h = plane.handoff();
  h.data.train.X = Eigen::MatrixXd::Zero(3, h.data.train.size()); // (3, n)
  const LoadResult<TrainingHandoff> r = read_handoff(write_handoff(h));
  REQUIRE(r.ok());
  CHECK_THROWS_WITH_AS(Session{r.value},
                       "the handoff's points have 3 coordinates, but its dataset circles lies in "
                       "the plane (2 inputs)",
                       std::invalid_argument);
  h.data.train.X = Eigen::MatrixXd::Zero(kMaxInputDim + 1, 2); // (785, 2)
  h.data.train.labels = Eigen::VectorXi::Zero(2);
  const LoadResult<TrainingHandoff> wide = read_handoff(write_handoff(h));
  CHECK_FALSE(wide.ok());
  CHECK(wide.error == "the points is 785, outside 0 to 784");
  // A 1-D handoff with an empty test set (train fraction 1) makes a follower.
  c.data.name = "step";
  c.data.train_fraction = 1.0;
  Session line(c);
  REQUIRE(line.data().test.size() == 0);
  const LoadResult<TrainingHandoff> empty_test = read_handoff(write_handoff(line.handoff()));
  REQUIRE(empty_test.ok());
  Session follower(empty_test.value);
  CHECK(follower.train(5).ok);
  CHECK(follower.data().test.dim() == 1);
}
